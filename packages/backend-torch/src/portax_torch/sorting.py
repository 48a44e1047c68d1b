"""Sorting and searching of portax.numpy on torch (``sort``, ``argsort``, ``searchsorted``, ...)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from portax_torch._common import as_tensor, complex_of, inexact_of_int, normalize_axis, promote
from portax_torch._dtypes import (
    INDEX_DTYPE,
    to_torch_dtype,
)


def sort_complex(a: Any) -> torch.Tensor:
    a = as_tensor(a)
    # JAX's complex of the inexact dtype: complex128 for float64, and for int64/uint64 with x64 on.
    complex_dtype = complex_of(a.dtype if a.dtype.is_floating_point or a.dtype.is_complex else inexact_of_int(a.dtype))
    if not a.dtype.is_complex:
        return sort(a).to(complex_dtype)
    # lax.sort of complex numbers: lexicographic on (real, imag) along the last axis
    by_imag = torch.sort(a.imag, dim=-1, stable=True).indices
    a = torch.take_along_dim(a, by_imag, -1)
    by_real = torch.sort(a.real, dim=-1, stable=True).indices
    return torch.take_along_dim(a, by_real, -1)


def sort(a, axis=-1, *, kind=None, order=None, stable=True, descending=False):
    a = as_tensor(a)
    if axis is None:
        a = a.reshape(-1)
        axis = 0
    if a.ndim == 0:  # jax.numpy: sort needs an axis to sort along
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension 0 (use axis=None)")
    if a.dtype.is_complex:
        return _lexsort_values(a, axis, descending)[0]
    return torch.sort(a, dim=axis, stable=True, descending=descending).values


def _lexsort_values(a, axis, descending):
    # Complex numbers sort lexicographically by (real, imag), as in NumPy and JAX.
    order = torch.sort(a.imag, dim=axis, stable=True, descending=descending).indices
    real = torch.take_along_dim(a.real, order, dim=axis)
    order2 = torch.sort(real, dim=axis, stable=True, descending=descending).indices
    order = torch.take_along_dim(order, order2, dim=axis)
    return torch.take_along_dim(a, order, dim=axis), order


def sort_1d(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(values, permutation)`` of a 1-d tensor sorted stably; complex lexicographically by (real, imag), as JAX."""
    if x.dtype.is_complex:
        return _lexsort_values(x, 0, False)
    out = torch.sort(x, stable=True)
    return out.values, out.indices


