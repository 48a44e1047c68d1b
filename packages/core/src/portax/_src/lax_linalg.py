"""``portax.lax.linalg``: JAX's ``jax.lax.linalg`` factorizations with its signatures, dtype rules and errors.

Arguments are checked and prepared here once (dtype rules, symmetrization, ``subset_by_index``); the factorization is
the backend's native one from its ``lax_module`` hook: ``jax.lax.linalg`` on JAX, ``torch.linalg`` on torch (JAX's
conventions restored there: ``eigh`` returns ``(vectors, values)``, ``lu`` 0-based ``int32`` pivots and the row
permutation, a failed Cholesky factor is NaN instead of an exception).
"""

from __future__ import annotations

from typing import Any

import portax.numpy as pnp
from portax._src.errors import UnsupportedError
from portax._src.scipy._native import backend_for, native
from portax._src.scipy.special import promote_inexact

Array = Any


def _kernel(x: Any, name: str) -> Any:
    backend = backend_for(x)
    function = native(backend, f"linalg_{name}", "lax_module")
    if function is None:
        raise UnsupportedError(backend.name, f"portax.lax.linalg.{name}",
                               "use another backend for this call or add it to the backend's lax module")
    return function


def _dtype_name(x: Any) -> str:
    return str(x.dtype).rsplit(".", 1)[-1]


def _inexact(name: str, *arrays: Any) -> list[Any]:
    """The arrays as backend arrays; JAX's ``TypeError`` for anything but floating and complex dtypes."""
    arrays = promote_inexact(*arrays) if any(not hasattr(a, "dtype") for a in arrays) else list(arrays)
    for position, a in enumerate(arrays):
        dtype = _dtype_name(a)
        if not (dtype.startswith(("float", "complex")) or dtype == "bfloat16"):
            raise TypeError(
                f"{name} does not accept dtype {dtype} at position {position}. Accepted dtypes at position "
                f"{position} are subtypes of floating, complexfloating."
            )
    return arrays


def _matrix(name: str, x: Any, square: bool = False) -> None:
    if x.ndim < 2:
        raise TypeError(f"Input 0 to {name} must have rank at least 2, but got shape={tuple(x.shape)}")
    if square and x.shape[-1] != x.shape[-2]:
        raise TypeError(f"{name} requires square matrices, got shape={tuple(x.shape)}")


def _symmetrize(x: Any) -> Any:
    return (x + pnp.conj(pnp.swapaxes(x, -1, -2))) / 2


def cholesky(x: Any, *, symmetrize_input: bool = True) -> Array:
    """Lower Cholesky factor of Hermitian positive-definite matrices (``jax.lax.linalg.cholesky``).

    Args:
        x: matrices ``(..., n, n)``; integers become the default float.
        symmetrize_input: factor ``(x + x^H) / 2`` (JAX's default) instead of reading the lower triangle only.

    Returns:
        ``L`` with ``L @ L^H == x``; where ``x`` is not positive definite, NaN (JAX's convention, no exception).

    Example:
        >>> import portax, portax.numpy
        >>> portax.lax.linalg.cholesky(portax.numpy.array([[4.0, 2.0], [2.0, 2.0]])).tolist()
        [[2.0, 0.0], [1.0, 1.0]]
    """
    (x,) = promote_inexact(x)
    _matrix("cholesky", x, square=True)
    if symmetrize_input:
        x = _symmetrize(x)
    return _kernel(x, "cholesky")(x)


def triangular_solve(a: Any, b: Any, *, left_side: bool = False, lower: bool = False, transpose_a: bool = False,
                     conjugate_a: bool = False, unit_diagonal: bool = False) -> Array:
    """Solve ``op(a) @ x = b`` (``left_side``) or ``x @ op(a) = b`` for triangular ``a`` (``jax.lax.linalg``'s).

    Args:
        a: triangular matrices ``(..., n, n)`` (only the triangle named by ``lower`` is read).
        b: right-hand sides ``(..., n, k)`` (``left_side``) or ``(..., k, n)``; the same batch dimensions as ``a``.
        left_side: solve ``op(a) @ x = b`` instead of ``x @ op(a) = b``.
        lower: ``a`` is lower triangular.
        transpose_a: ``op`` transposes ``a``.
        conjugate_a: ``op`` conjugates ``a``.
        unit_diagonal: assume ones on the diagonal of ``a``.

    Returns:
        ``x``, shaped like ``b``.

    Raises:
        TypeError: integer dtypes, different dtypes, or different batch dimensions.

    Example:
        >>> import portax, portax.numpy as pnp
        >>> a, b = pnp.array([[2.0, 0.0], [1.0, 1.0]]), pnp.array([[2.0], [3.0]])
        >>> portax.lax.linalg.triangular_solve(a, b, left_side=True, lower=True).tolist()
        [[1.0], [2.0]]
    """
    a, b = _inexact("triangular_solve", a, b)
    if _dtype_name(a) != _dtype_name(b):
        raise TypeError(
            f"lax.triangular_solve requires arguments to have the same dtypes, got {_dtype_name(a)}, {_dtype_name(b)}."
        )
    _matrix("triangular_solve", a, square=True)
    vector = b.ndim == a.ndim - 1
    if vector:  # JAX accepts one right-hand side without its unit axis
        b = pnp.expand_dims(b, -1 if left_side else -2)
    if b.ndim != a.ndim:
        raise TypeError(
            "All inputs to triangular_solve must have the same number of batch dimensions, but got "
            f"[{a.ndim - 2}, {b.ndim - 2}] batch dimensions for the inputs."
        )
    if tuple(a.shape[:-2]) != tuple(b.shape[:-2]):
        raise TypeError(
            "triangular_solve requires both arguments to have the same batch dimensions, got "
            f"{tuple(a.shape[:-2])} and {tuple(b.shape[:-2])}"
        )
    n = a.shape[-1]
    if (b.shape[-2] if left_side else b.shape[-1]) != n:
        side = "rows" if left_side else "columns"
        raise TypeError(f"triangular_solve: b must have {n} {side} to match a of shape {tuple(a.shape)}, got "
                        f"b of shape {tuple(b.shape)}")
    x = _kernel(a, "triangular_solve")(a, b, left_side, lower, transpose_a, conjugate_a, unit_diagonal)
    return pnp.squeeze(x, -1 if left_side else -2) if vector else x


