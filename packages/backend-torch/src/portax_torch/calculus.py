"""Differences, gradients and integrals of portax.numpy on torch (``diff``, ``gradient``, ``trapezoid``, ...)."""

from __future__ import annotations

import math
from typing import Any

import torch
from numpy.exceptions import AxisError

from portax_torch._common import as_tensor, is_wide_unsigned, normalize_axis, promote, to_default_float, to_inexact
from portax_torch.statistics import builtins_range


def _slice(a: torch.Tensor, axis: int, start: int | None, stop: int | None) -> torch.Tensor:
    index = [slice(None)] * a.ndim
    index[axis] = slice(start, stop)
    return a[tuple(index)]


def _gradient_along_axis(a: torch.Tensor, h: torch.Tensor, axis: int) -> torch.Tensor:
    """jax ``gradient_along_axis``: second-order central differences inside, first-order at the edges."""
    upper_edge = _slice(a, axis, 1, 2) - _slice(a, axis, 0, 1)
    lower_edge = _slice(a, axis, -1, None) - _slice(a, axis, -2, -1)
    if h.ndim == 0:
        inner = (_slice(a, axis, 2, None) - _slice(a, axis, None, -2)) * 0.5 / h
        return torch.cat([upper_edge / h, inner, lower_edge / h], axis)
    if h.ndim != 1:
        raise ValueError("Spacing arrays must be 1D arrays or scalars.")
    if h.shape[0] != a.shape[axis]:
        raise ValueError(
            "Spacing arrays must have the same length as the dimension along which the gradient is calculated."
        )
    shape = [1] * a.ndim
    shape[axis] = h.shape[0]
    h = h.reshape(shape)
    upper_edge = upper_edge / (_slice(h, axis, 1, 2) - _slice(h, axis, 0, 1))
    lower_edge = lower_edge / (_slice(h, axis, -1, None) - _slice(h, axis, -2, -1))
    dx1 = _slice(h, axis, 1, -1) - _slice(h, axis, 0, -2)
    dx2 = _slice(h, axis, 2, None) - _slice(h, axis, 1, -1)
    wa = -dx2 / (dx1 * (dx1 + dx2))
    wb = (dx2 - dx1) / (dx1 * dx2)
    wc = dx1 / (dx2 * (dx1 + dx2))
    inner = wa * _slice(a, axis, 0, -2) + wb * _slice(a, axis, 1, -1) + wc * _slice(a, axis, 2, None)
    return torch.cat([upper_edge, inner, lower_edge], axis)


def gradient(f: Any, *varargs: Any, axis: Any = None, edge_order: Any = None) -> Any:
    if edge_order is not None:
        raise NotImplementedError("The 'edge_order' argument to jnp.gradient is not supported.")
    a = to_inexact(as_tensor(f))
    spacing = [to_inexact(as_tensor(h)) for h in varargs]
    if spacing:
        a, *spacing = promote(a, *spacing)
    if axis is None:
        axes = tuple(range(a.ndim))
    else:
        axes = tuple(normalize_axis(i, a.ndim) for i in ((axis,) if isinstance(axis, int) else axis))
    if not axes:
        return []
    if min(a.shape[i] for i in axes) < 2:
        raise ValueError("Shape of array too small to calculate a numerical gradient, at least 2 elements are required.")
    if not spacing:
        spacing = [torch.tensor(1.0, dtype=a.dtype)] * len(axes)
    elif len(spacing) == 1:
        spacing = spacing * len(axes)
    if len(spacing) != len(axes):
        raise TypeError(f"Invalid number of spacing arguments {len(varargs)} for axis={axis}")
    out = [_gradient_along_axis(a, h, ax) for ax, h in zip(axes, spacing, strict=True)]
    return out[0] if len(axes) == 1 else out


