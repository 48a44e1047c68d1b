"""The rest of ``jax.scipy.linalg``: Schur-based functions, Hessenberg form, ``qr_multiply`` and two special matrices.

On JAX every function is ``jax.scipy.linalg``'s own (through the backend's ``scipy`` hook module). Elsewhere:

- ``hessenberg`` is Householder reduction written once over ``portax.numpy`` (differentiable, batched);
- ``qr_multiply``, ``invpascal`` and ``fiedler_companion`` are written once here for every backend;
- torch has no Schur decomposition (``torch.linalg`` has none), so ``schur`` and ``rsf2csf`` raise
  :class:`portax.errors.UnsupportedError` there, and ``sqrtm``, ``funm`` and ``solve_sylvester`` use the
  eigendecomposition ``A = V diag(w) V^-1`` instead of the Schur form (JAX's own ``method="eigen"`` for
  ``solve_sylvester``): the same values for diagonalizable matrices, inaccurate for defective or nearly defective
  ones (where JAX's Schur method still works).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

import portax.numpy as pnp
from portax._src.errors import UnsupportedError
from portax._src.scipy._native import backend_for, creating_on, native
from portax._src.scipy.special import promote_inexact

Array = Any


def _square(name: str, a: Array) -> None:
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f"{name}: expected a square matrix (or a batch of them), got shape {tuple(a.shape)}")


def _no_schur(backend: Any, feature: str) -> UnsupportedError:
    return UnsupportedError(
        backend.name, feature,
        "the backend has no Schur decomposition (torch.linalg has none); sqrtm, funm and solve_sylvester use the "
        "eigendecomposition there, or run this call on the JAX backend",
    )


def _complex_dtype(a: Array) -> Any:
    return pnp.result_type(a, 1j)


def schur(a: Any, output: str = "real") -> tuple[Array, Array]:
    """The Schur decomposition ``a = Z T Z^H`` (``jax.scipy.linalg.schur``): ``(T, Z)``.

    Args:
        a: a square matrix (or a batch).
        output: ``"real"`` (quasi-triangular ``T`` for real input) or ``"complex"`` (triangular ``T``).

    Raises:
        ValueError: ``a`` not square, or another ``output``.
        UnsupportedError: on a backend without a Schur decomposition (torch).

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> t, z = psl.schur(pnp.array([[2.0, 1.0], [0.0, 3.0]]))  # doctest: +SKIP
    """
    if output not in ("real", "complex"):
        raise ValueError(f"schur: output must be 'real' or 'complex', got {output!r}")
    (a,) = promote_inexact(a)
    _square("schur", a)
    backend = backend_for(a)
    function = native(backend, "schur")
    if function is None:
        raise _no_schur(backend, "portax.scipy.linalg.schur")
    return function(a, output=output)


def rsf2csf(T: Any, Z: Any, check_finite: bool = True) -> tuple[Array, Array]:  # noqa: N803 (scipy's names)
    """The complex Schur form from the real one (``jax.scipy.linalg.rsf2csf``): ``(T, Z)`` complex.

    Raises:
        ValueError: ``T`` or ``Z`` not square, or of different sizes.
        UnsupportedError: on a backend without a Schur decomposition (torch).
    """
    T, Z = promote_inexact(T, Z)  # noqa: N806
    if T.ndim < 2 or T.shape[-1] != T.shape[-2]:
        raise ValueError("Input 'T' must be square.")
    if Z.ndim < 2 or Z.shape[-1] != Z.shape[-2]:
        raise ValueError("Input 'Z' must be square.")
    if T.shape[-1] != Z.shape[-1]:
        raise ValueError(f"Input array shapes must match: Z: {tuple(Z.shape)} vs. T: {tuple(T.shape)}")
    backend = backend_for(T, Z)
    function = native(backend, "rsf2csf")
    if function is None:
        raise _no_schur(backend, "portax.scipy.linalg.rsf2csf")
    return function(T, Z)


def _eig(a: Array) -> tuple[Array, Array]:
    """``(w, V)`` of square complex matrices, NaN for a matrix holding NaN or inf (LAPACK's answer), with no
    data-dependent Python branch (so it traces under ``jit``): bad matrices are decomposed as the identity, then
    masked. The backend's unchecked ``eig`` (its hook module) when it has one, else ``portax.numpy.linalg.eig``."""
    n = a.shape[-1]
    bad = ~pnp.all(pnp.isfinite(a), axis=(-2, -1), keepdims=True)
    with creating_on(backend_for(a)):
        eye = pnp.eye(n, dtype=a.dtype)
    function = native(backend_for(a), "eig") or pnp.linalg.eig
    values, vectors = function(pnp.where(bad, eye, a))
    nan = pnp.full_like(vectors, pnp.nan)
    return pnp.where(bad[..., 0], nan[..., 0], values), pnp.where(bad, nan, vectors)


def sqrtm(A: Any, blocksize: int = 1) -> Array:  # noqa: N803 (scipy's name)
    """The principal matrix square root (``jax.scipy.linalg.sqrtm``), complex as JAX's.

    JAX's Schur method on JAX; ``V diag(sqrt(w)) V^-1`` from the eigendecomposition on torch (diagonalizable
    matrices; the same principal root).

    Raises:
        NotImplementedError: ``blocksize > 1`` (as JAX).
        ValueError: ``A`` not square.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> root = psl.sqrtm(pnp.array([[4.0, 0.0], [0.0, 9.0]]))
        >>> [[round(float(v.real), 4) for v in row] for row in root]
        [[2.0, 0.0], [0.0, 3.0]]
    """
    if blocksize > 1:
        raise NotImplementedError("Blocked version is not implemented yet.")
    (A,) = promote_inexact(A)  # noqa: N806
    _square("sqrtm", A)
    function = native(backend_for(A), "sqrtm")
    if function is not None:
        return function(A)
    return _eig_function(A, pnp.sqrt)


def _eig_function(A: Array, func: Callable[[Array], Array]) -> Array:  # noqa: N803
    """``V diag(func(w)) V^-1``, in the complex dtype of ``A``."""
    values, vectors = _eig(pnp.astype(A, _complex_dtype(A)))
    scaled = vectors * func(values)[..., None, :]
    # X V = V f(W)  <=>  V^T X^T = (V f(W))^T
    return pnp.swapaxes(pnp.linalg.solve(pnp.swapaxes(vectors, -1, -2), pnp.swapaxes(scaled, -1, -2)), -1, -2)


def funm(A: Any, func: Callable[[Array], Array], disp: bool = True) -> Array | tuple[Array, Array]:  # noqa: N803
    """A matrix function ``f(A)`` from a scalar function applied to the eigenvalues (``jax.scipy.linalg.funm``).

    JAX's Schur-Parlett algorithm on JAX; ``V diag(func(w)) V^-1`` on torch (diagonalizable matrices). The result is
    complex, as JAX's.

    Args:
        A: a square 2-D matrix.
        func: a function of a complex array, applied elementwise to the eigenvalues.
        disp: return only ``f(A)`` (True) or ``(f(A), error estimate)`` (JAX only).

    Raises:
        ValueError: ``A`` not a square 2-D matrix.
        UnsupportedError: ``disp=False`` on a backend without a Schur decomposition (the estimate needs it).

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> out = psl.funm(pnp.array([[1.0, 0.0], [0.0, 2.0]]), lambda w: w * w)
        >>> [[round(float(v.real), 4) for v in row] for row in out]
        [[1.0, 0.0], [0.0, 4.0]]
    """
    (A,) = promote_inexact(A)  # noqa: N806
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError("expected square array_like input")
    backend = backend_for(A)
    function = native(backend, "funm")
    if function is not None:
        return function(A, func, disp=disp)
    if not disp:
        raise _no_schur(backend, "portax.scipy.linalg.funm(disp=False)")
    return _eig_function(A, func)


def solve_sylvester(A: Any, B: Any, C: Any, *, method: str = "schur", tol: float = 1e-8) -> Array:  # noqa: N803
    """The solution ``X`` of ``A X + X B = C`` (``jax.scipy.linalg.solve_sylvester``).

    Args:
        A: ``(..., m, m)``. B: ``(..., n, n)``. C: ``(..., m, n)``; batch axes broadcast.
        method: ``"schur"`` (Bartels-Stewart; JAX only, torch uses ``"eigen"``) or ``"eigen"``.
        tol: where some ``|eig(A)_i + eig(B)_j| < tol`` the answer is all NaN (as JAX).

    Returns:
        ``X``, real for real ``C`` (as JAX).

    Raises:
        ValueError: incompatible shapes or an unknown ``method``.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> x = psl.solve_sylvester(pnp.array([[1.0]]), pnp.array([[2.0]]), pnp.array([[6.0]]), method="eigen")
        >>> round(float(x[0, 0]), 4)
        2.0
    """
    A, B, C = promote_inexact(A, B, C)  # noqa: N806
    m, n = C.shape[-2:]
    if tuple(A.shape[-2:]) != (m, m) or tuple(B.shape[-2:]) != (n, n):
        raise ValueError(f"Incompatible shapes for Sylvester equation:\nA: {tuple(A.shape)}\nB: {tuple(B.shape)}\n"
                         f"C: {tuple(C.shape)}")
    if method not in ("schur", "eigen"):
        raise ValueError(f'Unrecognized method {method}. The two valid methods are either "schur" or "eigen".')
    function = native(backend_for(A, B, C), "solve_sylvester")
    if function is not None:
        return function(A, B, C, method=method, tol=tol)
    batch = pnp.broadcast_shapes(tuple(A.shape[:-2]), tuple(B.shape[:-2]), tuple(C.shape[:-2]))
    A, B, C = (pnp.broadcast_to(v, batch + tuple(v.shape[-2:])) for v in (A, B, C))  # noqa: N806
    complex_dtype = _complex_dtype(C)
    values_a, vectors_a = _eig(pnp.astype(A, complex_dtype))
    values_b, vectors_b = _eig(pnp.astype(B, complex_dtype))
    # JAX's eigen method: X = UA (UA^-1 C UB / (wA_i + wB_j)) UB^-1
    rotated = pnp.linalg.solve(vectors_a, pnp.astype(C, complex_dtype) @ vectors_b)
    sums = values_a[..., :, None] + values_b[..., None, :]
    x = vectors_a @ (rotated / sums) @ pnp.linalg.inv(vectors_b)
    if not pnp.iscomplexobj(C):
        x = pnp.real(x)
    singular = pnp.any(pnp.abs(sums) < tol, axis=(-2, -1), keepdims=True)
    return pnp.where(singular, pnp.full_like(x, pnp.nan), x)


def hessenberg(a: Any, *, calc_q: bool = False, overwrite_a: bool = False,
               check_finite: bool = True) -> Array | tuple[Array, Array]:
    """The Hessenberg form ``a = Q H Q^H``, ``H`` zero below the first subdiagonal (``jax.scipy.linalg.hessenberg``).

    LAPACK's ``gehrd`` on JAX; Householder reflections written once over ``portax.numpy`` elsewhere (the same ``H``
    up to the signs of its rows and columns).

    Args:
        a: a square matrix (or a batch).
        calc_q: also return ``Q``.

    Returns:
        ``H``, or ``(H, Q)`` with ``calc_q=True``.

    Raises:
        ValueError: ``a`` not square.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> h = psl.hessenberg(pnp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]]))
        >>> abs(float(h[2, 0])) < 1e-6
        True
    """
    (a,) = promote_inexact(a)
    _square("hessenberg", a)
    function = native(backend_for(a), "hessenberg")
    if function is not None:
        return function(a, calc_q=calc_q)
    n = a.shape[-1]
    h = a
    with creating_on(backend_for(a)):
        q = pnp.broadcast_to(pnp.eye(n, dtype=a.dtype), tuple(a.shape))
    for k in range(n - 2):
        x = h[..., k + 1:, k]
        head = x[..., :1]
        norm = pnp.sqrt(pnp.sum(pnp.abs(x) ** 2, axis=-1, keepdims=True))
        magnitude = pnp.abs(head)
        phase = pnp.where(magnitude > 0, head / pnp.where(magnitude > 0, magnitude, pnp.ones_like(magnitude)),
                          pnp.ones_like(head))
        v = pnp.concatenate([head + phase * pnp.astype(norm, head.dtype), x[..., 1:]], axis=-1)
        v_norm = pnp.sqrt(pnp.sum(pnp.abs(v) ** 2, axis=-1, keepdims=True))
        v = v / pnp.astype(pnp.where(v_norm > 0, v_norm, pnp.ones_like(v_norm)), v.dtype)
        w = pnp.concatenate([pnp.zeros_like(h[..., : k + 1, 0]), v], axis=-1)  # the reflector I - 2 w w^H
        w_column, w_row = w[..., :, None], pnp.conj(w)[..., None, :]
        h = h - 2 * w_column @ (w_row @ h)
        h = h - 2 * (h @ w_column) @ w_row
        q = q - 2 * (q @ w_column) @ w_row
    with creating_on(backend_for(a)):
        rows, columns = pnp.arange(n)[:, None], pnp.arange(n)[None, :]
    h = pnp.where(rows > columns + 1, pnp.zeros_like(h), h)
    return (h, q) if calc_q else h


def qr_multiply(a: Any, c: Any, mode: str = "right", pivoting: bool = False, conjugate: bool = False,
                overwrite_a: bool = False, overwrite_c: bool = False) -> tuple[Array, Array]:
    """``Q @ c`` (``mode="left"``) or ``c @ Q`` (``"right"``) with the QR decomposition of ``a``, and ``R``
    (``jax.scipy.linalg.qr_multiply``).

    Args:
        a: ``(..., M, N)``.
        c: ``(..., K, P)`` for ``"left"`` or ``(..., P, M)`` for ``"right"`` (``K = min(M, N)``); a 1-D ``c`` is a
            column (left) or a row (right), and the result is 1-D.
        mode: ``"right"`` (default) or ``"left"``.
        pivoting: not supported on every backend (``NotImplementedError``, as :func:`qr`).
        conjugate: use ``conj(Q)``.

    Returns:
        ``(result, R)`` with ``R`` of shape ``(..., K, N)``.

    Raises:
        ValueError: an unknown ``mode`` or incompatible shapes.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> cq, r = psl.qr_multiply(pnp.array([[3.0, 1.0], [4.0, 2.0]]), pnp.array([1.0, 0.0]))
        >>> tuple(cq.shape), tuple(r.shape)
        ((2,), (2, 2))
    """
    if pivoting:
        raise NotImplementedError("portax.scipy.linalg.qr_multiply: pivoting=True is not supported on every backend")
    a, c = promote_inexact(a, c)
    if mode not in ("right", "left"):
        raise ValueError(f"mode must be 'right' or 'left', got {mode!r}")
    one_dimensional = c.ndim == 1
    if one_dimensional:
        c = c[:, None] if mode == "left" else c[None, :]
    m, n = a.shape[-2:]
    k = min(m, n)
    if mode == "left" and c.shape[-2] != k:
        raise ValueError(f"Array shapes are not compatible for Q @ c operation: a has shape {tuple(a.shape)} so Q has "
                         f"{k} columns, but c has {c.shape[-2]} rows (expected {k}).")
    if mode == "right" and c.shape[-1] != m:
        raise ValueError(f"Array shapes are not compatible for c @ Q operation: a has shape {tuple(a.shape)} so Q has "
                         f"{m} rows, but c has {c.shape[-1]} columns (expected {m}).")
    from portax._src.scipy.linalg import qr

    q, r = qr(a, mode="economic")
    if conjugate:
        q = pnp.conj(q)
    result = q @ c if mode == "left" else c @ q
    if one_dimensional:
        result = pnp.ravel(result)
    return result, r


def invpascal(n: int, kind: str | None = None) -> Array:
    """The inverse of the ``n x n`` Pascal matrix (``jax.scipy.linalg.invpascal``), in the default float dtype.

    Raises:
        ValueError: an unknown ``kind``.

    Example:
        >>> import portax.scipy.linalg as psl
        >>> [[float(v) for v in row] for row in psl.invpascal(3, "lower")]
        [[1.0, 0.0, 0.0], [-1.0, 1.0, 0.0], [1.0, -2.0, 1.0]]
    """
    kind = "symmetric" if kind is None else kind
    if kind not in ("symmetric", "lower", "upper"):
        raise ValueError(f"Expected kind to be one of: ['symmetric', 'lower', 'upper']; got {kind}")
    lower = np.array([[(-1.0) ** (i - j) * math.comb(i, j) if j <= i else 0.0 for j in range(n)] for i in range(n)])
    lower = lower.reshape(n, n)
    matrix = {"lower": lower, "upper": lower.T, "symmetric": lower.T @ lower}[kind]
    with creating_on(backend_for()):
        return pnp.asarray(matrix, dtype=pnp.result_type(1.0))


def fiedler_companion(a: Any) -> Array:
    """The Fiedler companion matrix of the polynomial with coefficients ``a`` (highest degree first), batched over
    leading axes (``jax.scipy.linalg.fiedler_companion``).

    Raises:
        ValueError: ``a`` is a scalar or its last axis is empty.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.linalg as psl
        >>> [[float(v) for v in row] for row in psl.fiedler_companion(pnp.array([1.0, -2.0, 3.0]))]
        [[2.0, -3.0], [1.0, 0.0]]
    """
    (a,) = promote_inexact(a)
    if a.ndim < 1:
        raise ValueError(f"fiedler_companion requires 'a' to be at least one-dimensional, got shape {tuple(a.shape)}.")
    if a.shape[-1] == 0:
        raise ValueError("fiedler_companion requires the last axis of 'a' to have nonzero length, but got an array of "
                         f"shape {tuple(a.shape)}.")
    n = a.shape[-1] - 1
    if n == 0:
        return pnp.reshape(a[..., :0], tuple(a.shape[:-1]) + (0, 0))
    a = a / a[..., :1]
    if n == 1:
        return -a[..., 1:, None]
    # scipy's layout: c[0, 0] = -a1, c[1, 0] = 1; for even i: c[i, i+1] = -a[i+2], c[i, i+2] = 1; c[i, i-1] = -a[i+1]
    # (even i >= 2); c[i, i-2] = 1 (odd i >= 3). A static table of (source, sign) per cell, gathered from [0, 1, a].
    source = [[0] * n for _ in range(n)]  # 0: zero, 1: one, 2 + k: -a[k]
    source[0][0], source[1][0] = 2 + 1, 1
    for i in range(n):
        if i % 2 == 0 and i + 1 < n:
            source[i][i + 1] = 2 + i + 2
        if i % 2 == 0 and i + 2 < n:
            source[i][i + 2] = 1
        if i % 2 == 0 and i >= 2:
            source[i][i - 1] = 2 + i + 1
        if i % 2 == 1 and i >= 3:
            source[i][i - 2] = 1
    table = pnp.concatenate([pnp.zeros_like(a[..., :1]), pnp.ones_like(a[..., :1]), -a], axis=-1)
    with creating_on(backend_for(a)):
        index = pnp.asarray([k for row in source for k in row], dtype=pnp.int32)
    return pnp.reshape(pnp.take(table, index, axis=-1), tuple(a.shape[:-1]) + (n, n))
