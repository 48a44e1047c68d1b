"""portax.numpy.linalg on PyTorch, with ``jax.numpy.linalg``'s signatures, result types and dtypes (x64 off).

Integer inputs are computed in float32 (JAX's default float). Results that are namedtuples in JAX
(``EighResult``, ``QRResult``, ``SlogdetResult``, ``SVDResult``, ``EigResult``) are namedtuples with the same fields.
"""

from __future__ import annotations

import builtins
import math
from typing import Any, NamedTuple

import torch

from portax_torch._common import as_tensor, normalize_axis, promote, to_inexact
from portax_torch._dtypes import DEFAULT_INT, to_torch_dtype

__all__ = [
    "cholesky",
    "cond",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "inv",
    "lstsq",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "matrix_transpose",
    "multi_dot",
    "norm",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "tensordot",
    "tensorinv",
    "tensorsolve",
    "trace",
    "vecdot",
    "vector_norm",
    "EighResult",
    "QRResult",
    "SlogdetResult",
    "SVDResult",
    "EigResult",
]


class EighResult(NamedTuple):
    eigenvalues: Any
    eigenvectors: Any


class EigResult(NamedTuple):
    eigenvalues: Any
    eigenvectors: Any


class QRResult(NamedTuple):
    Q: Any
    R: Any


class SlogdetResult(NamedTuple):
    sign: Any
    logabsdet: Any


class SVDResult(NamedTuple):
    U: Any
    S: Any
    Vh: Any


def _inexact(a: Any) -> torch.Tensor:
    return to_inexact(as_tensor(a))


def _nonfinite_as_nan(fn: Any, a: torch.Tensor, check_first: bool = False) -> Any:
    """``fn(a)`` with JAX's (LAPACK's) answer for matrices holding NaN or inf: all-NaN outputs for those matrices.

    torch refuses such input (``linalg.svd: The algorithm failed to converge``, ``linalg.eig: input tensor should
    not contain infs or NaNs``); the first try costs nothing when the input is finite. Otherwise the bad matrices of
    the batch are replaced by an identity, decomposed, and their outputs filled with NaN.
    """
    if check_first:  # torch.linalg.eigvals of NaN input crashes the process (torch 2.13): look before calling
        bad = ~torch.isfinite(a).flatten(-2).all(-1)
        if not bool(bad.any()):
            return fn(a)
    else:
        try:
            return fn(a)
        except RuntimeError:
            bad = ~torch.isfinite(a).flatten(-2).all(-1)
            if not bool(bad.any()):
                raise
    eye = torch.eye(a.shape[-2], a.shape[-1], dtype=a.dtype, device=a.device)
    out = fn(torch.where(bad[..., None, None], eye, a))

    def fill(t: Any) -> Any:
        if not isinstance(t, torch.Tensor) or not (t.dtype.is_floating_point or t.dtype.is_complex):
            return t
        mask = bad.reshape(bad.shape + (1,) * (t.ndim - bad.ndim))
        nan = complex(math.nan, math.nan) if t.dtype.is_complex else math.nan
        return torch.where(mask, torch.full((), nan, dtype=t.dtype, device=t.device), t)

    if isinstance(out, tuple):
        return type(out)(*(fill(t) for t in out)) if hasattr(out, "_fields") else tuple(fill(t) for t in out)
    return fill(out)


