"""Native paths of ``portax.scipy`` on torch: ``torch.special`` kernels and ``torch.linalg`` factorizations.

Functions torch lacks (``betaln``, ``xlogy`` with JAX's gradient rule, ``entr``, ``logsumexp`` with ``b=``) are
absent here on purpose: core computes them over ``portax.numpy``. ``torch.special.xlogy``/``xlog1py``/``entr`` are
not used: their backward gives 0 for ``d/dx`` at ``x == 0`` where JAX gives ``log(y)``.
"""

from __future__ import annotations

from typing import Any

import torch

erf = torch.special.erf
erfc = torch.special.erfc
erfinv = torch.special.erfinv
expit = torch.special.expit
logit = torch.special.logit
gammaln = torch.special.gammaln
digamma = torch.special.digamma
ndtr = torch.special.ndtr
ndtri = torch.special.ndtri
i0e = torch.special.i0e
i1e = torch.special.i1e
i0 = torch.special.i0
i1 = torch.special.i1
erfcx = torch.special.erfcx
# gammainc/gammaincc/betainc/zeta: core (portax.lax.igamma with torch.special.gammainc's values and JAX's derivative
# rules; the incomplete beta and zeta series over portax.numpy, differentiable where torch.special.zeta is not).


def polygamma(n: Any, x: torch.Tensor) -> torch.Tensor:
    return torch.special.polygamma(n, x)


def log_ndtr(x: torch.Tensor, series_order: int = 3) -> torch.Tensor:
    # torch's kernel is accurate in the whole left tail (erfcx based); JAX's series order only matters below -20.
    return torch.special.log_ndtr(x)


# -- linalg -------------------------------------------------------------------------------------------------------


def eig(a: torch.Tensor) -> Any:
    # torch.linalg.eig without portax.numpy's look at the data (a Python branch on NaN input): core's Schur-free
    # sqrtm/funm/solve_sylvester have already replaced non-finite matrices, so this traces under jit
    return torch.linalg.eig(a)


def _lower_or_upper(c: torch.Tensor, lower: bool) -> torch.Tensor:
    return c if lower else c.mT


def cholesky(a: torch.Tensor, lower: bool = False) -> torch.Tensor:
    # JAX factors ``a`` (lower) or ``a^H`` (upper): the upper factor reads a's upper triangle, as scipy's
    return torch.linalg.cholesky(a) if lower else torch.linalg.cholesky(a.mH).mH


