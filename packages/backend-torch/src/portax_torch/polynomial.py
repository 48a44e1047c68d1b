"""Polynomials and convolutions of portax.numpy on torch (``polyval``, ``roots``, ``convolve``, ...)."""

from __future__ import annotations

import math
from typing import Any

import torch

from portax_torch._common import as_tensor, is_wide_unsigned, promote, to_inexact
from portax_torch._dtypes import (
    DEFAULT_FLOAT,
    DEFAULT_INT,
)
from portax_torch.products import _cast_result
from portax_torch.statistics import builtins_range


def poly(seq_of_zeros: Any) -> torch.Tensor:
    zeros = to_inexact(as_tensor(seq_of_zeros))
    zeros = zeros.reshape(1) if zeros.ndim == 0 else zeros
    if zeros.ndim == 2 and zeros.shape[0] == zeros.shape[1] and zeros.shape[0] != 0:
        zeros = torch.linalg.eigvals(zeros)
    if zeros.ndim != 1:
        raise ValueError("input must be 1d or non-empty square 2d array.")
    if zeros.shape[0] == 0:
        return torch.ones((), dtype=zeros.dtype)
    coefficients = torch.ones(1, dtype=zeros.dtype)
    for k in builtins_range(zeros.shape[0]):
        coefficients = convolve(coefficients, torch.stack([torch.ones((), dtype=zeros.dtype), -zeros[k]]))
    return coefficients


