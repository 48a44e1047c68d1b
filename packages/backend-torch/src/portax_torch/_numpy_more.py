"""Indexing (.at[]), sorting, searching, sets, statistics, polynomials and convolution of portax.numpy on torch.

Each function follows ``jax.numpy`` (JAX 0.10, x64 off): the same values and result dtypes, tensors in and out,
inputs never mutated. Functions whose result size depends on the data accept ``size=``/``fill_value=`` as in JAX;
with ``size`` given they avoid data-dependent shapes (so they work under ``torch.func.vmap``).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import torch
from portax.backend import array_equal_over, isclose_over
from portax.errors import UnsupportedError

from portax_torch._base_common import _UNSIGNED_WIDE
from portax_torch._dtypes import DEFAULT_INT, INDEX_DTYPE, to_torch_dtype
from portax_torch._more_common import as_tensor, default_fill, is_inexact, normalize_axis, promote, to_inexact
from portax_torch._more_indexing import at_get, at_update

__all__ = [
    "at_get",
    "at_update",
    "dot",
    "vdot",
    "inner",
    "outer",
    "matmul",
    "tensordot",
    "vecdot",
    "kron",
    "cross",
    "einsum",
    "einsum_path",
    "take",
    "take_along_axis",
    "put_along_axis",
    "compress",
    "extract",
    "place",
    "put",
    "choose",
    "select",
    "piecewise",
    "nonzero",
    "argwhere",
    "flatnonzero",
    "sort",
    "argsort",
    "lexsort",
    "partition",
    "argpartition",
    "searchsorted",
    "digitize",
    "unique",
    "unique_all",
    "unique_counts",
    "unique_inverse",
    "unique_values",
    "isin",
    "intersect1d",
    "union1d",
    "setdiff1d",
    "setxor1d",
    "bincount",
    "histogram",
    "median",
    "nanmedian",
    "quantile",
    "percentile",
    "nanquantile",
    "nanpercentile",
    "average",
    "cov",
    "corrcoef",
    "interp",
    "convolve",
    "correlate",
    "polyval",
    "polyfit",
    "polyadd",
    "polysub",
    "polymul",
    "polyder",
    "polyint",
    "roots",
    "trapezoid",
    "diff",
    "ediff1d",
    "fill_diagonal",
    "mask_indices",
    "ix_",
    "unwrap",
    "allclose",
    "isclose",
    "array_equal",
]


def _cast_result(x: torch.Tensor, preferred_element_type: Any) -> torch.Tensor:
    dtype = to_torch_dtype(preferred_element_type)
    return x if dtype is None else x.to(dtype)


# --- products -------------------------------------------------------------------------------------------------------


# Dtypes torch.matmul/tensordot have no CPU kernels for ("addmm_impl_cpu_" not implemented for 'UInt16').
_NO_MATMUL = frozenset({torch.bool, torch.uint16, torch.uint32, torch.uint64})
_Tensor = torch.Tensor
_torch_matmul = torch.matmul


def _int64_product(fn: Any, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    # Integer products and sums modulo 2**64 in int64 give the same bits as uint16/32/64; bool is "any of ands".
    out = fn(a.to(torch.int64), b.to(torch.int64))
    return out != 0 if a.dtype is torch.bool else out.to(a.dtype)


def matmul(a, b, precision=None, preferred_element_type=None, out_sharding=None):
    # Fast path: two tensors of one dtype need no promotion (torch.matmul never promotes: mixed dtypes raise).
    # Cheapest tests first; torch.matmul bound to a module global (no attribute lookup on ``torch`` per call).
    if preferred_element_type is None and type(a) is _Tensor and type(b) is _Tensor and a.dtype is b.dtype:
        try:
            return _torch_matmul(a, b)
        except NotImplementedError:
            pass  # bool or uint16/32/64 (no CPU kernel): the int64 path below
    a, b = promote(a, b)
    if a.dtype in _NO_MATMUL:
        return _cast_result(_int64_product(torch.matmul, a, b), preferred_element_type)
    return _cast_result(torch.matmul(a, b), preferred_element_type)


def dot(a, b, *, precision=None, preferred_element_type=None, out_sharding=None):
    a, b = promote(a, b)
    if a.dtype in _NO_MATMUL and a.ndim and b.ndim:
        return _cast_result(_int64_product(lambda x, y: dot(x, y), a, b), preferred_element_type)
    if a.ndim == 0 or b.ndim == 0:
        out = a * b
    elif b.ndim == 1:
        out = torch.tensordot(a, b, dims=([a.ndim - 1], [0]))
    else:
        out = torch.tensordot(a, b, dims=([a.ndim - 1], [b.ndim - 2]))
    return _cast_result(out, preferred_element_type)


def vdot(a, b, *, precision=None, preferred_element_type=None):
    a, b = promote(a, b)
    # torch.sum widens integers to int64; jnp.vdot keeps the promoted dtype (int32 . int32 -> int32).
    out = torch.sum(a.conj().reshape(-1) * b.reshape(-1), dtype=a.dtype)
    return _cast_result(out, preferred_element_type)


def inner(a, b, *, precision=None, preferred_element_type=None):
    a, b = promote(a, b)
    if a.ndim == 0 or b.ndim == 0:
        out = a * b
    else:
        if a.shape[-1] != b.shape[-1]:
            raise TypeError(f"portax.numpy.inner: the last axes must have the same size, got shapes {tuple(a.shape)} "
                            f"and {tuple(b.shape)} (as jax.numpy.inner)")
        out = torch.tensordot(a, b, dims=([a.ndim - 1], [b.ndim - 1]))
    return _cast_result(out, preferred_element_type)


def outer(a, b, out=None):
    a, b = promote(a, b)
    return a.reshape(-1, 1) * b.reshape(1, -1)


def tensordot(a, b, axes=2, *, precision=None, preferred_element_type=None, out_sharding=None):
    a, b = promote(a, b)
    if isinstance(axes, torch.Tensor):
        axes = axes.tolist()
    if not isinstance(axes, int):
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, int) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, int) else list(axes_b)
        axes = ([normalize_axis(i, a.ndim) for i in axes_a], [normalize_axis(i, b.ndim) for i in axes_b])
    if a.dtype in _UNSIGNED_WIDE:
        # No uint16/32/64 "dot" kernel in torch; int64 arithmetic gives the same bits modulo 2**64.
        out = torch.tensordot(a.to(torch.int64), b.to(torch.int64), dims=axes).to(a.dtype)
    else:
        out = torch.tensordot(a, b, dims=axes)
    return _cast_result(out, preferred_element_type)


def vecdot(x1, x2, /, *, axis=-1, precision=None, preferred_element_type=None):
    x1, x2 = promote(x1, x2)
    x1, x2 = torch.broadcast_tensors(x1, x2)
    dtype = x1.dtype
    if dtype in _UNSIGNED_WIDE:
        # No uint16/32/64 sum kernel in torch: products and sums modulo 2**64 in int64 are the same bits.
        x1, x2 = x1.to(torch.int64), x2.to(torch.int64)
    # torch.sum widens integers to int64; jnp.vecdot keeps the promoted dtype (uint8 . uint8 -> uint8).
    out = torch.sum(x1.conj() * x2, dim=axis).to(dtype)
    return _cast_result(out, preferred_element_type)


def kron(a, b):
    a, b = promote(a, b)
    return torch.kron(a, b)


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    a, b = promote(a, b)
    if axis is not None:
        axisa = axisb = axisc = axis
    a = torch.movedim(a, axisa, -1)
    b = torch.movedim(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    if a.shape[-1] == 2:
        a = torch.cat([a, torch.zeros_like(a[..., :1])], dim=-1)
    if b.shape[-1] == 2:
        b = torch.cat([b, torch.zeros_like(b[..., :1])], dim=-1)
    a, b = torch.broadcast_tensors(a, b)
    a0, a1, a2 = a.unbind(-1)
    b0, b1, b2 = b.unbind(-1)
    out = torch.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], dim=-1)
    return torch.movedim(out, -1, axisc)


def einsum(
    subscripts, /, *operands, out=None, optimize="auto", precision=None, preferred_element_type=None, out_sharding=None
):
    if not isinstance(subscripts, str):
        raise UnsupportedError("torch", "portax.numpy.einsum in the interleaved (operand, axes, ...) form",
                               "pass a subscripts string, e.g. einsum('ij,jk->ik', a, b)")
    operands = promote(*operands)
    return _cast_result(torch.einsum(subscripts, *operands), preferred_element_type)


def einsum_path(subscripts, /, *operands, optimize="auto"):
    shapes = [np.empty(tuple(as_tensor(op).shape), dtype=np.float32) for op in operands]
    # JAX returns opt_einsum's path (a list of contraction pairs, no leading "einsum_path" marker) and a report.
    path, report = np.einsum_path(subscripts, *shapes, optimize="greedy" if optimize in ("auto", True) else optimize)
    return [tuple(step) for step in path[1:]], report


# --- gathers and functional scatters ----------------------------------------------------------------------------------


def _gather_axis(arr: torch.Tensor, indices: torch.Tensor, axis: int, mode, fill_value) -> torch.Tensor:
    """``take_along_axis`` core: indices broadcast against ``arr`` on the other axes."""
    size = arr.shape[axis]
    idx = indices.to(torch.int64)
    if mode == "wrap":
        idx = torch.remainder(idx, size)
        oob = None
    else:
        idx = torch.where(idx < 0, idx + size, idx)
        oob = (idx < 0) | (idx >= size)
        idx = idx.clamp(0, max(size - 1, 0))
    shape_arr = list(arr.shape)
    shape_idx = list(idx.shape)
    shape_arr[axis] = 1
    shape_idx[axis] = 1
    common = list(torch.broadcast_shapes(tuple(shape_arr), tuple(shape_idx)))
    arr_b = arr.expand(*common[:axis], arr.shape[axis], *common[axis + 1 :])
    idx_shape = common[:axis] + [idx.shape[axis]] + common[axis + 1 :]
    idx_b = idx.expand(*idx_shape)
    if oob is not None:
        oob = oob.expand(*idx_shape)
    out = torch.gather(arr_b, axis, idx_b) if arr.numel() else arr_b.new_zeros(idx_shape)
    if mode in (None, "fill") and oob is not None:
        fill = default_fill(arr.dtype) if fill_value is None else fill_value
        out = torch.where(oob, torch.as_tensor(fill, dtype=arr.dtype), out)
    return out


def take(a, indices, axis=None, out=None, mode=None, unique_indices=False, indices_are_sorted=False, fill_value=None):
    a = as_tensor(a)
    indices = as_tensor(indices)
    if mode == "raise":
        raise NotImplementedError("The 'raise' mode to jnp.take is not supported.")
    if axis is None:
        a = a.reshape(-1)
        axis = 0
    axis = normalize_axis(axis, a.ndim)
    size = a.shape[axis]
    idx = indices.to(torch.int64)
    if mode == "wrap":
        idx = torch.remainder(idx, size)
    elif mode != "clip":
        # JAX (jnp.take): "clip" clamps the raw index; the other modes count negative indices from the end.
        idx = torch.where(idx < 0, idx + size, idx)
    flat = idx.reshape(-1)
    gathered = torch.index_select(a, axis, flat.clamp(0, max(size - 1, 0)))
    gathered = gathered.reshape(a.shape[:axis] + idx.shape + a.shape[axis + 1 :])
    if mode in (None, "fill"):
        oob = ((idx < 0) | (idx >= size)).reshape((1,) * axis + idx.shape + (1,) * (a.ndim - axis - 1))
        fill = default_fill(a.dtype) if fill_value is None else fill_value
        gathered = torch.where(oob, torch.as_tensor(fill, dtype=a.dtype), gathered)
    return gathered


def take_along_axis(arr, indices, axis=-1, mode=None, fill_value=None, *, wrap_negative_indices=None):
    arr = as_tensor(arr)
    indices = as_tensor(indices)
    if axis is None:
        arr = arr.reshape(-1)
        indices = indices.reshape(-1)
        axis = 0
    if indices.ndim != arr.ndim:
        raise ValueError(f"indices and arr must have the same number of dimensions; {indices.ndim} vs. {arr.ndim}")
    return _gather_axis(arr, indices, normalize_axis(axis, arr.ndim), mode, fill_value)


def _require_functional(name: str, inplace: bool) -> None:
    if inplace:
        raise ValueError(
            f"jax.numpy.{name} cannot modify arrays in-place, because arrays are immutable; pass inplace=False "
            "to get an updated copy instead."
        )


def put_along_axis(arr, indices, values, axis, inplace=True, *, mode=None):
    _require_functional("put_along_axis", inplace)
    arr = as_tensor(arr)
    indices = as_tensor(indices)
    if axis is None:
        return at_update(arr.reshape(-1), indices.reshape(-1), values, "set", mode=mode).reshape(arr.shape)
    axis = normalize_axis(axis, arr.ndim)
    index = []
    for dim in range(arr.ndim):
        if dim == axis:
            index.append(indices)
        else:
            shape = [1] * arr.ndim
            shape[dim] = arr.shape[dim]
            index.append(torch.arange(arr.shape[dim], device=arr.device).reshape(shape))
    return at_update(arr, tuple(index), values, "set", mode=mode)


def _pad_to_size(x: torch.Tensor, size: int, fill) -> torch.Tensor:
    """The first ``size`` entries of 1-D ``x``, padded with ``fill``."""
    if x.shape[0] >= size:
        return x[:size]
    pad = torch.full((size - x.shape[0],), 0, dtype=x.dtype, device=x.device)
    pad = pad + torch.as_tensor(fill, dtype=x.dtype) if not isinstance(fill, torch.Tensor) else pad + fill.to(x.dtype)
    return torch.cat([x, pad])


def _masked_positions(mask: torch.Tensor, size: int, fill) -> torch.Tensor:
    """Flat positions of True entries of ``mask``, as a length-``size`` vector padded with ``fill`` (vmap-safe)."""
    flat = mask.reshape(-1).to(torch.int64)
    target = torch.where(flat.bool(), torch.cumsum(flat, 0) - 1, size)
    target = target.clamp(max=size)
    out = torch.full((size + 1,), 0, dtype=torch.int64, device=mask.device)
    fill_t = torch.as_tensor(fill, dtype=torch.int64, device=mask.device)
    out = out + fill_t
    out = out.scatter(0, target, torch.arange(flat.shape[0], device=mask.device))
    return out[:size]


def compress(condition, a, axis=None, *, size=None, fill_value=0, out=None):
    condition = as_tensor(condition)
    a = as_tensor(a)
    if condition.ndim != 1:
        raise ValueError("condition must be a 1D array")
    if axis is None:
        a = a.reshape(-1)
        axis = 0
    axis = normalize_axis(axis, a.ndim)
    n = a.shape[axis]
    cond = condition.bool()[:n]
    if cond.shape[0] < n:
        cond = torch.cat([cond, cond.new_zeros(n - cond.shape[0])])
    a = torch.movedim(a, axis, 0)
    if size is None:
        result = a[cond]
    else:
        pos = _masked_positions(cond, size, n)
        valid = (pos < n).reshape((-1,) + (1,) * (a.ndim - 1))
        result = torch.where(valid, a[pos.clamp(max=max(n - 1, 0))], torch.as_tensor(fill_value, dtype=a.dtype))
    return torch.movedim(result, 0, axis)


def extract(condition, arr, *, size=None, fill_value=0):
    condition = as_tensor(condition)
    arr = as_tensor(arr)
    return compress(condition.reshape(-1) != 0, arr.reshape(-1), size=size, fill_value=fill_value)


def place(arr, mask, vals, *, inplace=True):
    _require_functional("place", inplace)
    arr = as_tensor(arr)
    mask = as_tensor(mask).bool().reshape(-1)
    vals = as_tensor(vals, dtype=arr.dtype).reshape(-1)
    positions = torch.nonzero(mask).reshape(-1)
    if positions.numel() == 0 or vals.numel() == 0:
        return arr.clone()
    vals = vals[torch.arange(positions.numel(), device=arr.device) % vals.numel()]
    return arr.reshape(-1).index_put((positions,), vals).reshape(arr.shape)


def put(a, ind, v, mode=None, *, inplace=True):
    _require_functional("put", inplace)
    a = as_tensor(a)
    ind = as_tensor(ind).reshape(-1).to(torch.int64)
    v = as_tensor(v, dtype=a.dtype).reshape(-1)
    if a.numel() == 0 or ind.numel() == 0 or v.numel() == 0:
        return a.clone()
    v = v[torch.arange(ind.numel(), device=a.device) % v.numel()]
    if mode == "clip":
        ind = ind.clamp(0, a.numel() - 1)
    elif mode == "wrap":
        ind = torch.remainder(ind, a.numel())
    elif mode == "raise":
        raise NotImplementedError("The 'raise' mode to jnp.put is not supported.")
    return at_update(a.reshape(-1), ind, v, "set").reshape(a.shape)


def choose(a, choices, out=None, mode="raise"):
    a = as_tensor(a).to(torch.int64)
    choices = promote(*choices)
    n = len(choices)
    if mode == "wrap":
        a = torch.remainder(a, n)
    elif mode == "clip":
        a = a.clamp(0, n - 1)
    arrays = torch.broadcast_tensors(a, *choices)
    stacked = torch.stack(arrays[1:], 0)
    return torch.gather(stacked, 0, arrays[0].unsqueeze(0)).squeeze(0)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError(f"condlist must have length equal to choicelist ({len(condlist)} vs {len(choicelist)})")
    if not condlist:
        raise ValueError("condlist must be non-empty")
    *choices, default = promote(*choicelist, default)
    result = default
    for cond, choice in zip(reversed(condlist), reversed(choices), strict=True):
        result = torch.where(as_tensor(cond).bool(), choice, result)
    return result


def piecewise(x, condlist, funclist, *args, **kw):
    x = as_tensor(x)
    if isinstance(condlist, torch.Tensor) and condlist.ndim == x.ndim and condlist.dtype == torch.bool:
        condlist = [condlist] if condlist.shape == x.shape and x.ndim == 0 or condlist.ndim == 0 else list(condlist)
        if x.ndim == 0:
            condlist = [condlist[0]] if isinstance(condlist, list) else [condlist]
    elif isinstance(condlist, torch.Tensor) and condlist.ndim == x.ndim + 1:
        condlist = list(condlist)
    elif isinstance(condlist, (bool, torch.Tensor)):
        condlist = [condlist]
    condlist = [as_tensor(c).bool() for c in condlist]
    n = len(condlist)
    if len(funclist) == n + 1:
        otherwise = funclist[-1]
        funclist = funclist[:-1]
    elif len(funclist) == n:
        otherwise = 0
    else:
        raise ValueError(f"with {n} condition(s), either {n} or {n + 1} functions are expected")

    def value(f):
        out = f(x, *args, **kw) if callable(f) else f
        return torch.broadcast_to(as_tensor(out, dtype=x.dtype), x.shape).to(x.dtype)

    result = value(otherwise)
    for cond, f in zip(condlist, funclist, strict=True):
        result = torch.where(cond, value(f), result)
    return result


def nonzero(a, *, size=None, fill_value=None):
    a = as_tensor(a)
    if a.ndim == 0:
        raise ValueError("Calling nonzero on 0d arrays is not allowed. Use jnp.atleast_1d(scalar).nonzero() instead.")
    mask = a != 0
    if size is None:
        return tuple(i.to(INDEX_DTYPE) for i in torch.nonzero(mask, as_tuple=True))
    numel = mask.numel()
    positions = _masked_positions(mask, size, numel)
    valid = positions < numel
    coords = torch.unravel_index(positions.clamp(max=max(numel - 1, 0)), a.shape) if numel else ([positions] * a.ndim)
    fills = fill_value if isinstance(fill_value, (tuple, list)) else [0 if fill_value is None else fill_value] * a.ndim
    if len(fills) != a.ndim:
        raise ValueError(f"fill_value must be a scalar or a tuple of length {a.ndim}; got {fill_value}")
    return tuple(
        torch.where(valid, c, torch.as_tensor(f, dtype=torch.int64)).to(INDEX_DTYPE)
        for c, f in zip(coords, fills, strict=True)
    )


def flatnonzero(a, *, size=None, fill_value=None):
    return nonzero(as_tensor(a).reshape(-1), size=size, fill_value=fill_value)[0]


def argwhere(a, *, size=None, fill_value=None):
    a = as_tensor(a)
    result = torch.stack(nonzero(a.reshape(1) if a.ndim == 0 else a, size=size, fill_value=fill_value), dim=1)
    return result[:, :0] if a.ndim == 0 else result


# --- sorting and searching --------------------------------------------------------------------------------------------


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


def searchsorted(a, v, side="left", sorter=None, *, method="scan"):
    a, v = promote(a, v)
    if side not in ("left", "right"):
        raise ValueError(f"{side!r} is an invalid value for keyword 'side'")
    if a.ndim != 1:
        raise ValueError("a should be 1-dimensional")
    if sorter is not None:
        a = a[as_tensor(sorter).to(torch.int64)]
    if a.numel() == 0:
        return torch.zeros(v.shape, dtype=INDEX_DTYPE)
    if v.ndim == 0:
        return torch.searchsorted(a, v.reshape(1), right=side == "right").reshape(()).to(INDEX_DTYPE)
    return torch.searchsorted(a, v.contiguous(), right=side == "right").to(INDEX_DTYPE)


def digitize(x, bins, right=False, *, method=None):
    x, bins = promote(x, bins)
    if bins.ndim != 1:
        raise ValueError(f"digitize: bins must be a 1-dimensional array; got bins={bins}")
    if bins.shape[0] == 0:
        return torch.zeros(x.shape, dtype=INDEX_DTYPE)
    side = "left" if right else "right"
    increasing = searchsorted(bins, x, side)
    decreasing = bins.shape[0] - searchsorted(bins.flip(0), x, "left" if side == "right" else "right")
    return torch.where(bins[-1] >= bins[0], increasing, decreasing.to(INDEX_DTYPE))


# --- sets -------------------------------------------------------------------------------------------------------------


class _UniqueAllResult(NamedTuple):
    values: Any
    indices: Any
    inverse_indices: Any
    counts: Any


class _UniqueCountsResult(NamedTuple):
    values: Any
    counts: Any


class _UniqueInverseResult(NamedTuple):
    values: Any
    inverse_indices: Any


def _unique_1d(flat, equal_nan, size, fill_value):
    """(values, first index, inverse, counts) of a 1-D tensor, padded to ``size`` as in jnp.unique."""
    n = flat.shape[0]
    if n == 0:
        empty = torch.zeros(0, dtype=INDEX_DTYPE)
        values = flat
        if size is not None:
            values = _pad_to_size(flat, size, 0 if fill_value is None else fill_value)
            empty = torch.zeros(size, dtype=INDEX_DTYPE)
        return values, empty, torch.zeros(0, dtype=INDEX_DTYPE), empty
    if flat.dtype.is_complex:
        sorted_values, perm = _lexsort_values(flat, 0, False)
    else:
        sorted_values, perm = torch.sort(flat, stable=True)
    differs = sorted_values[1:] != sorted_values[:-1]
    if equal_nan and is_inexact(flat.dtype):
        differs = differs & ~(torch.isnan(sorted_values[1:]) & torch.isnan(sorted_values[:-1]))
    is_first = torch.cat([torch.ones(1, dtype=torch.bool, device=flat.device), differs])
    group = torch.cumsum(is_first.to(torch.int64), 0) - 1
    inverse = torch.empty_like(group).scatter(0, perm, group)
    if size is None:
        starts = torch.nonzero(is_first).reshape(-1)
        values = sorted_values[starts]
        index = perm[starts]
        ends = torch.cat([starts[1:], torch.tensor([n], device=flat.device)])
        counts = ends - starts
    else:
        starts = _masked_positions(is_first, size, n)
        valid = starts < n
        safe = starts.clamp(max=n - 1)
        fill = sorted_values[0] if fill_value is None else torch.as_tensor(fill_value, dtype=flat.dtype)
        values = torch.where(valid, sorted_values[safe], fill)
        index = torch.where(valid, perm[safe], perm[0])
        counts = torch.zeros(size + 1, dtype=torch.int64, device=flat.device).index_add(
            0, group.clamp(max=size), torch.ones_like(group)
        )[:size]
    return values, index.to(INDEX_DTYPE), inverse.to(INDEX_DTYPE), counts.to(INDEX_DTYPE)


def unique(
    ar,
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    *,
    equal_nan=True,
    size=None,
    fill_value=None,
    sorted=True,
):
    ar = as_tensor(ar)
    if axis is None:
        values, index, inverse, counts = _unique_1d(ar.reshape(-1), equal_nan, size, fill_value)
        inverse = inverse.reshape(ar.shape)
    else:
        axis = normalize_axis(axis, ar.ndim)
        values, inverse, counts = torch.unique(ar, sorted=True, return_inverse=True, return_counts=True, dim=axis)
        positions = torch.arange(ar.shape[axis], device=ar.device)
        index = torch.full((values.shape[axis],), ar.shape[axis], dtype=torch.int64).scatter_reduce(
            0, inverse, positions, reduce="amin"
        )
        index, inverse, counts = index.to(INDEX_DTYPE), inverse.to(INDEX_DTYPE), counts.to(INDEX_DTYPE)
        if size is not None:
            k = values.shape[axis]
            if k >= size:
                values = values.narrow(axis, 0, size)
                index, counts = index[:size], counts[:size]
            else:
                pad_shape = list(values.shape)
                pad_shape[axis] = size - k
                fill = values.narrow(axis, 0, 1) if fill_value is None else torch.as_tensor(fill_value, dtype=ar.dtype)
                values = torch.cat([values, torch.broadcast_to(fill, pad_shape)], dim=axis)
                index = _pad_to_size(index, size, 0)
                counts = _pad_to_size(counts, size, 0)
    outs = [values]
    if return_index:
        outs.append(index)
    if return_inverse:
        outs.append(inverse)
    if return_counts:
        outs.append(counts)
    return outs[0] if len(outs) == 1 else tuple(outs)


def unique_all(x, /, *, size=None, fill_value=None):
    values, index, inverse, counts = unique(x, True, True, True, equal_nan=False, size=size, fill_value=fill_value)
    return _UniqueAllResult(values, index, inverse, counts)


def unique_counts(x, /, *, size=None, fill_value=None):
    values, counts = unique(x, return_counts=True, equal_nan=False, size=size, fill_value=fill_value)
    return _UniqueCountsResult(values, counts)


def unique_inverse(x, /, *, size=None, fill_value=None):
    values, inverse = unique(x, return_inverse=True, equal_nan=False, size=size, fill_value=fill_value)
    return _UniqueInverseResult(values, inverse)


def unique_values(x, /, *, size=None, fill_value=None):
    return unique(x, equal_nan=False, size=size, fill_value=fill_value)


def isin(element, test_elements, assume_unique=False, invert=False, *, method="auto"):
    element, test_elements = promote(element, test_elements)
    if element.is_complex():
        result = (element.unsqueeze(-1) == test_elements.reshape(-1)).any(-1)
    else:
        result = torch.isin(element, test_elements)
    return ~result if invert else result


def _compact(values: torch.Tensor, keep: torch.Tensor, size, fill_value, default_fill) -> torch.Tensor:
    if size is None:
        return values[keep]
    n = values.shape[0]
    if n == 0:
        return _pad_to_size(values, size, 0 if fill_value is None else fill_value)
    pos = _masked_positions(keep, size, n)
    fill = default_fill if fill_value is None else torch.as_tensor(fill_value, dtype=values.dtype)
    return torch.where(pos < n, values[pos.clamp(max=n - 1)], fill)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False, *, size=None, fill_value=None):
    ar1, ar2 = promote(ar1, ar2)
    v1, i1, _, _ = _unique_1d(ar1.reshape(-1), True, None, None)
    v2, i2, _, _ = _unique_1d(ar2.reshape(-1), True, None, None)
    both = torch.cat([v1, v2])
    idx = torch.cat([i1, i2])
    sorted_both, perm = torch.sort(both, stable=True)
    idx = idx[perm]
    keep = sorted_both[1:] == sorted_both[:-1]
    values = sorted_both[:-1]
    fill_default = values[keep][:1] if size is None else None
    n = values.shape[0]
    if size is not None and n:
        first = _masked_positions(keep, 1, n)[0]
        fill_default = values[first.clamp(max=n - 1)]
    result = _compact(values, keep, size, fill_value, fill_default)
    if not return_indices:
        return result
    ind1 = _compact(idx[:-1], keep, size, 0, 0)
    ind2 = _compact(idx[1:], keep, size, 0, 0)
    return result, ind1.to(INDEX_DTYPE), ind2.to(INDEX_DTYPE)


def union1d(ar1, ar2, *, size=None, fill_value=None):
    ar1, ar2 = promote(ar1, ar2)
    return unique(torch.cat([ar1.reshape(-1), ar2.reshape(-1)]), size=size, fill_value=fill_value)


def setdiff1d(ar1, ar2, assume_unique=False, *, size=None, fill_value=None):
    ar1, ar2 = promote(ar1, ar2)
    values, _, _, _ = _unique_1d(ar1.reshape(-1), True, None, None)
    keep = ~isin(values, ar2)
    return _compact(values, keep, size, fill_value, torch.zeros((), dtype=values.dtype))


def setxor1d(ar1, ar2, assume_unique=False, *, size=None, fill_value=None):
    ar1, ar2 = promote(ar1, ar2)
    v1 = _unique_1d(ar1.reshape(-1), True, None, None)[0]
    v2 = _unique_1d(ar2.reshape(-1), True, None, None)[0]
    both = torch.sort(torch.cat([v1, v2])).values
    if both.shape[0] == 0:
        return _compact(both, both.bool(), size, fill_value, 0)
    same_next = torch.cat([both[1:] == both[:-1], torch.zeros(1, dtype=torch.bool)])
    same_prev = torch.cat([torch.zeros(1, dtype=torch.bool), both[1:] == both[:-1]])
    keep = ~(same_next | same_prev)
    return _compact(both, keep, size, fill_value, both[0])


# --- counting and statistics ------------------------------------------------------------------------------------------


def bincount(x, weights=None, minlength=0, *, length=None, out_sharding=None):
    x = as_tensor(x)
    if is_inexact(x.dtype) or x.dtype == torch.bool and False:
        raise TypeError(f"x argument to bincount must have an integer type; got {x.dtype}")
    if x.ndim != 1:
        raise ValueError("only 1-dimensional input supported.")
    if length is None:
        length = max(int(minlength), int(x.max()) + 1 if x.numel() else 0)
    else:
        length = int(length)
    if weights is None:
        weights = torch.ones(x.shape, dtype=DEFAULT_INT, device=x.device)
    else:
        weights = torch.broadcast_to(as_tensor(weights), x.shape)
    # JAX (jnp.bincount): negative values count in bin 0, values >= length are dropped.
    idx = x.to(torch.int64).clamp(min=0).clamp(max=length)
    return torch.zeros(length + 1, dtype=weights.dtype, device=x.device).index_add(0, idx, weights)[:length]


def _histogram_edges(a, bins, range_):
    if isinstance(bins, int) or (isinstance(bins, torch.Tensor) and bins.ndim == 0):
        nbins = int(bins)
        if range_ is None:
            lo = a.min() if a.numel() else torch.tensor(0.0)
            hi = a.max() if a.numel() else torch.tensor(1.0)
        else:
            lo, hi = (as_tensor(r) for r in range_)
        lo = lo.to(a.dtype)
        hi = hi.to(a.dtype)
        equal = lo == hi
        lo = torch.where(equal, lo - 0.5, lo)
        hi = torch.where(equal, hi + 0.5, hi)
        steps = torch.arange(nbins, dtype=a.dtype) / nbins
        # The last edge is exactly ``hi`` (as linspace gives), so the maximum lands in the last bin.
        return torch.cat([lo + (hi - lo) * steps, hi.reshape(1)])
    return as_tensor(bins)


def histogram(a, bins=10, range=None, weights=None, density=None):
    a = to_inexact(as_tensor(a)).reshape(-1)
    edges = _histogram_edges(a, bins, range)
    a, edges = promote(a, edges)
    if weights is None:
        weights = torch.ones_like(a)
    else:
        weights = (
            as_tensor(weights).reshape(-1).to(a.dtype)
            if not is_inexact(as_tensor(weights).dtype)
            else (as_tensor(weights).reshape(-1))
        )
    # JAX (jnp.histogram): bin by searchsorted(side="right"); the last edge belongs to the last bin.
    nedges = edges.shape[0]
    idx = torch.searchsorted(edges, a.contiguous(), right=True)
    idx = torch.where(a == edges[-1], nedges - 1, idx)
    counts = torch.zeros(nedges + 1, dtype=weights.dtype).index_add(0, idx, weights)[1:nedges]
    if density:
        widths = edges[1:] - edges[:-1]
        counts = counts / widths / counts.sum()
    return counts, edges


def _reduce_axes(a: torch.Tensor, axis):
    """``a`` with the reduced axes moved to the end and flattened into one; and the kept shape for keepdims."""
    if axis is None:
        axes = tuple(builtins_range(a.ndim))
    elif isinstance(axis, int):
        axes = (normalize_axis(axis, a.ndim),)
    else:
        axes = tuple(normalize_axis(ax, a.ndim) for ax in axis)
    kept = [d for d in builtins_range(a.ndim) if d not in axes]
    moved = a.permute(*kept, *axes) if a.ndim else a.reshape(1)
    reduced = 1
    for d in axes:
        reduced *= a.shape[d]
    # The reduced size spelled out (not -1): a zero-size kept axis makes -1 ambiguous (median of (3, 0) over axis 0).
    flat = moved.reshape(tuple(a.shape[d] for d in kept) + (reduced,)) if a.ndim else moved
    keep_shape = tuple(1 if d in axes else a.shape[d] for d in builtins_range(a.ndim))
    return flat, keep_shape


builtins_range = range


def _quantile(a, q, axis, method, keepdims, ignore_nan):
    a = to_inexact(as_tensor(a))
    q = as_tensor(q, dtype=a.dtype) if not isinstance(q, torch.Tensor) else q.to(a.dtype)
    if q.ndim > 1:
        raise ValueError(f"q must be have rank <= 1, got shape {tuple(q.shape)}")
    if method not in ("linear", "lower", "higher", "nearest", "midpoint"):
        raise ValueError(f"method={method!r} not recognized")
    flat, keep_shape = _reduce_axes(a, axis)
    n_total = flat.shape[-1]
    values = torch.sort(flat, dim=-1).values  # NaNs sort last
    nan_mask = torch.isnan(flat)
    if ignore_nan:
        count = (~nan_mask).sum(-1, keepdim=True).to(a.dtype)
    else:
        count = torch.full(flat.shape[:-1] + (1,), float(n_total), dtype=a.dtype)
    qs = q.reshape(q.shape + (1,) * (flat.ndim))  # q dims, then batch dims, then the reduced axis
    pos = qs * (count - 1)
    low = torch.floor(pos)
    high = torch.ceil(pos)
    if method == "lower":
        pos = low
    elif method == "higher":
        pos = high
    elif method == "nearest":
        # JAX (jnp.quantile): the lower neighbour unless the fraction is above one half.
        pos = torch.where(pos - low <= 0.5, low, high)
    max_index = torch.clamp(count - 1, min=0)

    def gather(p):
        p = torch.minimum(torch.clamp(p, min=0), max_index).to(torch.int64)
        shape = torch.broadcast_shapes(p.shape, q.shape + values.shape[:-1] + (1,))
        return (
            torch.gather(values.expand(q.shape + values.shape), -1, p.expand(shape))
            if n_total
            else (torch.full(shape, float("nan"), dtype=a.dtype))
        )

    if method == "linear":
        lo_v, hi_v = gather(low), gather(high)
        frac = pos - low
        result = lo_v + (hi_v - lo_v) * frac
        result = torch.where(high == low, lo_v, result)
    elif method == "midpoint":
        result = (gather(low) + gather(high)) * 0.5
    else:
        result = gather(pos)
    result = result.squeeze(-1)
    if ignore_nan:
        result = torch.where(count.squeeze(-1) == 0, torch.nan, result)
    else:
        result = torch.where(nan_mask.any(-1), torch.nan, result)
    if keepdims:
        result = result.reshape(q.shape + keep_shape)
    return result


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None):
    if weights is not None:
        raise UnsupportedError("torch", "portax.numpy.quantile(weights=...)", "use the jax backend for weighted quantiles, "
                               "or sort the data and take the weighted cumulative sum yourself")
    return _quantile(a, q, axis, method, keepdims, ignore_nan=False)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None):
    if weights is not None:
        raise UnsupportedError("torch", "portax.numpy.nanquantile(weights=...)", "use the jax backend for weighted quantiles, "
                               "or sort the data and take the weighted cumulative sum yourself")
    return _quantile(a, q, axis, method, keepdims, ignore_nan=True)


def percentile(
    a,
    q,
    axis=None,
    out=None,
    overwrite_input=False,
    method="linear",
    keepdims=False,
    *,
    weights=None,
    out_sharding=None,
):
    q = as_tensor(q)
    return quantile(a, to_inexact(q) / 100, axis, out, overwrite_input, method, keepdims, weights=weights)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None):
    q = as_tensor(q)
    return nanquantile(a, to_inexact(q) / 100, axis, out, overwrite_input, method, keepdims, weights=weights)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _quantile(a, 0.5, axis, "midpoint", keepdims, ignore_nan=False)


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _quantile(a, 0.5, axis, "midpoint", keepdims, ignore_nan=True)


def average(a, axis=None, weights=None, returned=False, keepdims=False):
    a = to_inexact(as_tensor(a))
    if isinstance(axis, list):
        axis = tuple(axis)
    dims = axis if axis is not None else tuple(builtins_range(a.ndim))
    if weights is None:
        avg = torch.mean(a, dim=dims, keepdim=keepdims) if a.ndim else a.clone()
        count = a.numel() // max(avg.numel(), 1) if not keepdims else a.numel() // max(avg.numel(), 1)
        weights_sum = torch.full(avg.shape, float(count), dtype=avg.dtype)
    else:
        a, weights = promote(a, weights)
        if weights.shape != a.shape:
            if axis is None:
                raise ValueError("Axis must be specified when shapes of a and weights differ.")
            if not isinstance(axis, int) or weights.ndim != 1:
                raise ValueError("1D weights expected when shapes of a and weights differ.")
            ax = normalize_axis(axis, a.ndim)
            if weights.shape[0] != a.shape[ax]:
                raise ValueError("Length of weights not compatible with specified axis.")
            shape = [1] * a.ndim
            shape[ax] = -1
            weights = weights.reshape(shape)
        weights = torch.broadcast_to(weights, a.shape)
        weights_sum = torch.sum(weights, dim=dims, keepdim=keepdims) if a.ndim else weights
        avg = (torch.sum(a * weights, dim=dims, keepdim=keepdims) if a.ndim else a * weights) / weights_sum
    if returned:
        return avg, torch.broadcast_to(weights_sum, avg.shape)
    return avg


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
    m = as_tensor(m)
    if m.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    x = m.reshape(1, -1) if m.ndim < 2 else m
    x = to_inexact(x)
    dtype = to_torch_dtype(dtype)
    if dtype is not None:
        x = x.to(dtype)
    if not rowvar and x.shape[0] != 1:
        x = x.T
    if x.shape[0] == 0:
        return torch.zeros((0, 0), dtype=x.dtype)
    if y is not None:
        yy = to_inexact(as_tensor(y))
        yy = yy.reshape(1, -1) if yy.ndim < 2 else yy
        if not rowvar and yy.shape[0] != 1:
            yy = yy.T
        x, yy = promote(x, yy)
        x = torch.cat([x, yy], dim=0)
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    if fweights is not None:
        w = as_tensor(fweights).to(x.dtype)
    if aweights is not None:
        aw = as_tensor(aweights).to(x.dtype)
        w = aw if w is None else w * aw
    if w is None:
        avg = x.mean(dim=1)
        w_sum = torch.tensor(float(x.shape[1]), dtype=x.dtype)
        fact = w_sum - ddof
    else:
        w_sum = w.sum()
        avg = (x * w).sum(dim=1) / w_sum
        if ddof == 0:
            fact = w_sum
        elif aweights is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * torch.sum(w * as_tensor(aweights).to(x.dtype)) / w_sum
    fact = torch.clamp(fact, min=0) if not torch.is_complex(fact) else fact
    xc = x - avg[:, None]
    xw = xc if w is None else xc * w
    c = torch.matmul(xw, xc.T.conj()) / fact
    return c.squeeze()


def corrcoef(x, y=None, rowvar=True, dtype=None):
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = torch.diagonal(c)
    stddev = torch.sqrt(d.real) if d.is_complex() else torch.sqrt(d)
    c = c / stddev[:, None] / stddev[None, :]
    if c.is_complex():
        return torch.complex(c.real.clamp(-1, 1), c.imag.clamp(-1, 1))
    return c.clamp(-1, 1)


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


# --- polynomials ------------------------------------------------------------------------------------------------------


def polyval(p, x, *, unroll=16):
    p, x = promote(p, x)
    result = torch.zeros_like(x)
    for coefficient in p.unbind(0) if p.shape[0] else ():
        result = result * x + coefficient
    return result


def polyadd(a1, a2):
    a1, a2 = promote(a1, a2)
    n = max(a1.shape[0], a2.shape[0])
    return torch.cat([a1.new_zeros(n - a1.shape[0]), a1]) + torch.cat([a2.new_zeros(n - a2.shape[0]), a2])


def polysub(a1, a2):
    a1, a2 = promote(a1, a2)
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
    p = to_inexact(as_tensor(p))
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


# --- differences, integration and misc --------------------------------------------------------------------------------


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
    result = ary[1:] - ary[:-1]
    parts = []
    if to_begin is not None:
        parts.append(as_tensor(to_begin, dtype=ary.dtype).reshape(-1).to(ary.dtype))
    parts.append(result)
    if to_end is not None:
        parts.append(as_tensor(to_end, dtype=ary.dtype).reshape(-1).to(ary.dtype))
    return torch.cat(parts) if len(parts) > 1 else result


def fill_diagonal(a, val, wrap=False, *, inplace=True):
    _require_functional("fill_diagonal", inplace)
    a = as_tensor(a)
    if a.ndim < 2:
        raise ValueError("array must be at least 2-d")
    if a.ndim > 2 and len(set(a.shape)) != 1:
        raise ValueError("All dimensions of input must be of equal length")
    n = min(a.shape)
    if a.ndim == 2:
        step = a.shape[1] + 1
        end = a.numel() if wrap else a.shape[1] * a.shape[1]
        positions = torch.arange(0, min(end, a.numel()), step)
    else:
        stride = sum(a.shape[0] ** k for k in builtins_range(a.ndim))
        positions = torch.arange(n) * stride
    val = as_tensor(val, dtype=a.dtype).reshape(-1).to(a.dtype)
    if positions.numel() == 0:
        return a.clone()
    val = val[torch.arange(positions.numel()) % val.numel()] if val.numel() else val
    return a.reshape(-1).index_put((positions,), val).reshape(a.shape)


def mask_indices(n, mask_func, k=0, *, size=None):
    n = int(n)
    mask = as_tensor(mask_func(torch.ones((n, n), dtype=DEFAULT_INT), k)) != 0
    return nonzero(mask, size=size)


def ix_(*args):
    n = len(args)
    out = []
    for i, arg in enumerate(args):
        arg = as_tensor(arg)
        if arg.ndim != 1:
            raise ValueError(f"Cross index must be 1 dimensional, got shape {tuple(arg.shape)}")
        if arg.dtype == torch.bool:
            raise TypeError("Boolean arguments to jax.numpy.ix_ are not supported")
        shape = [1] * n
        shape[i] = arg.shape[0]
        out.append(arg.reshape(shape))
    return tuple(out)


def unwrap(p, discont=None, axis=-1, period=2 * math.pi):
    p = to_inexact(as_tensor(p))
    if p.ndim == 0 or p.shape[axis] == 0:
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


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = promote(a, b)
    if not is_inexact(a.dtype):
        return a == b
    rtol_t = as_tensor(rtol).to(a.real.dtype if a.is_complex() else a.dtype)
    atol_t = as_tensor(atol).to(rtol_t.dtype)
    return isclose_over(torch, a, b, rtol_t, atol_t, bool(equal_nan))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return torch.all(isclose(a, b, rtol, atol, equal_nan))


def array_equal(a1, a2, equal_nan=False):
    a1, a2 = promote(a1, a2)
    if a1.shape != a2.shape:
        return torch.tensor(False)
    return array_equal_over(torch, a1, a2, bool(equal_nan), is_inexact(a1.dtype))