def _complex_ranks(a: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Dense ranks (int64) of complex ``a`` and ``v`` in one lexicographic order: searching the ranks is searching the
    numbers in JAX's order (torch has no complex searchsorted)."""
    both = torch.cat([a.reshape(-1), v.reshape(-1)])
    if both.numel() == 0:
        return a.real.to(torch.int64), v.real.to(torch.int64)
    values, order = _lexsort_values(both, 0, False)
    step = torch.cat([torch.zeros(1, dtype=torch.int64), (values[1:] != values[:-1]).to(torch.int64)])
    ranks = torch.empty_like(step)
    ranks[order] = torch.cumsum(step, 0)
    return ranks[: a.numel()].reshape(a.shape), ranks[a.numel() :].reshape(v.shape)


def argsort(a, axis=-1, *, kind=None, order=None, stable=True, descending=False, dtype=None):
    a = as_tensor(a)
    if axis is None:
        a = a.reshape(-1)
        axis = 0
    out_dtype = to_torch_dtype(dtype) or INDEX_DTYPE
    if a.ndim == 0:
        return torch.zeros((), dtype=out_dtype)
    if a.dtype.is_complex:
        return _lexsort_values(a, axis, descending)[1].to(out_dtype)
    return torch.sort(a, dim=axis, stable=True, descending=descending).indices.to(out_dtype)


def lexsort(keys, axis=-1):
    keys = [as_tensor(k) for k in keys]
    if not keys:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    keys = torch.broadcast_tensors(*keys)
    if keys[0].ndim == 0:
        return torch.zeros((), dtype=INDEX_DTYPE)
    axis = normalize_axis(axis, keys[0].ndim)
    order = torch.sort(keys[0], dim=axis, stable=True).indices
    for key in keys[1:]:
        step = torch.sort(torch.take_along_dim(key, order, dim=axis), dim=axis, stable=True).indices
        order = torch.take_along_dim(order, step, dim=axis)
    return order.to(INDEX_DTYPE)


def _partition(a, kth, axis, want_indices):
    a = as_tensor(a)
    axis = normalize_axis(axis, a.ndim)
    arr = torch.movedim(a, axis, -1)
    n = arr.shape[-1]
    if not isinstance(kth, int):
        raise TypeError("kth must be a static integer (as in jax.numpy.partition)")
    kth = kth + n if kth < 0 else kth
    if not 0 <= kth < n:
        raise ValueError(f"kth={kth} out of bounds for axis of length {n}")
    # JAX (lax_numpy.partition): the k+1 smallest sorted ascending, then the rest sorted descending (lax.top_k).
    if want_indices:
        # JAX (lax_numpy.argpartition): the k+1 smallest by a stable top_k, then the other indices in order.
        bottom = torch.sort(arr, dim=-1, stable=True).indices[..., : kth + 1]
        proxy = torch.ones(arr.shape, dtype=torch.int8).scatter(-1, bottom, 0)
        top = torch.sort(proxy, dim=-1, descending=True, stable=True).indices[..., : n - kth - 1]
        out = torch.cat([bottom, top], dim=-1).to(INDEX_DTYPE)
    else:
        bottom = torch.topk(arr, kth + 1, dim=-1, largest=False, sorted=True)
        top = torch.topk(arr, n - kth - 1, dim=-1, largest=True, sorted=True)
        out = torch.cat([bottom.values, top.values], dim=-1)
    return torch.movedim(out, -1, axis)


def partition(a, kth, axis=-1):
    return _partition(a, kth, axis, want_indices=False)


def argpartition(a, kth, axis=-1):
    return _partition(a, kth, axis, want_indices=True)


def _searchable(x: torch.Tensor) -> torch.Tensor:
    """``x`` in a dtype torch.searchsorted has a kernel for, with the same order: bool as uint8, uint16/32 as int64,
    uint64 as int64 with the top bit flipped."""
    if x.dtype is torch.bool:
        return x.to(torch.uint8)
    if x.dtype is torch.uint64:
        return x.view(torch.int64) ^ torch.iinfo(torch.int64).min
    return x.to(torch.int64) if x.dtype in (torch.uint16, torch.uint32) else x


def searchsorted(a, v, side="left", sorter=None, *, method="scan"):
    a, v = promote(a, v)
    if a.dtype.is_complex:
        a, v = _complex_ranks(a, v)
    a, v = _searchable(a), _searchable(v)
    if side not in ("left", "right"):
        raise ValueError(f"{side!r} is an invalid value for keyword 'side'")
    if a.ndim != 1:
        raise ValueError("a should be 1-dimensional")
    if sorter is not None:
        a = a[as_tensor(sorter).to(torch.int64)]
    # jnp.searchsorted: int32 positions while they fit, also with x64 on (jax 0.10)
    index_dtype = torch.int32 if a.shape[0] < 2**31 else torch.int64
    if a.numel() == 0:
        return torch.zeros(v.shape, dtype=index_dtype)
    if v.ndim == 0:
        return torch.searchsorted(a, v.reshape(1), right=side == "right").reshape(()).to(index_dtype)
    return torch.searchsorted(a, v.contiguous(), right=side == "right").to(index_dtype)


def digitize(x, bins, right=False, *, method=None):
    x, bins = promote(x, bins)
    if x.dtype.is_complex:
        bins, x = _complex_ranks(bins, x)
    x, bins = _searchable(x), _searchable(bins)
    if bins.ndim != 1:
        raise ValueError(f"digitize: bins must be a 1-dimensional array; got bins={bins}")
    if bins.shape[0] == 0:
        return torch.zeros(x.shape, dtype=torch.int32)
    side = "left" if right else "right"
    increasing = searchsorted(bins, x, side)
    decreasing = bins.shape[0] - searchsorted(bins.flip(0), x, side)  # jnp.digitize: the same side both ways
    return torch.where(bins[-1] >= bins[0], increasing, decreasing.to(increasing.dtype))