def _lu_solve_singular(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``solve(a, b)`` through LU with partial pivoting that does not stop at a zero pivot: JAX's (LAPACK getrf +
    triangular solves) +-inf/NaN for a singular ``a``, where torch.linalg.inv/solve raise."""
    lu, pivots, _info = torch.linalg.lu_factor_ex(a)
    return torch.linalg.lu_solve(lu, pivots, b)


def _symmetrize(a: torch.Tensor) -> torch.Tensor:
    # JAX (linalg.cholesky/eigh, symmetrize_input=True): use (a + a^H) / 2.
    return (a + a.mH) / 2


def cholesky(a, *, upper=False, symmetrize_input=True):
    a = _inexact(a)
    if symmetrize_input:
        a = _symmetrize(a)
    # JAX returns NaNs for a matrix that is not positive definite instead of raising.
    result, info = torch.linalg.cholesky_ex(a, upper=upper)
    failed = (info != 0).reshape(info.shape + (1, 1))
    return torch.where(failed, torch.full_like(result, float("nan")), result)


def det(a):
    return torch.linalg.det(_inexact(a))


def slogdet(a, *, method=None):
    sign, logabsdet = torch.linalg.slogdet(_inexact(a))
    return SlogdetResult(sign, logabsdet)


def eigh(a, UPLO=None, symmetrize_input=True):
    a = _inexact(a)
    uplo = "L" if UPLO is None else UPLO
    if symmetrize_input:
        a = _symmetrize(a)
    w, v = torch.linalg.eigh(a, UPLO=uplo)
    return EighResult(w, v)


def eigvalsh(a, UPLO="L", *, symmetrize_input=True):
    a = _inexact(a)
    if symmetrize_input:
        a = _symmetrize(a)
    return torch.linalg.eigvalsh(a, UPLO=UPLO or "L")


def eig(a):
    w, v = _nonfinite_as_nan(torch.linalg.eig, _inexact(a), check_first=True)
    return EigResult(w, v)


def eigvals(a):
    return _nonfinite_as_nan(torch.linalg.eigvals, _inexact(a), check_first=True)


def inv(a):
    a = _inexact(a)
    try:
        return torch.linalg.inv(a)
    except RuntimeError:  # singular: JAX gives +-inf/NaN
        if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
            raise
        eye = torch.eye(a.shape[-1], dtype=a.dtype, device=a.device).expand(a.shape)
        return _lu_solve_singular(a, eye)


def solve(a, b):
    a, b = promote(_inexact(a), b)
    b = to_inexact(b)
    a = a.to(b.dtype)
    # NumPy 2 / JAX: b is a stack of vectors only when it is 1-D.
    try:
        if b.ndim == 1:
            return torch.linalg.solve(a, b.unsqueeze(-1)).squeeze(-1) if a.ndim == 2 else torch.linalg.solve(a, b)
        return torch.linalg.solve(a, b)
    except RuntimeError:
        if a.shape[-1] != a.shape[-2] or b.shape[-1 if b.ndim == 1 else -2] != a.shape[-1]:
            raise  # a shape error, not a singular matrix
    if b.ndim == 1:
        return _lu_solve_singular(a, b.unsqueeze(-1)).squeeze(-1)
    return _lu_solve_singular(a, b)


def _default_rtol(a: torch.Tensor) -> float:
    return max(a.shape[-2:]) * torch.finfo(a.real.dtype if a.is_complex() else a.dtype).eps


def pinv(a, rtol=None, hermitian=False, *, rcond=None):
    a = _inexact(a)
    if rcond is not None:
        rtol = rcond
    if rtol is None:
        rtol = _default_rtol(a)
    rtol = as_tensor(rtol).to(a.real.dtype).unsqueeze(-1) if isinstance(rtol, torch.Tensor) else rtol
    return _nonfinite_as_nan(lambda m: torch.linalg.pinv(m, rtol=rtol, hermitian=hermitian), a)


def matrix_rank(M, rtol=None, *, hermitian=False, tol=None):
    M = _inexact(M)
    if M.ndim < 2:
        return (M != 0).any().to(DEFAULT_INT)
    s = _nonfinite_as_nan(torch.linalg.svdvals, M) if not hermitian else torch.linalg.eigvalsh(M).abs()
    smax = s.max(dim=-1, keepdim=True).values if s.shape[-1] else torch.zeros(s.shape[:-1] + (1,), dtype=s.dtype)
    if tol is not None:
        threshold = as_tensor(tol).to(s.dtype)
        threshold = threshold.unsqueeze(-1) if threshold.ndim else threshold
    else:
        if rtol is None:
            rtol = _default_rtol(M)
        rtol = as_tensor(rtol).to(s.dtype)
        threshold = (rtol.unsqueeze(-1) if rtol.ndim else rtol) * smax
    return (s > threshold).sum(-1).to(DEFAULT_INT)


def matrix_power(a, n):
    a = as_tensor(a)
    return torch.linalg.matrix_power(a if n >= 0 else to_inexact(a), int(n))


def qr(a, mode="reduced"):
    a = _inexact(a)
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"Unsupported QR decomposition mode '{mode}'")
    if mode == "raw":
        h, tau = torch.geqrf(a)
        return h.mT, tau
    q, r = torch.linalg.qr(a, mode="r" if mode == "r" else mode)
    if mode == "r":
        return r
    return QRResult(q, r)


def svd(a, full_matrices=True, compute_uv=True, hermitian=False, subset_by_index=None):
    a = _inexact(a)
    if subset_by_index is not None:
        # The singular values (descending) with indices in [start, end), and their vectors (jax.numpy.linalg.svd
        # documents this; jax itself implements it on TPU only). Computed in full, then sliced.
        start, end = (int(i) for i in subset_by_index)
        if full_matrices and (start, end) != (0, builtins.min(a.shape[-2:])):
            raise ValueError("svd: subset_by_index requires full_matrices=False")
        if not compute_uv:
            return _nonfinite_as_nan(torch.linalg.svdvals, a)[..., start:end]
        u, s, vh = _nonfinite_as_nan(lambda m: torch.linalg.svd(m, full_matrices=False), a)
        return SVDResult(u[..., start:end], s[..., start:end], vh[..., start:end, :])
    if not compute_uv:
        return _nonfinite_as_nan(torch.linalg.svdvals, a)
    u, s, vh = _nonfinite_as_nan(lambda m: torch.linalg.svd(m, full_matrices=full_matrices), a)
    return SVDResult(u, s, vh)


def svdvals(x, /):
    return _nonfinite_as_nan(torch.linalg.svdvals, _inexact(x))


def lstsq(a, b, rcond=None, *, numpy_resid=False):
    a, b = promote(_inexact(a), b)
    a = to_inexact(a)
    b = b.to(a.dtype)
    if a.ndim != 2:
        raise TypeError(f"lstsq only supports 2D arrays; got a.ndim={a.ndim}")
    vector = b.ndim == 1
    b2 = b.unsqueeze(-1) if vector else b
    m, n = a.shape
    # JAX (linalg.lstsq): an SVD-based pseudo-inverse solve; rcond defaults to eps * max(m, n).
    u, s, vh = _nonfinite_as_nan(lambda m: torch.linalg.svd(m, full_matrices=False), a)
    real = s.dtype
    if rcond is None:
        rcond = torch.finfo(real).eps * max(m, n)
    else:
        rcond = torch.where(as_tensor(rcond).to(real) < 0, torch.finfo(real).eps, as_tensor(rcond).to(real))
    mask = s >= (as_tensor(rcond).to(real) * s[0] if s.numel() else 0)
    rank = mask.sum().to(torch.int32)
    safe_s = torch.where(mask, s, torch.ones_like(s)).to(a.dtype)
    uTb = torch.matmul(u.mH, b2)
    x = torch.matmul(vh.mH, torch.where(mask.unsqueeze(-1), uTb / safe_s.unsqueeze(-1), torch.zeros_like(uTb)))
    if numpy_resid and (int(rank) < n or m <= n):
        resid = torch.zeros(0, dtype=real)
    else:
        b_est = torch.matmul(a, x)
        resid = torch.linalg.vector_norm(b2 - b_est, dim=0) ** 2
    x = torch.where(torch.isnan(s).any(), torch.full((), math.nan, dtype=x.dtype), x)  # NaN input: NaN (as JAX)
    if vector:
        x = x.squeeze(-1)
        resid = resid.reshape(-1) if resid.numel() else resid
    return x, resid, rank, s


def _vector_norm(x, ord, dim, keepdim):
    if ord is None:
        ord = 2
    if isinstance(ord, str):
        raise ValueError(f"Invalid order {ord!r} for vector norm")
    return torch.linalg.vector_norm(x, ord=ord, dim=dim, keepdim=keepdim)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    x = _inexact(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    if x.ndim == 0 and axis is None:
        return torch.abs(x)
    return _vector_norm(x, ord, axis, keepdims)


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)


def norm(x, ord=None, axis=None, keepdims=False):
    x = _inexact(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    if axis is None:
        if ord is None:
            out = torch.linalg.vector_norm(x, 2, dim=None)
            return out.reshape((1,) * x.ndim) if keepdims else out
        axis = tuple(range(x.ndim))
        if len(axis) > 2:
            raise ValueError("Improper number of axes for norm")
    if isinstance(axis, int):
        axis = (axis,)
    if len(axis) == 1:
        return _vector_norm(x, ord, axis, keepdims)
    if len(axis) != 2:
        raise ValueError(f"Invalid axis {axis} for norm")
    row, col = (normalize_axis(a, x.ndim) for a in axis)
    if ord is None or ord == "fro" or ord == "f":
        return torch.linalg.vector_norm(x, 2, dim=(row, col), keepdim=keepdims)
    if ord in ("nuc", 2, -2):
        moved = torch.movedim(x, (row, col), (-2, -1))
        s = torch.linalg.svdvals(moved)
        if ord == -2 and not s.shape[-1]:
            raise ValueError("zero-size array to reduction operation min which has no identity")
        if ord == "nuc" or not s.shape[-1]:
            out = s.sum(-1)  # an empty matrix has 2-norm 0 (as JAX)
        else:
            out = s.max(-1).values if ord == 2 else s.min(-1).values
        if keepdims:
            for d in sorted((row, col)):
                out = out.unsqueeze(d)
        return out
    return torch.linalg.matrix_norm(x, ord=ord, dim=(row, col), keepdim=keepdims)


def cond(x, p=None):
    x = _inexact(x)
    if p is None or p in (2, -2):
        s = torch.linalg.svdvals(x)
        result = s[..., 0] / s[..., -1] if p in (None, 2) else s[..., -1] / s[..., 0]
    else:
        result = norm(x, p, axis=(-2, -1)) * norm(torch.linalg.inv(x), p, axis=(-2, -1))
    # JAX (linalg.cond): singular inputs give inf instead of NaN.
    return torch.where(torch.isnan(result) & ~torch.isnan(x).any(dim=(-2, -1)), torch.inf, result)


def multi_dot(arrays, *, precision=None):
    arrays = promote(*arrays)
    if len(arrays) < 2:
        raise ValueError("Expecting at least two arrays.")
    first_vector = arrays[0].ndim == 1
    last_vector = arrays[-1].ndim == 1
    arrays = list(arrays)
    if first_vector:
        arrays[0] = arrays[0].unsqueeze(0)
    if last_vector:
        arrays[-1] = arrays[-1].unsqueeze(-1)
    out = torch.linalg.multi_dot(arrays)
    if first_vector:
        out = out.squeeze(0)
    if last_vector:
        out = out.squeeze(-1)
    return out


def tensorinv(a, ind=2):
    a = _inexact(a)
    shape = a.shape
    rows = math.prod(shape[:ind])
    cols = math.prod(shape[ind:])
    if rows != cols:
        raise ValueError(f"tensorinv: product of first {ind} dimensions must equal the product of the rest")
    return torch.linalg.inv(a.reshape(rows, cols)).reshape(shape[ind:] + shape[:ind])


def tensorsolve(a, b, axes=None):
    a, b = promote(_inexact(a), b)
    b = b.to(a.dtype)
    if axes is not None:
        if isinstance(axes, int):
            axes = (axes,)
        axes = [normalize_axis(ax, a.ndim) for ax in axes]
        rest = [d for d in range(a.ndim) if d not in axes]
        a = a.permute(*rest, *axes)
    out_shape = a.shape[b.ndim :]
    n = math.prod(out_shape)
    return torch.linalg.solve(a.reshape(-1, n), b.reshape(-1)).reshape(out_shape)


def cross(x1, x2, /, *, axis=-1):
    x1, x2 = promote(x1, x2)
    if x1.shape[axis] != 3 or x2.shape[axis] != 3:
        raise ValueError("Both input arrays must be (arrays of) 3-dimensional vectors")
    x1, x2 = torch.broadcast_tensors(x1, x2)
    return torch.linalg.cross(x1, x2, dim=axis)


def diagonal(x, /, *, offset=0):
    return torch.diagonal(as_tensor(x), offset=offset, dim1=-2, dim2=-1)


def matmul(x1, x2, /, *, precision=None, preferred_element_type=None):
    x1, x2 = promote(x1, x2)
    out = torch.matmul(x1, x2)
    dtype = to_torch_dtype(preferred_element_type)
    return out if dtype is None else out.to(dtype)


def outer(x1, x2, /):
    x1, x2 = promote(x1, x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(f"Input arrays must be one-dimensional, but they are x1.ndim={x1.ndim} and x2.ndim={x2.ndim}")
    return x1[:, None] * x2[None, :]


def tensordot(x1, x2, /, *, axes=2, precision=None, preferred_element_type=None, out_sharding=None):
    from portax_torch.products import tensordot as _tensordot

    return _tensordot(x1, x2, axes, preferred_element_type=preferred_element_type)


def trace(x, /, *, offset=0, dtype=None):
    from portax_torch.reductions import trace as _trace

    # jnp.trace's (and the standard's) dtype rule: small integers sum in the default integer of their signedness
    # (uint8/uint16 -> uint32, int8/int16 -> int32), others keep their dtype.
    return _trace(as_tensor(x), offset, -2, -1, dtype)


def vecdot(x1, x2, /, *, axis=-1, precision=None, preferred_element_type=None):
    from portax_torch.products import vecdot as _vecdot

    return _vecdot(x1, x2, axis=axis, preferred_element_type=preferred_element_type)


def matrix_transpose(x, /):
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"x must be at least two-dimensional for matrix_transpose; got ndim={x.ndim}")
    return x.mT
