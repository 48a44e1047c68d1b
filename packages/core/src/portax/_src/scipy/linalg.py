"""``portax.scipy.linalg``: JAX's ``jax.scipy.linalg`` (scipy's signatures) through each backend's native solver.

On JAX these are ``jax.scipy.linalg`` itself; on torch, ``torch.linalg`` with scipy's conventions restored
(``lu_factor`` pivots 0-based int32, ``qr(mode="full")`` complete, ``cho_factor`` returning ``(c, lower)``).
Options that only tune scipy's memory use (``overwrite_*``, ``check_finite``) are accepted and ignored, as in JAX.
"""

from __future__ import annotations

import math
from typing import Any

import portax.numpy as pnp
from portax._src.scipy._native import backend_for, creating_on, required
from portax._src.scipy.special import promote_inexact

Array = Any


def _call(name: str, arrays: tuple, *args: Any, **kwargs: Any) -> Any:
    backend = backend_for(*arrays)
    return required(backend, name, f"portax.scipy.linalg.{name}")(*args, **kwargs)


def cholesky(a: Any, lower: bool = False, overwrite_a: bool = False, check_finite: bool = True) -> Array:
    """Cholesky factor of a Hermitian positive-definite matrix: ``L`` (``lower=True``) or ``U = L^H`` (default).

    Reads the ``lower`` triangle (``lower=True``) or the upper one, as ``jax.scipy.linalg.cholesky``.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> [[float(v) for v in row] for row in psl.cholesky(pnp.array([[4.0, 2.0], [2.0, 5.0]]))]
        [[2.0, 1.0], [0.0, 2.0]]
    """
    (a,) = promote_inexact(a)
    return _call("cholesky", (a,), a, lower=lower)


def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True, overwrite_a: bool = False,
        check_finite: bool = True, lapack_driver: str = "gesdd") -> Any:
    """Singular value decomposition ``a = u @ diag(s) @ vh``: ``(u, s, vh)``, or ``s`` with ``compute_uv=False``.

    Raises:
        ValueError: ``lapack_driver`` other than ``"gesdd"``/``"gesvd"`` (as scipy).
    """
    if lapack_driver not in ("gesdd", "gesvd"):
        raise ValueError(f"svd: lapack_driver must be 'gesdd' or 'gesvd', got {lapack_driver!r}")
    (a,) = promote_inexact(a)
    return _call("svd", (a,), a, full_matrices=full_matrices, compute_uv=compute_uv)


def cho_factor(a: Any, lower: bool = False, overwrite_a: bool = False, check_finite: bool = True) -> tuple[Array, bool]:
    """Cholesky factor for :func:`cho_solve`: ``(c, lower)``; the unused triangle of ``c`` is unspecified."""
    (a,) = promote_inexact(a)
    return _call("cho_factor", (a,), a, lower=lower)


def cho_solve(c_and_lower: tuple[Any, bool], b: Any, overwrite_b: bool = False, check_finite: bool = True) -> Array:
    """Solve ``A x = b`` from ``cho_factor(A)``."""
    c, lower = c_and_lower
    c, b = promote_inexact(c, b)
    return _call("cho_solve", (c, b), (c, lower), b)