def svd(a: torch.Tensor, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    if not compute_uv:
        return torch.linalg.svdvals(a)
    return torch.linalg.svd(a, full_matrices=full_matrices)


def cho_factor(a: torch.Tensor, lower: bool = False, overwrite_a: bool = False, check_finite: bool = True) -> Any:
    # scipy/JAX return (c, lower) where the unused triangle is unspecified; JAX's holds the input's values.
    low = torch.linalg.cholesky(a)
    factor = _lower_or_upper(low, lower)
    other = torch.triu(a, 1) if lower else torch.tril(a, -1)
    return factor + other, lower


def cho_solve(c_and_lower: Any, b: torch.Tensor, overwrite_b: bool = False, check_finite: bool = True) -> Any:
    c, lower = c_and_lower
    low = torch.tril(c) if lower else torch.triu(c).mT
    vector = b.ndim == c.ndim - 1
    rhs = b.unsqueeze(-1) if vector else b
    out = torch.cholesky_solve(rhs, low, upper=False)
    return out.squeeze(-1) if vector else out


def solve_triangular(
    a: torch.Tensor,
    b: torch.Tensor,
    trans: int | str = 0,
    lower: bool = False,
    unit_diagonal: bool = False,
    overwrite_b: bool = False,
    debug: Any = None,
    check_finite: bool = True,
) -> torch.Tensor:
    trans = {"N": 0, "T": 1, "C": 2}.get(trans, trans) if isinstance(trans, str) else trans
    if trans not in (0, 1, 2):
        raise ValueError(f"solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', got {trans!r}")
    a = torch.tril(a) if lower else torch.triu(a)
    upper = not lower
    if trans:
        a = a.mT.conj() if trans == 2 else a.mT
        upper = not upper
    vector = b.ndim == a.ndim - 1
    rhs = b.unsqueeze(-1) if vector else b
    out = torch.linalg.solve_triangular(a, rhs, upper=upper, unitriangular=unit_diagonal)
    return out.squeeze(-1) if vector else out


def lu(a: torch.Tensor, permute_l: bool = False, overwrite_a: bool = False, check_finite: bool = True) -> Any:
    p, lower_factor, u = torch.linalg.lu(a)
    if permute_l:
        return p @ lower_factor, u
    return p, lower_factor, u


def lu_factor(a: torch.Tensor, overwrite_a: bool = False, check_finite: bool = True) -> Any:
    lu_matrix, pivots = torch.linalg.lu_factor(a)
    return lu_matrix, (pivots - 1).to(torch.int32)  # scipy/JAX pivots are 0-based int32


def lu_solve(lu_and_piv: Any, b: torch.Tensor, trans: int = 0, overwrite_b: bool = False, check_finite: bool = True) -> Any:
    lu_matrix, pivots = lu_and_piv
    vector = b.ndim == lu_matrix.ndim - 1
    rhs = b.unsqueeze(-1) if vector else b
    out = torch.linalg.lu_solve(lu_matrix, (pivots + 1).to(torch.int32), rhs, adjoint=bool(trans))
    return out.squeeze(-1) if vector else out


def qr(a: torch.Tensor, overwrite_a: bool = False, lwork: Any = None, mode: str = "full", pivoting: bool = False,
       check_finite: bool = True) -> Any:
    if pivoting:
        raise NotImplementedError  # refused in core before reaching here
    if mode == "r":
        return (torch.linalg.qr(a, mode="complete")[1],)  # scipy's mode="r" is the full (m, n) R
    if mode == "full":
        return torch.linalg.qr(a, mode="complete")
    if mode == "economic":
        return torch.linalg.qr(a, mode="reduced")
    raise ValueError(f"qr: mode must be 'full', 'r' or 'economic', got {mode!r}")


def eigh(a: torch.Tensor, b: Any = None, lower: bool = True, eigvals_only: bool = False, overwrite_a: bool = False,
         overwrite_b: bool = False, turbo: bool = True, eigvals: Any = None, type: int = 1, check_finite: bool = True,
         subset_by_index: Any = None) -> Any:
    w, v = torch.linalg.eigh(a, UPLO="L" if lower else "U")
    return w if eigvals_only else (w, v)


def expm(A: torch.Tensor, *, upper_triangular: bool = False, max_squarings: int = 16) -> torch.Tensor:  # noqa: N803
    return torch.linalg.matrix_exp(A)


def block_diag(*arrays: torch.Tensor) -> torch.Tensor:
    return torch.block_diag(*[a if a.ndim == 2 else a.reshape(1, -1) if a.ndim == 1 else a.reshape(1, 1) for a in arrays])


def det(a: torch.Tensor, overwrite_a: bool = False, check_finite: bool = True) -> torch.Tensor:
    return torch.linalg.det(a)


def inv(a: torch.Tensor, overwrite_a: bool = False, check_finite: bool = True) -> torch.Tensor:
    return torch.linalg.inv(a)


def solve(a: torch.Tensor, b: torch.Tensor, lower: bool = False, overwrite_a: bool = False, overwrite_b: bool = False,
          check_finite: bool = True, assume_a: str = "gen") -> torch.Tensor:
    vector = b.ndim == a.ndim - 1
    rhs = b.unsqueeze(-1) if vector else b
    out = torch.linalg.solve(a, rhs)
    return out.squeeze(-1) if vector else out


# -- fast paths of portax.nn / logsumexp (measured: 3-5x faster eagerly than the composed JAX formula; same values
# within float32 rounding, same gradients). Core calls them only for an int axis without where=/b=/return_sign.


def softmax(x: torch.Tensor, axis: int) -> torch.Tensor:
    return torch.softmax(x, axis)


def log_softmax(x: torch.Tensor, axis: int) -> torch.Tensor:
    return torch.log_softmax(x, axis)


def logsumexp(a: torch.Tensor, axis: int, keepdims: bool) -> torch.Tensor:
    return torch.logsumexp(a, axis, keepdim=keepdims)


def dot_product_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, bias: Any, is_causal: bool,
                          scale: float) -> torch.Tensor:
    # JAX's (B, T, N, H) layout -> torch's (B, N, T, H); core folded every mask into the additive float ``bias`` (a
    # finite large negative, so fully masked rows average as in JAX instead of torch's NaN for boolean masks).
    groups = query.shape[2] // key.shape[2]
    if groups > 1:  # query head n reads key/value head n // groups, as JAX's grouping
        key, value = key.repeat_interleave(groups, dim=2), value.repeat_interleave(groups, dim=2)
    if bias is not None and bias.dtype != query.dtype:  # SDPA wants the query's dtype; keep the mask finite in it
        bias = bias.clamp(min=-0.7 * torch.finfo(query.dtype).max).to(query.dtype)
    q, k, v = query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2)
    if torch._C._functorch.peek_interpreter_stack() is not None:
        # inside torch.func transforms: the fused CPU kernel has no vmap batching rule (torch falls back to a loop
        # over the batch with a warning); the composite math kernel is transformed like any other op
        out = torch.ops.aten._scaled_dot_product_attention_math(q, k, v, bias, 0.0, is_causal, None, scale=scale)[0]
    else:
        out = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=bias, is_causal=is_causal,
                                                               scale=scale)
    return out.transpose(1, 2)


_CONVOLUTIONS = {1: torch.nn.functional.conv1d, 2: torch.nn.functional.conv2d, 3: torch.nn.functional.conv3d}


def correlate_nd(in1: torch.Tensor, kernel: torch.Tensor, padding: list) -> torch.Tensor:
    # lax.conv_general_dilated's (low, high) padding per axis, possibly negative (cropping): F.pad takes both, last
    # axis first; then torch's own convolution kernel (a cross-correlation, as lax's) over 1-3 spatial axes.
    pads = [amount for low_high in reversed(padding) for amount in low_high]
    padded = torch.nn.functional.pad(in1, pads) if any(pads) else in1
    return _CONVOLUTIONS[in1.ndim](padded[None, None], kernel[None, None])[0, 0]