def interp(x, xp, fp, left=None, right=None, period=None):
    x = to_inexact(as_tensor(x))
    xp = as_tensor(xp)
    fp = as_tensor(fp)
    x, xp = promote(x, to_inexact(xp))
    fp = to_inexact(fp)
    if xp.ndim != 1 or fp.ndim != 1 or xp.shape != fp.shape:
        raise ValueError("xp and fp must be one-dimensional arrays of equal size")
    if period is not None:
        if left is not None or right is not None:
            raise ValueError("left and right must be None if period is specified")
        period = torch.abs(as_tensor(period, dtype=x.dtype))
        x = torch.remainder(x, period)
        xp = torch.remainder(xp, period)
        order = torch.argsort(xp, stable=True)
        xp, fp = xp[order], fp[order]
        xp = torch.cat([xp[-1:] - period, xp, xp[:1] + period])
        fp = torch.cat([fp[-1:], fp, fp[:1]])
    # JAX (jnp.interp) formula, so values at repeated xp match.
    i = torch.clamp(torch.searchsorted(xp, x.contiguous(), right=True), 1, xp.shape[0] - 1)
    df = fp[i] - fp[i - 1]
    dx = xp[i] - xp[i - 1]
    delta = x - xp[i - 1]
    eps = torch.finfo(dx.dtype).eps
    dx0 = torch.abs(dx) <= eps
    f = torch.where(dx0, fp[i - 1], fp[i - 1] + (delta / torch.where(dx0, torch.ones_like(dx), dx)) * df)
    if period is None:
        left_v = fp[0] if left is None else as_tensor(left, dtype=f.dtype)
        right_v = fp[-1] if right is None else as_tensor(right, dtype=f.dtype)
        f = torch.where(x < xp[0], left_v, f)
        f = torch.where(x > xp[-1], right_v, f)
    return f


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = to_inexact(as_tensor(y))
    y = torch.movedim(y, axis, -1)
    if x is not None:
        x = as_tensor(x)
        y, x = promote(y, x)
        x = torch.movedim(x, axis, -1) if x.ndim > 1 else x
        d = x[..., 1:] - x[..., :-1]
    else:
        d = dx
    return 0.5 * torch.sum(d * (y[..., 1:] + y[..., :-1]), dim=-1)


def diff(a, n=1, axis=-1, prepend=None, append=None):
    a = as_tensor(a)
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n}")
    if n == 0:
        return a.clone()
    axis = normalize_axis(axis, a.ndim)
    extras = [v for v in (prepend, append) if v is not None]
    if extras:
        a, *_ = promote(a, *extras)
    if is_wide_unsigned(a):  # no torch uint16/32/64 sub kernel: int64 wraps to the same bits
        dtype = a.dtype
        wide = [v.to(torch.int64) if isinstance(v, torch.Tensor) else v for v in (prepend, append)]
        return diff(a.to(torch.int64), n, axis, *wide).to(dtype)

    def widen(v):
        v = as_tensor(v, dtype=a.dtype) if not isinstance(v, torch.Tensor) else v.to(a.dtype)
        if v.ndim == 0:
            shape = list(a.shape)
            shape[axis] = 1
            v = torch.broadcast_to(v, shape)
        return v

    parts = []
    if prepend is not None:
        parts.append(widen(prepend))
    parts.append(a)
    if append is not None:
        parts.append(widen(append))
    a = torch.cat(parts, dim=axis) if len(parts) > 1 else a
    for _ in builtins_range(n):
        length = max(a.shape[axis] - 1, 0)
        hi = a.narrow(axis, min(1, a.shape[axis]), length)
        lo = a.narrow(axis, 0, length)
        a = hi != lo if a.dtype == torch.bool else hi - lo
    return a


def ediff1d(ary, to_end=None, to_begin=None):
    ary = as_tensor(ary).reshape(-1)
    if ary.dtype is torch.bool:
        raise TypeError("portax.numpy.ediff1d does not accept bool arrays (as jax.numpy); cast to an integer dtype")
    result = diff(ary)
    parts = []
    if to_begin is not None:
        parts.append(as_tensor(to_begin, dtype=ary.dtype).reshape(-1).to(ary.dtype))
    parts.append(result)
    if to_end is not None:
        parts.append(as_tensor(to_end, dtype=ary.dtype).reshape(-1).to(ary.dtype))
    return torch.cat(parts) if len(parts) > 1 else result


def unwrap(p, discont=None, axis=-1, period=2 * math.pi):
    p = to_default_float(as_tensor(p))  # jnp.unwrap: the default float for integers (float64 with x64 on)
    if p.ndim == 0:  # jnp.unwrap indexes p.shape[axis]: IndexError
        raise AxisError(f"axis {axis} is out of bounds for array of dimension 0 (unwrap needs at least one dimension)")
    if p.shape[axis] == 0:
        return p.clone()
    axis = normalize_axis(axis, p.ndim)
    period_t = as_tensor(period, dtype=p.dtype) if not isinstance(period, torch.Tensor) else period.to(p.dtype)
    if discont is None:
        discont = period_t / 2
    interval = period_t / 2
    dd = diff(p, axis=axis)
    ddmod = torch.remainder(dd + interval, period_t) - interval
    ddmod = torch.where((ddmod == -interval) & (dd > 0), interval, ddmod)
    ph_correct = torch.where(torch.abs(dd) < discont, torch.zeros_like(dd), ddmod - dd)
    head = p.narrow(axis, 0, 1)
    tail = p.narrow(axis, 1, p.shape[axis] - 1) + torch.cumsum(ph_correct, dim=axis)
    return torch.cat([head, tail], dim=axis)