def solve_triangular(
    a: Any,
    b: Any,
    trans: int | str = 0,
    lower: bool = False,
    unit_diagonal: bool = False,
    overwrite_b: bool = False,
    debug: Any = None,
    check_finite: bool = True,
) -> Array:
    """Solve ``op(A) x = b`` for triangular ``A`` (``trans``: 0/'N', 1/'T', 2/'C')."""
    a, b = promote_inexact(a, b)
    return _call("solve_triangular", (a, b), a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


def lu(a: Any, permute_l: bool = False, overwrite_a: bool = False, check_finite: bool = True) -> Any:
    """``(p, l, u)`` with ``a = p @ l @ u`` (or ``(p @ l, u)`` with ``permute_l=True``)."""
    (a,) = promote_inexact(a)
    return _call("lu", (a,), a, permute_l=permute_l)


def lu_factor(a: Any, overwrite_a: bool = False, check_finite: bool = True) -> tuple[Array, Array]:
    """``(lu, piv)`` for :func:`lu_solve`; ``piv`` are scipy's 0-based int32 row swaps."""
    (a,) = promote_inexact(a)
    return _call("lu_factor", (a,), a)


def lu_solve(lu_and_piv: tuple[Any, Any], b: Any, trans: int = 0, overwrite_b: bool = False,
             check_finite: bool = True) -> Array:
    """Solve ``A x = b`` (``trans=1``: ``A^T x = b``) from ``lu_factor(A)``."""
    lu_matrix, piv = lu_and_piv
    lu_matrix, b = promote_inexact(lu_matrix, b)
    return _call("lu_solve", (lu_matrix, b), (lu_matrix, piv), b, trans=trans)


def qr(a: Any, overwrite_a: bool = False, lwork: Any = None, mode: str = "full", pivoting: bool = False,
       check_finite: bool = True) -> Any:
    """QR decomposition; ``mode`` is ``"full"``, ``"economic"`` or ``"r"`` (returns ``(r,)``).

    Raises:
        NotImplementedError: ``pivoting=True`` (not offered on every backend).
    """
    if pivoting:
        raise NotImplementedError("portax.scipy.linalg.qr: pivoting=True is not supported on every backend")
    if mode not in ("full", "economic", "r"):
        raise ValueError(f"qr: mode must be 'full', 'economic' or 'r', got {mode!r}")
    (a,) = promote_inexact(a)
    return _call("qr", (a,), a, mode=mode)


def eigh(a: Any, b: Any = None, lower: bool = True, eigvals_only: bool = False, overwrite_a: bool = False,
         overwrite_b: bool = False, turbo: bool = True, eigvals: Any = None, type: int = 1,  # noqa: A002 (scipy's name)
         check_finite: bool = True) -> Any:
    """Eigenvalues (ascending) and eigenvectors of a Hermitian matrix, reading the ``lower`` triangle.

    Raises:
        NotImplementedError: a generalized problem (``b``) or ``eigvals`` subsets, as in JAX.
    """
    if b is not None or eigvals is not None:
        raise NotImplementedError("portax.scipy.linalg.eigh: b= and eigvals= are not supported (as in JAX)")
    (a,) = promote_inexact(a)
    return _call("eigh", (a,), a, lower=lower, eigvals_only=eigvals_only)


def expm(A: Any, *, upper_triangular: bool = False, max_squarings: int = 16) -> Array:  # noqa: N803 (scipy's name)
    """The matrix exponential (Pade approximation with scaling and squaring on both backends)."""
    (A,) = promote_inexact(A)
    return _call("expm", (A,), A)


def block_diag(*arrays: Any) -> Array:
    """A block-diagonal matrix from 0-, 1- or 2-d arrays (1-d as one row, as scipy)."""
    arrays = tuple(promote_inexact(*arrays)) if arrays else ()
    return _call("block_diag", arrays, *arrays)


def det(a: Any, overwrite_a: bool = False, check_finite: bool = True) -> Array:
    """Determinant of a square matrix (or a batch)."""
    (a,) = promote_inexact(a)
    return _call("det", (a,), a)


def inv(a: Any, overwrite_a: bool = False, check_finite: bool = True) -> Array:
    """Inverse of a square matrix (or a batch)."""
    (a,) = promote_inexact(a)
    return _call("inv", (a,), a)


def solve(a: Any, b: Any, lower: bool = False, overwrite_a: bool = False, overwrite_b: bool = False,
          check_finite: bool = True, assume_a: str = "gen") -> Array:
    """Solve ``a x = b`` (``assume_a`` is a hint only; the result is the general solution)."""
    a, b = promote_inexact(a, b)
    return _call("solve", (a, b), a, b)


# -- special matrices (jax/_src/scipy/linalg.py, 0.10), written once over portax.numpy ------------------------------


def _from_diagonals(values: Any, index: list[list[int]]) -> Array:
    """``values[..., index]``: a matrix gathered from the last axis with a static index table."""
    with creating_on(backend_for(values)):
        table = pnp.asarray(index, dtype=pnp.int32)
    return pnp.take(values, table, axis=-1)


def _one_or_more_d(name: str, *values: Any) -> list[Any]:
    backend = backend_for(*values)
    with creating_on(backend):
        arrays = [pnp.atleast_1d(pnp.asarray(v)) for v in values]
    batch = pnp.broadcast_shapes(*(tuple(a.shape[:-1]) for a in arrays))
    return [pnp.broadcast_to(a, batch + (a.shape[-1],)) for a in arrays]


def toeplitz(c: Any, r: Any = None) -> Array:
    """The Toeplitz matrix with first column ``c`` and first row ``r`` (default ``conj(c)``); batched over leading axes.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> [[int(v) for v in row] for row in psl.toeplitz(pnp.array([1, 2, 3]), pnp.array([1, 4]))]
        [[1, 4], [2, 1], [3, 2]]
    """
    if r is None:
        (c,) = _one_or_more_d("toeplitz", c)
        r = pnp.conj(c)
    c, r = _one_or_more_d("toeplitz", c, r)
    m, n = c.shape[-1], r.shape[-1]
    values = pnp.concatenate([pnp.flip(r[..., 1:], axis=-1), c], axis=-1)  # r reversed (without r[0]), then c
    return _from_diagonals(values, [[i - j + n - 1 for j in range(n)] for i in range(m)])


def hankel(c: Any, r: Any = None) -> Array:
    """The Hankel matrix with first column ``c`` and last row ``r`` (default zeros); batched over leading axes.

    Raises:
        ValueError: a scalar ``c`` or ``r`` (as JAX).
    """
    if pnp.ndim(c) == 0 or (r is not None and pnp.ndim(r) == 0):
        raise ValueError(f"hankel: {'c' if pnp.ndim(c) == 0 else 'r'} must be at least 1-dimensional, got a scalar.")
    (c,) = _one_or_more_d("hankel", c)
    r = pnp.zeros_like(c) if r is None else r
    c, r = _one_or_more_d("hankel", c, r)
    m, n = c.shape[-1], r.shape[-1]
    values = pnp.concatenate([c, r[..., 1:]], axis=-1)
    return _from_diagonals(values, [[i + j for j in range(n)] for i in range(m)])


def circulant(c: Any) -> Array:
    """The circulant matrix whose first column is ``c``; batched over leading axes."""
    (c,) = _one_or_more_d("circulant", c)
    n = c.shape[-1]
    return _from_diagonals(c, [[(i - j) % n for j in range(n)] for i in range(n)])


def fiedler(a: Any) -> Array:
    """The Fiedler matrix ``|a[i] - a[j]|``; batched over leading axes."""
    (a,) = _one_or_more_d("fiedler", a)
    return pnp.abs(a[..., :, None] - a[..., None, :])


def hilbert(n: int) -> Array:
    """The ``n x n`` Hilbert matrix ``1 / (i + j + 1)`` in the default float dtype."""
    with creating_on(backend_for()):
        return pnp.asarray([[1.0 / (i + j + 1) for j in range(n)] for i in range(n)], dtype=pnp.result_type(1.0))


def helmert(n: int, full: bool = False) -> Array:
    """The Helmert matrix of order ``n`` (``full=True``: with its first row ``1 / sqrt(n)``).

    Raises:
        ValueError: ``n < 1``.
    """
    if n < 1:
        raise ValueError(f"n must be a positive integer; got {n}.")
    rows = [[1.0 / math.sqrt(k * (k + 1)) if j < k else -k / math.sqrt(k * (k + 1)) if j == k else 0.0
             for j in range(n)] for k in range(1, n)]
    if full:
        rows = [[1.0 / math.sqrt(n)] * n, *rows]
    with creating_on(backend_for()):
        return pnp.reshape(pnp.asarray(rows, dtype=pnp.result_type(1.0)), (len(rows), n))


def hadamard(n: int, dtype: Any = int) -> Array:
    """The ``n x n`` Sylvester-Hadamard matrix (``n`` a power of 2), of ``dtype`` (default int).

    Raises:
        ValueError: ``n`` not a positive power of 2.
    """
    if n < 1 or not math.log2(n).is_integer():
        raise ValueError(f"n must be a positive power of 2; got {n}.")
    matrix = [[1]]
    while len(matrix) < n:
        matrix = [row + row for row in matrix] + [row + [-v for v in row] for row in matrix]
    with creating_on(backend_for()):
        dtype = pnp.int32 if dtype is int else pnp.result_type(1.0) if dtype is float else dtype
        return pnp.asarray(matrix, dtype=dtype)


# -- more of jax.scipy.linalg: the polar decomposition and special matrices ----------------------------------------


def polar(a: Any, side: str = "right", *, method: str = "qdwh", eps: float | None = None,
          max_iterations: int | None = None) -> tuple[Array, Array]:
    """The polar decomposition ``a = u p`` (``side="right"``) or ``a = p u`` (``"left"``), ``u`` unitary, ``p`` PSD.

    Computed from the SVD on every backend (``method`` accepts JAX's ``"qdwh"`` and ``"svd"``; same result to
    rounding), differentiable wherever ``svd`` is.

    Raises:
        ValueError: an unknown ``side`` or ``method``.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> u, p = psl.polar(pnp.array([[2.0, 0.0], [0.0, -3.0]]))
        >>> [[round(float(v), 4) for v in row] for row in p]
        [[2.0, 0.0], [0.0, 3.0]]
    """
    if side not in ("right", "left"):
        raise ValueError(f"side={side!r} was not recognized; use 'right' or 'left'.")
    if method not in ("qdwh", "svd"):
        raise ValueError(f"method={method!r} not recognized; use 'qdwh' or 'svd'.")
    (a,) = promote_inexact(a)
    u, s, vh = pnp.linalg.svd(a, full_matrices=False)
    unitary = u @ vh
    if side == "right":  # p = V S V^H
        posdef = (pnp.conj(pnp.swapaxes(vh, -1, -2)) * s[..., None, :]) @ vh
    else:  # p = U S U^H
        posdef = (u * s[..., None, :]) @ pnp.conj(pnp.swapaxes(u, -1, -2))
    return unitary, posdef


def companion(a: Any) -> Array:
    """The companion matrix of the polynomial with coefficients ``a`` (highest degree first).

    Raises:
        ValueError: ``a`` is not 1-D with at least two coefficients.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> [[float(v) for v in row] for row in psl.companion(pnp.array([1.0, 2.0, 3.0]))]
        [[-2.0, -3.0], [1.0, 0.0]]
    """
    (a,) = promote_inexact(a)
    if a.ndim != 1 or a.shape[0] < 2:
        raise ValueError(f"Incorrect shape for a: expected a 1-D array with at least 2 coefficients, got {a.shape}.")
    n = a.shape[0] - 1
    first = -a[1:] / a[0]
    with creating_on(backend_for(a)):
        shift = pnp.eye(n - 1, n, dtype=a.dtype)
    return pnp.concatenate([first[None, :], shift], axis=0)


def leslie(f: Any, s: Any) -> Array:
    """The Leslie matrix: fecundities ``f`` (length ``n``) on the first row, survivals ``s`` (``n - 1``) below.

    Raises:
        ValueError: ``f`` or ``s`` not 1-D, or ``len(s) != len(f) - 1``.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> [[float(v) for v in row] for row in psl.leslie(pnp.array([0.5, 2.0]), pnp.array([0.25]))]
        [[0.5, 2.0], [0.25, 0.0]]
    """
    f, s = promote_inexact(f, s)
    if f.ndim != 1 or s.ndim != 1 or s.shape[0] != f.shape[0] - 1:
        raise ValueError(f"Incorrect shape for f and s: got {f.shape} and {s.shape}; s must have len(f) - 1 items.")
    n = f.shape[0]
    with creating_on(backend_for(f, s)):
        shift = pnp.eye(n - 1, n, dtype=s.dtype)
    below = s[:, None] * shift
    return pnp.concatenate([f[None, :], below], axis=0)


def dft(n: int, scale: str | None = None, *, dtype: Any = None) -> Array:
    """The ``n x n`` discrete Fourier transform matrix ``exp(-2 pi i j k / n)`` (complex64 unless ``dtype``).

    Args:
        scale: ``None``, ``"sqrtn"`` (divide by ``sqrt(n)``) or ``"n"`` (divide by ``n``).

    Raises:
        ValueError: an unknown ``scale``.

    Example:
        >>> import portax.scipy.linalg as psl
        >>> tuple(psl.dft(4).shape)
        (4, 4)
    """
    import numpy as np

    if scale not in (None, "sqrtn", "n"):
        raise ValueError(f"scale must be None, 'sqrtn', or 'n'; {scale!r} is not valid.")
    phases = (np.arange(n)[:, None] * np.arange(n)[None, :]) % max(n, 1)  # exact integer phases, then one rounding
    matrix = np.exp(-2j * np.pi * phases / max(n, 1))
    matrix = matrix / {None: 1.0, "sqrtn": math.sqrt(n), "n": float(n)}[scale]
    with creating_on(backend_for()):
        target = dtype if dtype is not None else pnp.result_type(1j)
        return pnp.asarray(matrix.astype(np.complex128), dtype=target)


def pascal(n: int, kind: str | None = None) -> Array:
    """The ``n x n`` Pascal matrix: ``"symmetric"`` (default) ``C(i + j, i)``, ``"lower"`` ``C(i, j)``, ``"upper"``.

    Raises:
        ValueError: an unknown ``kind``.

    Example:
        >>> import portax.scipy.linalg as psl
        >>> [[float(v) for v in row] for row in psl.pascal(3, "lower")]
        [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 2.0, 1.0]]
    """
    kind = "symmetric" if kind is None else kind
    if kind not in ("symmetric", "lower", "upper"):
        raise ValueError(f"Expected kind to be 'lower', 'upper', or 'symmetric'; got {kind!r}.")
    if kind == "symmetric":
        rows = [[float(math.comb(i + j, i)) for j in range(n)] for i in range(n)]
    else:
        rows = [[float(math.comb(i, j)) for j in range(n)] for i in range(n)]
        if kind == "upper":
            rows = [list(column) for column in zip(*rows, strict=True)]
    with creating_on(backend_for()):
        return pnp.reshape(pnp.asarray(rows, dtype=pnp.result_type(1.0)), (n, n))


def expm_frechet(A: Any, E: Any, *, method: str | None = None, compute_expm: bool = True) -> Any:  # noqa: N803
    """The Frechet derivative of ``expm`` at ``A`` in the direction ``E`` (with ``expm(A)`` unless told otherwise).

    Read off the exponential of the block matrix ``[[A, E], [0, A]]`` (Mathias' theorem): one ``expm`` of twice the
    size on every backend; ``method`` accepts JAX's ``None``/``"SPS"``/``"blockEnlarge"``.

    Raises:
        ValueError: ``A`` and ``E`` are not square matrices of one shape, or an unknown ``method``.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> tuple(psl.expm_frechet(pnp.eye(2), pnp.ones((2, 2)), compute_expm=False).shape)
        (2, 2)
    """
    if method not in (None, "SPS", "blockEnlarge"):
        raise ValueError(f"Unknown implementation {method}")
    A, E = promote_inexact(A, E)  # noqa: N806
    if A.ndim != 2 or A.shape[0] != A.shape[1] or tuple(A.shape) != tuple(E.shape):
        raise ValueError(f"expected A and E to be square matrices of one shape, got {A.shape} and {E.shape}")
    n = A.shape[0]
    block = pnp.concatenate([pnp.concatenate([A, E], axis=1),
                             pnp.concatenate([pnp.zeros_like(A), A], axis=1)], axis=0)
    exponential = expm(block)
    derivative = exponential[:n, n:]
    return (exponential[:n, :n], derivative) if compute_expm else derivative


def eigh_tridiagonal(d: Any, e: Any, *, eigvals_only: bool = False, select: str = "a",
                     select_range: tuple[float, float] | None = None, tol: float | None = None,
                     key: Any = None) -> Any:
    """Eigenvalues (ascending; and eigenvectors unless ``eigvals_only``) of the symmetric tridiagonal matrix with
    diagonal ``d`` and off-diagonal ``e``, through the backend's dense ``eigh``.

    Raises:
        NotImplementedError: ``select`` other than ``"a"`` (all eigenvalues).

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> [round(float(v), 4) for v in psl.eigh_tridiagonal(pnp.array([2.0, 2.0]), pnp.array([1.0]),
        ...                                                   eigvals_only=True)]
        [1.0, 3.0]
    """
    if select != "a":
        raise NotImplementedError(f"eigh_tridiagonal(select={select!r}): only select='a' is provided")
    d, e = promote_inexact(d, e)
    n = d.shape[-1]
    with creating_on(backend_for(d, e)):
        below = pnp.eye(n, k=-1, dtype=e.dtype)
    off = pnp.concatenate([e, pnp.zeros_like(e[..., :1])], axis=-1)[..., None, :] * below  # e[j] at (j + 1, j)
    matrix = pnp.eye(n, dtype=d.dtype) * d[..., None, :] + off + pnp.swapaxes(off, -1, -2)
    if eigvals_only:
        return pnp.linalg.eigvalsh(matrix)
    values, vectors = pnp.linalg.eigh(matrix)
    return values, vectors


def convolution_matrix(a: Any, n: int, mode: str = "full") -> Array:
    """The matrix ``M`` with ``M @ v == convolve(a, v, mode)`` for every ``v`` of length ``n``.

    Raises:
        ValueError: ``a`` not 1-D or empty, ``n`` not positive, or an unknown ``mode``.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> tuple(psl.convolution_matrix(pnp.array([1.0, 2.0, 3.0]), 4).shape)
        (6, 4)
    """
    (a,) = promote_inexact(a)
    if a.ndim != 1 or a.shape[0] == 0:
        raise ValueError("convolution_matrix expects a one-dimensional, non-empty array a")
    if n < 1:
        raise ValueError(f"n must be a positive integer, got {n}")
    if mode not in ("full", "same", "valid"):
        raise ValueError(f"mode={mode!r} not recognized; use 'full', 'same' or 'valid'")
    m = a.shape[0]
    rows = m + n - 1  # full: row i holds a[i - j] at column j
    with creating_on(backend_for(a)):
        index = pnp.arange(rows)[:, None] - pnp.arange(n)[None, :]
    inside = (index >= 0) & (index < m)
    full = pnp.where(inside, pnp.take(a, pnp.clip(index, 0, m - 1)), pnp.zeros_like(a[:1]))
    if mode == "full":
        return full
    if mode == "same":
        length, start = max(m, n), (min(m, n) - 1) // 2
    else:
        length, start = max(m, n) - min(m, n) + 1, min(m, n) - 1
    return full[start:start + length]


def invhilbert(n: int) -> Array:
    """The inverse of the ``n x n`` Hilbert matrix (exact integer formula, in the default float dtype).

    Example:
        >>> import portax.scipy.linalg as psl
        >>> [[float(v) for v in row] for row in psl.invhilbert(2)]
        [[4.0, -6.0], [-6.0, 12.0]]
    """
    rows = [[float((-1) ** (i + j) * (i + j + 1) * math.comb(n + i, n - j - 1) * math.comb(n + j, n - i - 1)
                   * math.comb(i + j, i) ** 2) for j in range(n)] for i in range(n)]
    with creating_on(backend_for()):
        return pnp.reshape(pnp.asarray(rows, dtype=pnp.result_type(1.0)), (n, n))