def polydiv(u: Any, v: Any, *, trim_leading_zeros: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    u, v = promote(to_inexact(as_tensor(u)), to_inexact(as_tensor(v)))
    m, n = u.shape[0] - 1, v.shape[0] - 1
    scale = 1.0 / v[0]
    quotient = []
    for k in builtins_range(0, m - n + 1):
        d = scale * u[k]
        quotient.append(d)
        u = torch.cat([u[:k], u[k : k + n + 1] - d * v, u[k + n + 1 :]])
    q = torch.stack(quotient) if quotient else torch.zeros(1, dtype=u.dtype)
    if trim_leading_zeros:
        eps = torch.finfo(u.real.dtype if u.dtype.is_complex else u.dtype).eps
        nonzero = torch.nonzero(torch.abs(u) >= math.sqrt(eps))  # jax trim_zeros_tol(u, sqrt(eps), "f")
        u = u[int(nonzero[0]) :] if nonzero.numel() else u[:0]
    return q, u


def _correlate_1d(a, v, mode, conj_v, flip_v, preferred_element_type):
    a, v = promote(to_inexact(as_tensor(a)), v)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError("convolve() and correlate() only support 1-dimensional inputs.")
    if a.shape[0] == 0 or v.shape[0] == 0:
        raise ValueError("convolve() and correlate() require non-empty inputs.")
    swapped = False
    if a.shape[0] < v.shape[0]:
        a, v = v, a
        swapped = True
    if conj_v:
        v = v.conj_physical()
        if swapped:
            # correlate(a, v) = reverse(conj(correlate(v, a))): conjugate both now, reverse at the end.
            a, v = a.conj_physical(), v.conj_physical()
    if flip_v:
        v = v.flip(0)
    m = v.shape[0]
    if mode == "valid":
        pad = (0, 0)
    elif mode == "same":
        pad = (m // 2, m - m // 2 - 1)
    elif mode == "full":
        pad = (m - 1, m - 1)
    else:
        raise ValueError("mode must be one of ['full', 'same', 'valid']")
    padded = torch.cat([a.new_zeros(pad[0]), a, a.new_zeros(pad[1])])
    out = torch.matmul(padded.unfold(0, m, 1), v)
    if swapped and not flip_v:
        out = out.flip(0)
    return _cast_result(out, preferred_element_type)


def convolve(a, v, mode="full", *, precision=None, preferred_element_type=None):
    return _correlate_1d(a, v, mode, conj_v=False, flip_v=True, preferred_element_type=preferred_element_type)


def correlate(a, v, mode="valid", *, precision=None, preferred_element_type=None):
    return _correlate_1d(a, v, mode, conj_v=True, flip_v=False, preferred_element_type=preferred_element_type)


def polyval(p, x, *, unroll=16):
    p, x = promote(p, x)
    if is_wide_unsigned(x):  # no torch uint16/32/64 add/mul kernels: int64 wraps to the same bits
        return polyval(p.to(torch.int64), x.to(torch.int64)).to(x.dtype)
    result = torch.zeros_like(x)
    for coefficient in p.unbind(0) if p.shape[0] else ():
        result = result * x + coefficient
    return result


def polyadd(a1, a2):
    a1, a2 = promote(a1, a2)
    if a1.dtype is torch.bool:  # torch adds bools as logical or
        raise TypeError("portax.numpy.polyadd does not accept bool arrays (as jax.numpy); cast to an integer dtype")
    if is_wide_unsigned(a1):
        return polyadd(a1.to(torch.int64), a2.to(torch.int64)).to(a1.dtype)
    n = max(a1.shape[0], a2.shape[0])
    return torch.cat([a1.new_zeros(n - a1.shape[0]), a1]) + torch.cat([a2.new_zeros(n - a2.shape[0]), a2])


def polysub(a1, a2):
    a1, a2 = promote(a1, a2)
    if is_wide_unsigned(a1):
        return polysub(a1.to(torch.int64), a2.to(torch.int64)).to(a1.dtype)
    return polyadd(a1, -a2)


def polymul(a1, a2, *, trim_leading_zeros=False):
    a1, a2 = promote(a1, a2)
    if trim_leading_zeros:
        a1, a2 = _strip_leading_zeros(a1), _strip_leading_zeros(a2)
    if a1.shape[0] == 0:
        a1 = a1.new_zeros(1)
    if a2.shape[0] == 0:
        a2 = a2.new_zeros(1)
    return convolve(a1, a2, "full")


def _strip_leading_zeros(p):
    nz = torch.nonzero(p != 0).reshape(-1)
    return p[int(nz[0]) :] if nz.numel() else p[:1]


def polyder(p, m=1):
    p = to_inexact(as_tensor(p))
    if m < 0:
        raise ValueError("Order of derivative must be positive")
    for _ in builtins_range(m):
        n = p.shape[0]
        p = p[:-1] * torch.arange(n - 1, 0, -1, dtype=p.dtype if not p.dtype == torch.bool else DEFAULT_INT)
    return p


def polyint(p, m=1, k=None):
    p = as_tensor(p)
    # jnp.polyint promotes p with a weakly typed zero: bool becomes the default float (float64 with x64 on).
    p = p.to(DEFAULT_FLOAT) if p.dtype is torch.bool else to_inexact(p)
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    if k is None:
        k = torch.zeros(m, dtype=p.dtype)
    k = torch.atleast_1d(as_tensor(k, dtype=p.dtype) if not isinstance(k, torch.Tensor) else k.to(p.dtype))
    if k.shape[0] == 1:
        k = k.expand(m)
    if k.shape[0] != m:
        raise ValueError("k must be a scalar or a rank-1 array of length 1 or m.")
    for i in builtins_range(m):
        n = p.shape[0]
        p = torch.cat([p / torch.arange(n, 0, -1, dtype=p.dtype), k[i : i + 1]])
    return p


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    from portax_torch import linalg

    x, y = promote(to_inexact(as_tensor(x)), y)
    order = int(deg) + 1
    if rcond is None:
        rcond = x.shape[0] * torch.finfo(x.dtype).eps
    lhs = x.unsqueeze(-1) ** torch.arange(order - 1, -1, -1, dtype=x.dtype)
    rhs = y
    if w is not None:
        w = as_tensor(w).to(x.dtype)
        lhs = lhs * w[:, None]
        rhs = rhs * (w if rhs.ndim == 1 else w[:, None])
    scale = torch.sqrt((lhs * lhs).sum(0))
    lhs = lhs / scale
    c, resids, rank, s = linalg.lstsq(lhs, rhs, rcond)
    scaled_c = c
    c = c / scale if c.ndim == 1 else c / scale[:, None]
    if full:
        return c, resids, rank, s, torch.as_tensor(rcond, dtype=x.dtype)
    if cov:
        # numpy.polyfit's (and jnp.polyfit's) covariance: inv(A^T A) / outer(scale, scale), times the residual
        # variance unless cov="unscaled".
        base = torch.linalg.inv(lhs.mT @ lhs) / torch.outer(scale, scale)
        if isinstance(cov, str) and cov == "unscaled":
            factor = torch.ones((), dtype=x.dtype)
        else:
            if x.shape[0] <= order:
                raise ValueError("the number of data points must exceed order to scale the covariance matrix")
            squared = ((lhs @ scaled_c - rhs) ** 2).sum(0)
            factor = squared / (x.shape[0] - order)
        return c, base * factor if rhs.ndim == 1 else base[:, :, None] * factor
    return c


def roots(p, *, strip_zeros=True):
    p = torch.atleast_1d(to_inexact(as_tensor(p)))
    if p.ndim != 1:
        raise ValueError("Input must be a rank-1 array.")
    if strip_zeros:
        p = _strip_leading_zeros(p) if p.numel() else p
        nz = torch.nonzero(p != 0).reshape(-1)
        trailing = p.shape[0] - 1 - int(nz[-1]) if nz.numel() else 0
        p = p[: p.shape[0] - trailing]
    else:
        trailing = 0
    ctype = torch.complex128 if p.dtype in (torch.float64, torch.complex128) else torch.complex64
    if p.shape[0] < 2:
        return torch.zeros(trailing, dtype=ctype)
    n = p.shape[0] - 1
    companion = torch.diag(torch.ones(n - 1, dtype=p.dtype), -1)
    companion = torch.cat([(-p[1:] / p[0]).unsqueeze(0), companion[1:]], dim=0)
    result = torch.linalg.eigvals(companion).to(ctype)
    return torch.cat([result, torch.zeros(trailing, dtype=ctype)])