def qr(x: Any, *, pivoting: bool = False, full_matrices: bool = True, use_magma: bool | None = None) -> Any:
    """QR decomposition (``jax.lax.linalg.qr``).

    Args:
        x: matrices ``(..., m, n)``.
        pivoting: column pivoting; then ``(q, r, p)`` with ``x[..., p] == q @ r``.
        full_matrices: ``q`` is ``(m, m)``; else ``(m, min(m, n))`` and ``r`` is ``(min(m, n), n)``.
        use_magma: accepted for compatibility.

    Returns:
        ``(q, r)`` (or ``(q, r, p)`` with ``pivoting``).

    Example:
        >>> import portax, portax.numpy as pnp
        >>> q, r = portax.lax.linalg.qr(pnp.ones((3, 2)), full_matrices=False)
        >>> tuple(q.shape), tuple(r.shape)
        ((3, 2), (2, 2))
    """
    (x,) = _inexact("qr", x)
    _matrix("qr", x)
    return _kernel(x, "qr")(x, pivoting, full_matrices)


def eigh(x: Any, *, lower: bool = True, symmetrize_input: bool = True, sort_eigenvalues: bool = True,
         subset_by_index: tuple[int, int] | None = None, implementation: Any = None) -> tuple[Array, Array]:
    """Eigendecomposition of Hermitian matrices (``jax.lax.linalg.eigh``): ``(eigenvectors, eigenvalues)``.

    Args:
        x: matrices ``(..., n, n)``; integers become the default float.
        lower: read the lower triangle (when not symmetrizing).
        symmetrize_input: decompose ``(x + x^H) / 2``.
        sort_eigenvalues: ascending eigenvalues (always the case here).
        subset_by_index: ``(start, end)``: only those eigenpairs, in ascending order.
        implementation: accepted for compatibility.

    Returns:
        ``(v, w)`` with ``x @ v == v * w``; note the order, JAX's (``jnp.linalg.eigh`` returns ``(w, v)``).

    Example:
        >>> import portax, portax.numpy as pnp
        >>> v, w = portax.lax.linalg.eigh(pnp.array([[2.0, 0.0], [0.0, 1.0]]))
        >>> w.tolist()
        [1.0, 2.0]
    """
    (x,) = promote_inexact(x)
    _matrix("eigh", x, square=True)
    if symmetrize_input:
        x = _symmetrize(x)
    v, w = _kernel(x, "eigh")(x, lower)
    if subset_by_index is not None:
        start, end = subset_by_index
        v, w = v[..., start:end], w[..., start:end]
    return v, w


def svd(x: Any, *, full_matrices: bool = True, compute_uv: bool = True,
        subset_by_index: tuple[int, int] | None = None, algorithm: Any = None) -> Any:
    """Singular value decomposition (``jax.lax.linalg.svd``).

    Args:
        x: matrices ``(..., m, n)``.
        full_matrices: square ``u`` and ``vh``; else ``(m, k)`` and ``(k, n)`` with ``k = min(m, n)``.
        compute_uv: return ``(u, s, vh)``; else only ``s``.
        subset_by_index: ``(start, end)``: only those singular triplets (needs ``full_matrices=False``).
        algorithm: accepted for compatibility.

    Returns:
        ``(u, s, vh)`` with descending ``s``, or ``s``.

    Raises:
        ValueError: ``subset_by_index`` with ``full_matrices=True``.

    Example:
        >>> import portax, portax.numpy as pnp
        >>> portax.lax.linalg.svd(pnp.array([[3.0, 0.0], [0.0, 4.0]]), compute_uv=False).tolist()
        [4.0, 3.0]
    """
    (x,) = _inexact("svd", x)
    _matrix("svd", x)
    if subset_by_index is not None and full_matrices and compute_uv:
        raise ValueError("full_matrices and subset_by_index cannot both be set")
    result = _kernel(x, "svd")(x, full_matrices, compute_uv)
    if subset_by_index is None:
        return result
    start, end = subset_by_index
    if not compute_uv:
        return result[..., start:end]
    u, s, vh = result
    return u[..., start:end], s[..., start:end], vh[..., start:end, :]


def lu(x: Any) -> tuple[Array, Array, Array]:
    """LU decomposition with partial pivoting (``jax.lax.linalg.lu``).

    Args:
        x: matrices ``(..., m, n)``.

    Returns:
        ``(lu, pivots, permutation)``: ``L`` (unit diagonal, below) and ``U`` packed in one matrix, the 0-based
        ``int32`` row swaps ``(..., min(m, n))``, and the ``int32`` row permutation ``(..., m)`` with
        ``x[permutation] == L @ U``.

    Example:
        >>> import portax, portax.numpy as pnp
        >>> lu, pivots, permutation = portax.lax.linalg.lu(pnp.array([[1.0, 2.0], [3.0, 4.0]]))
        >>> pivots.tolist(), permutation.tolist()
        ([1, 1], [1, 0])
    """
    (x,) = _inexact("lu", x)
    _matrix("lu", x)
    return _kernel(x, "lu")(x)
