"""Shape and layout functions of portax.numpy on torch (``reshape``, ``concatenate``, ``pad``, ...)."""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np
import torch
from portax.errors import UnsupportedError

from portax_torch._common import (
    Tensor,
    as_signed_bits,
    as_tensor,
    normalize_axes,
    normalize_axis,
    operator_index,
    result_dtype,
    to_inexact,
)
from portax_torch._dtypes import (
    DEFAULT_FLOAT,
    INDEX_DTYPE,
    to_torch_dtype,
)


def _shape_arg(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (torch.Tensor, np.ndarray)) and shape.ndim == 1:
        shape = shape.tolist()  # jnp.reshape(x, shape_array): a concrete 1-d integer array is a shape
    if isinstance(shape, (tuple, list, torch.Size)):
        return tuple(operator_index(n) for n in shape)
    return (operator_index(shape),)


def reshape(a, shape, order="C", *, copy=None, out_sharding=None):
    a = as_tensor(a)
    shape = _shape_arg(shape)
    if order == "F":
        return a.permute(*reversed(range(a.ndim))).reshape(tuple(reversed(shape))).permute(
            *reversed(range(len(shape))))
    if order not in ("C", "A"):
        raise ValueError(f"reshape: unknown order {order!r}; use 'C' or 'F'")
    out = a.reshape(shape)
    return out.clone() if copy else out


def ravel(a, order="C", *, out_sharding=None):
    return reshape(a, (-1,), order)


def transpose(a, axes=None):
    a = as_tensor(a)
    if axes is None:
        return a.permute(*reversed(range(a.ndim)))
    return a.permute(*(normalize_axis(operator_index(x), a.ndim) for x in axes))


def permute_dims(a, /, axes):
    return transpose(a, axes)


def matrix_transpose(x, /):
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose requires at least 2 dimensions, got shape {tuple(x.shape)}")
    return x.transpose(-1, -2)


def swapaxes(a, axis1, axis2):
    return as_tensor(a).swapaxes(axis1, axis2)


def moveaxis(a, source, destination):
    a = as_tensor(a)
    src = tuple(source) if isinstance(source, (tuple, list)) else source
    dst = tuple(destination) if isinstance(destination, (tuple, list)) else destination
    return torch.movedim(a, src, dst)


def rollaxis(a, axis, start=0):
    a = as_tensor(a)
    n = a.ndim
    axis = normalize_axis(axis, n)
    if not -n <= start <= n:
        raise ValueError(f"rollaxis: start={start} out of range for {n} dimensions")
    start = start % (n + 1) if start < 0 else start
    if axis < start:
        start -= 1
    return torch.movedim(a, axis, start) if axis != start else a


def expand_dims(a, axis):
    a = as_tensor(a)
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    out_ndim = a.ndim + len(axes)
    positions = sorted(normalize_axis(operator_index(x), out_ndim) for x in axes)
    if len(set(positions)) != len(positions):
        raise ValueError(f"repeated axis in expand_dims: {axis}")
    shape = list(a.shape)
    for p in positions:
        shape.insert(p, 1)
    return a.reshape(shape)


def squeeze(a, axis=None):
    a = as_tensor(a)
    if axis is None:
        return a.squeeze()
    axes = normalize_axes(axis, a.ndim)
    for ax in axes:
        if a.shape[ax] != 1:
            raise ValueError(f"cannot select an axis to squeeze out which has size not equal to one, got shape="
                             f"{tuple(a.shape)} and dimensions={axes}")
    return a.squeeze(axes) if axes else a


def broadcast_to(array, shape, *, out_sharding=None):
    return torch.broadcast_to(as_tensor(array), _shape_arg(shape))


def broadcast_arrays(*args):
    return list(torch.broadcast_tensors(*(as_tensor(a) for a in args)))


def broadcast_shapes(*shapes):
    return tuple(torch.broadcast_shapes(*(_shape_arg(s) for s in shapes)))


def _common(arrays: Any, dtype: Any) -> list[Tensor]:
    tensors = [as_tensor(a) for a in arrays]
    if not tensors:
        raise ValueError("need at least one array to concatenate")
    target = to_torch_dtype(dtype) or result_dtype(*tensors)
    return [t if t.dtype is target else t.to(target) for t in tensors]


def concatenate(arrays, axis=0, dtype=None):
    tensors = _common(arrays, dtype)
    if axis is None:
        return torch.cat([t.reshape(-1) for t in tensors])
    if tensors[0].ndim == 0:
        raise ValueError("Zero-dimensional arrays cannot be concatenated.")
    return torch.cat(tensors, dim=axis)


def concat(arrays, /, *, axis=0):
    return concatenate(arrays, axis)


def stack(arrays, axis=0, out=None, dtype=None):
    if out is not None:
        raise ValueError("portax.numpy.stack does not support out=")
    tensors = _common(arrays, dtype)
    return torch.stack(tensors, dim=normalize_axis(axis, tensors[0].ndim + 1))


def unstack(x, /, *, axis=0):
    x = as_tensor(x)
    if x.ndim == 0:
        raise ValueError("unstack requires an array of at least one dimension")
    return tuple(torch.unbind(x, dim=axis))


def atleast_1d(*arys):
    out = [as_tensor(a) if as_tensor(a).ndim >= 1 else as_tensor(a).reshape(1) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arys):
    out = []
    for a in arys:
        a = as_tensor(a)
        out.append(a.reshape((1,) * (2 - a.ndim) + tuple(a.shape)) if a.ndim < 2 else a)
    return out[0] if len(out) == 1 else out


def atleast_3d(*arys):
    out = []
    for a in arys:
        a = as_tensor(a)
        if a.ndim == 0:
            a = a.reshape(1, 1, 1)
        elif a.ndim == 1:
            a = a.reshape(1, -1, 1)
        elif a.ndim == 2:
            a = a.unsqueeze(-1)
        out.append(a)
    return out[0] if len(out) == 1 else out


def _as_list(tup: Any) -> list[Tensor]:
    return [as_tensor(t) for t in tup]


def hstack(tup, dtype=None):
    arrs = [atleast_1d(t) for t in _as_list(tup)]
    return concatenate(arrs, 0 if arrs and arrs[0].ndim == 1 else 1, dtype)


def vstack(tup, dtype=None):
    return concatenate([atleast_2d(t) for t in _as_list(tup)], 0, dtype)


def dstack(tup, dtype=None):
    return concatenate([atleast_3d(t) for t in _as_list(tup)], 2, dtype)


def column_stack(tup):
    arrs = [t.reshape(-1, 1) if t.ndim < 2 else t for t in _as_list(tup)]
    return concatenate(arrs, 1)


def block(arrays):
    def depth(x: Any) -> int:
        if isinstance(x, list):
            if not x:
                raise ValueError("block: lists cannot be empty")
            depths = {depth(v) for v in x}
            if len(depths) != 1:
                raise ValueError("block: list depths are mismatched")
            return 1 + depths.pop()
        if isinstance(x, tuple):
            raise TypeError("block: arrays must be nested lists, not tuples")
        return 0

    list_depth = depth(arrays)

    def leaves(x: Any) -> list[Tensor]:
        return [t for v in x for t in leaves(v)] if isinstance(x, list) else [as_tensor(x)]

    all_leaves = leaves(arrays) if list_depth else [as_tensor(arrays)]
    ndim = builtins.max(list_depth, *(t.ndim for t in all_leaves))
    dtype = result_dtype(*all_leaves)

    def build(x: Any, level: int) -> Tensor:
        if not isinstance(x, list):
            t = as_tensor(x).to(dtype)
            return t.reshape((1,) * (ndim - t.ndim) + tuple(t.shape))
        return torch.cat([build(v, level + 1) for v in x], dim=-(list_depth - level))

    return build(arrays, 0) if list_depth else all_leaves[0].clone()


def _split_points(ary: Tensor, indices_or_sections: Any, axis: int, strict: bool) -> Any:
    if isinstance(indices_or_sections, Tensor) and indices_or_sections.ndim == 0:
        indices_or_sections = int(indices_or_sections)
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        if strict and ary.shape[axis] % sections:
            raise ValueError("array split does not result in an equal division")
        return sections
    return [int(i) for i in (indices_or_sections.tolist() if isinstance(indices_or_sections, Tensor) else
                             indices_or_sections)]


def split(ary, indices_or_sections, axis=0):
    ary = as_tensor(ary)
    axis = normalize_axis(axis, ary.ndim)
    return list(torch.tensor_split(ary, _split_points(ary, indices_or_sections, axis, True), dim=axis))


def array_split(ary, indices_or_sections, axis=0):
    ary = as_tensor(ary)
    axis = normalize_axis(axis, ary.ndim)
    return list(torch.tensor_split(ary, _split_points(ary, indices_or_sections, axis, False), dim=axis))


def hsplit(ary, indices_or_sections):
    ary = as_tensor(ary)
    if ary.ndim == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return split(ary, indices_or_sections, 1 if ary.ndim > 1 else 0)


def vsplit(ary, indices_or_sections):
    ary = as_tensor(ary)
    if ary.ndim < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(ary, indices_or_sections, 0)


def dsplit(ary, indices_or_sections):
    ary = as_tensor(ary)
    if ary.ndim < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return split(ary, indices_or_sections, 2)


def tile(A, reps):
    A = as_tensor(A)
    reps = _shape_arg(reps)
    return torch.tile(A, reps) if reps else A.clone()


_SAME_WIDTH_SIGNED = {torch.uint16: torch.int16, torch.uint32: torch.int32, torch.uint64: torch.int64}


def repeat(a, repeats, axis=None, *, total_repeat_length=None, out_sharding=None):
    a = as_tensor(a)
    if axis is None:
        a = a.reshape(-1)
        axis = 0
    axis = normalize_axis(axis, a.ndim)
    if a.ndim == 0:
        a = a.reshape(1)
    if a.dtype in _SAME_WIDTH_SIGNED:
        # torch has no uint16/32/64 index_select; repeating moves bits only, so repeat the signed view.
        return repeat(a.view(_SAME_WIDTH_SIGNED[a.dtype]), repeats, axis,
                      total_repeat_length=total_repeat_length).view(a.dtype)
    if isinstance(repeats, Tensor):
        repeats_t = repeats.to(torch.int64)
    elif isinstance(repeats, (list, tuple, np.ndarray)):
        repeats_t = torch.asarray(np.asarray(repeats), dtype=torch.int64)
    else:
        repeats_t = None
    if repeats_t is not None and repeats_t.ndim == 0:
        repeats, repeats_t = int(repeats_t), None
    if repeats_t is None:
        out = torch.repeat_interleave(a, operator_index(repeats), dim=axis)
    else:
        out = torch.repeat_interleave(a, repeats_t, dim=axis)
    if total_repeat_length is not None:
        length = out.shape[axis]
        if length >= total_repeat_length:
            out = out.narrow(axis, 0, total_repeat_length)
        elif length:
            # jnp.repeat fills the remaining positions with the last element.
            last = out.narrow(axis, length - 1, 1)
            extra = last.expand(*[total_repeat_length - length if i == axis else n for i, n in enumerate(out.shape)])
            out = torch.cat([out, extra], dim=axis)
    return out


def flip(m, axis=None):
    m = as_tensor(m)
    axes = normalize_axes(axis, m.ndim)
    return as_signed_bits(torch.flip, m, axes) if axes else m  # no uint16/32/64 flip kernel in torch


def fliplr(m):
    m = as_tensor(m)
    if m.ndim < 2:
        raise ValueError("fliplr requires an array of at least two dimensions")
    return as_signed_bits(torch.flip, m, (1,))


def flipud(m):
    m = as_tensor(m)
    if m.ndim < 1:
        raise ValueError("flipud requires an array of at least one dimension")
    return as_signed_bits(torch.flip, m, (0,))


def rot90(m, k=1, axes=(0, 1)):
    m = as_tensor(m)
    return torch.rot90(m, operator_index(k), [normalize_axis(x, m.ndim) for x in axes])


def roll(a, shift, axis=None):
    a = as_tensor(a)
    if isinstance(shift, Tensor):
        shift = shift.tolist()
    if isinstance(shift, np.ndarray):
        shift = shift.tolist()
    if axis is None:
        return torch.roll(a.reshape(-1), shift if isinstance(shift, int) else builtins.sum(shift)).reshape(a.shape)
    if isinstance(axis, (tuple, list)) or isinstance(shift, (tuple, list)):
        shifts = list(shift) if isinstance(shift, (tuple, list)) else [shift]
        axes = list(axis) if isinstance(axis, (tuple, list)) else [axis]
        shifts, axes = np.broadcast_arrays(np.asarray(shifts), np.asarray(axes))
        return torch.roll(a, [int(s) for s in shifts], [int(x) for x in axes])
    return torch.roll(a, int(shift), int(axis))


def append(arr, values, axis=None):
    arr, values = as_tensor(arr), as_tensor(values)
    if axis is None:
        return concatenate([arr.reshape(-1), values.reshape(-1)])
    return concatenate([arr, values], axis)


def _index_list(obj: Any, n: int) -> Any:
    if isinstance(obj, slice):
        return list(range(n))[obj]
    if isinstance(obj, Tensor):
        return obj.tolist()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return obj


def _inexact_index(obj: Any) -> bool:
    """Whether ``obj`` is a float or complex index array (jnp.delete/insert: ValueError)."""
    if isinstance(obj, Tensor):
        return obj.dtype.is_floating_point or obj.dtype.is_complex
    return isinstance(obj, np.ndarray) and obj.dtype.kind in "fc"


def delete(arr, obj, axis=None, *, assume_unique_indices=False):
    arr = as_tensor(arr)
    if axis is None:
        arr = arr.reshape(-1)
        axis = 0
    axis = normalize_axis(axis, arr.ndim)
    n = arr.shape[axis]
    if isinstance(obj, (float, complex)) or _inexact_index(obj):
        raise ValueError(f"np.delete(arr, obj): got obj.dtype={getattr(obj, 'dtype', 'float')}; must be integer or bool.")
    idx = _index_list(obj, n)
    keep = torch.ones(n, dtype=torch.bool)
    if isinstance(idx, bool) or (isinstance(idx, list) and idx and isinstance(idx[0], bool)):
        mask = torch.asarray(idx)
        return arr[(slice(None),) * axis + (~mask,)]
    if isinstance(idx, int):
        idx = [idx]
    for i in idx if isinstance(idx, list) else ():
        if not -n <= i < n:  # jnp.delete (as NumPy): IndexError, where the old code dropped the index silently
            raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
    if idx:
        positions = torch.asarray([i % n for i in idx], dtype=torch.int64)
        keep[positions] = False
    return arr[(slice(None),) * axis + (keep.to(arr.device),)]


def insert(arr, obj, values, axis=None):
    arr = as_tensor(arr)
    if isinstance(obj, (float, bool, complex)) or _inexact_index(obj) or getattr(obj, "dtype", None) in (
        torch.bool,
        np.bool_,
    ):
        raise ValueError(f"jnp.insert(): index array must be integer typed; got {obj}")
    values = as_tensor(values, like=arr).to(arr.dtype)
    if arr.dtype in (torch.uint16, torch.uint32, torch.uint64):  # no torch index_select kernel: the signed bits
        signed = {torch.uint16: torch.int16, torch.uint32: torch.int32, torch.uint64: torch.int64}[arr.dtype]
        return insert(arr.view(signed), obj, values.view(signed), axis).view(arr.dtype)
    if axis is None:
        arr = arr.reshape(-1)
        axis = 0
    axis = normalize_axis(axis, arr.ndim)
    n = arr.shape[axis]
    idx = _index_list(obj, n)
    scalar_index = isinstance(idx, int)
    if scalar_index:
        index = idx + n if idx < 0 else idx
        if not 0 <= index <= n:
            raise IndexError(f"index {idx} is out of bounds for axis {axis} with size {n}")
        # numpy.insert with a scalar index: values get leading 1-axes up to arr.ndim, then their first axis
        # becomes ``axis``; its length is the number of inserted slices.
        vals = values.reshape((1,) * (arr.ndim - values.ndim) + tuple(values.shape)) if values.ndim < arr.ndim else values
        vals = torch.movedim(vals, 0, axis)
        shape = list(arr.shape)
        shape[axis] = vals.shape[axis]
        vals = torch.broadcast_to(vals, shape)
        return torch.cat([arr.narrow(axis, 0, index), vals, arr.narrow(axis, index, n - index)], dim=axis)
    indices = torch.asarray(idx, dtype=torch.int64).reshape(-1)
    indices = torch.where(indices < 0, indices + n, indices)
    count = indices.numel()
    shape = list(arr.shape)
    shape[axis] = count
    vals = torch.broadcast_to(values, shape) if values.ndim <= arr.ndim else values
    order = torch.argsort(indices, stable=True)
    new_positions = torch.empty_like(indices)
    new_positions[order] = indices[order] + torch.arange(count)
    total = n + count
    is_new = torch.zeros(total, dtype=torch.bool)
    is_new[new_positions] = True
    out_shape = list(arr.shape)
    out_shape[axis] = total
    out = torch.empty(out_shape, dtype=arr.dtype, device=arr.device)
    prefix = (slice(None),) * axis
    out[prefix + (is_new,)] = _take_sorted(vals, new_positions, axis)
    out[prefix + (~is_new,)] = arr
    return out


def _take_sorted(vals: Tensor, new_positions: Tensor, axis: int) -> Tensor:
    # Values land at new_positions; boolean assignment fills positions in increasing order.
    return torch.index_select(vals, axis, torch.argsort(new_positions, stable=True))


def resize(a, new_shape):
    a = as_tensor(a)
    new_shape = _shape_arg(new_shape)
    total = math.prod(new_shape)
    flat = a.reshape(-1)
    if flat.numel() == 0:
        return torch.zeros(new_shape, dtype=a.dtype, device=a.device)
    reps = -(-total // flat.numel())
    return flat.repeat(reps)[:total].reshape(new_shape)


def shape(a):
    return tuple(a.shape) if isinstance(a, Tensor) else np.shape(a)


def size(a, axis=None):
    if not isinstance(a, Tensor):
        return np.size(a, axis)
    return a.numel() if axis is None else a.shape[axis]


def ndim(a):
    return a.ndim if isinstance(a, Tensor) else np.ndim(a)


def diag(v, k=0):
    v = as_tensor(v)
    if v.ndim not in (1, 2):
        raise ValueError("diag input must be 1d or 2d")
    return torch.diag(v, operator_index(k))


def diagonal(a, offset=0, axis1=0, axis2=1):
    return torch.diagonal(as_tensor(a), operator_index(offset), axis1, axis2)


def diagflat(v, k=0):
    return torch.diagflat(as_tensor(v), operator_index(k))


def ravel_multi_index(multi_index, dims, mode="raise", order="C", *, dtype=None):
    dims = _shape_arg(dims)
    index = [as_tensor(i) for i in multi_index]
    if len(index) != len(dims):
        raise ValueError(f"ravel_multi_index: {len(index)} index arrays for {len(dims)} dimensions")
    for i in index:
        if i.dtype.is_floating_point or i.dtype.is_complex or i.dtype is torch.bool:
            raise TypeError(f"only int indices permitted, got {i.dtype}")
    index = list(torch.broadcast_tensors(*index)) if index else index
    out_dtype = to_torch_dtype(dtype) or (result_dtype(*index) if index else INDEX_DTYPE)
    index = [i.to(torch.int64) if i.dtype in (torch.uint16, torch.uint32, torch.uint64) else i for i in index]
    if mode == "raise":
        for i, d in zip(index, dims, strict=False):
            if bool(torch.any((i < 0) | (i >= d))):
                raise ValueError("invalid entry in coordinates array")
    elif mode == "wrap":
        index = [torch.remainder(i, d) for i, d in zip(index, dims, strict=False)]
    elif mode == "clip":
        index = [torch.clamp(i, 0, d - 1) for i, d in zip(index, dims, strict=False)]
    else:
        raise ValueError(f"invalid mode={mode!r}; expected 'raise', 'wrap' or 'clip'")
    strides = []
    stride = 1
    order_dims = range(len(dims) - 1, -1, -1) if order == "C" else range(len(dims))
    stride_of = [0] * len(dims)
    for d in order_dims:
        stride_of[d] = stride
        stride *= dims[d]
    del strides
    total = torch.zeros(index[0].shape if index else (), dtype=torch.int64)
    for i, s in zip(index, stride_of, strict=False):
        total = total + i.to(torch.int64) * s
    return total.to(out_dtype)


def unravel_index(indices, shape):
    indices = as_tensor(indices)
    shape = _shape_arg(shape)
    if indices.dtype.is_floating_point or indices.dtype.is_complex:
        raise TypeError(f"only int indices permitted, got {indices.dtype}")
    if indices.dtype is torch.bool:  # jnp.unravel_index: bool indices count as int32 (also with x64 on)
        indices = indices.to(torch.int32)
    if indices.dtype in (torch.uint16, torch.uint32, torch.uint64):  # no torch comparison kernels: compute in int64
        return tuple(i.to(indices.dtype) for i in unravel_index(indices.to(torch.int64), shape))
    total = math.prod(shape)
    flat = torch.where(indices < 0, indices + total, indices).clamp(0, builtins.max(total - 1, 0)).to(torch.int64)
    out = []
    for d in reversed(shape):
        out.append(torch.remainder(flat, d).to(indices.dtype) if d else torch.zeros_like(indices))
        flat = torch.div(flat, d, rounding_mode="floor") if d else flat
    return tuple(reversed(out))


def vander(x, N=None, increasing=False):
    x = as_tensor(x)
    if x.ndim != 1:
        raise ValueError("x must be a one-dimensional array")
    if x.dtype is torch.bool:
        raise TypeError("portax.numpy.vander does not accept bool arrays (as jax.numpy); cast to an integer dtype")
    N = x.shape[0] if N is None else operator_index(N)
    powers = torch.arange(N, dtype=torch.int64)
    if not increasing:
        powers = torch.flip(powers, (0,))
    if x.dtype in (torch.uint16, torch.uint32, torch.uint64):  # no torch pow kernel: int64 wraps to the same bits
        return torch.pow(x.to(torch.int64).unsqueeze(1), powers).to(x.dtype)
    return torch.pow(x.unsqueeze(1), powers.to(x.dtype))


def trim_zeros(filt, trim="fb", axis=None):
    filt = as_tensor(filt)
    if filt.ndim != 1:
        raise ValueError("trim_zeros requires a one-dimensional array")
    nonzero = torch.nonzero(filt != 0).reshape(-1)
    if nonzero.numel() == 0:
        return filt[:0]
    trim = trim.lower()
    start = int(nonzero[0]) if "f" in trim else 0
    stop = int(nonzero[-1]) + 1 if "b" in trim else filt.shape[0]
    return filt[start:stop]


# --- pad ---
def _pad_widths(pad_width: Any, ndim: int) -> list[tuple[int, int]]:
    if isinstance(pad_width, Tensor):
        pad_width = pad_width.tolist()
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (ndim, 2)) if ndim else np.zeros((0, 2), np.int64)
    if (widths < 0).any():
        raise ValueError("index can't contain negative values")
    return [(int(b), int(a)) for b, a in widths]


def _pair_values(value: Any, ndim: int) -> list[tuple[Any, Any]]:
    if isinstance(value, Tensor) and value.ndim == 0:
        value = value.item()
    if isinstance(value, Tensor):
        value = value.tolist()
    arr = np.asarray(value, dtype=object)
    arr = np.broadcast_to(arr, (ndim, 2)) if ndim else np.zeros((0, 2), dtype=object)
    return [(arr[i, 0], arr[i, 1]) for i in range(ndim)]


def _gather_pad(x: Tensor, axis: int, before: int, after: int, index_of: Any) -> Tensor:
    n = x.shape[axis]
    positions = torch.arange(-before, n + after, device=x.device)
    return torch.index_select(x, axis, index_of(positions, n))


def _edge_index(i: Tensor, n: int) -> Tensor:
    return i.clamp(0, n - 1)


def _wrap_index(i: Tensor, n: int) -> Tensor:
    return torch.remainder(i, n)


def _reflect_index(i: Tensor, n: int) -> Tensor:
    if n == 1:
        return torch.zeros_like(i)
    period = 2 * (n - 1)
    j = torch.remainder(i, period)
    return torch.where(j >= n, period - j, j)


def _symmetric_index(i: Tensor, n: int) -> Tensor:
    period = 2 * n
    j = torch.remainder(i, period)
    return torch.where(j >= n, period - 1 - j, j)


def _full_slab(x: Tensor, axis: int, count: int, value: Any) -> Tensor:
    shape = list(x.shape)
    shape[axis] = count
    if isinstance(value, Tensor):
        return torch.broadcast_to(value.to(x.dtype), shape)
    return torch.full(shape, value, dtype=x.dtype, device=x.device)


def pad(array, pad_width, mode="constant", **kwargs):
    x = as_tensor(array)
    widths = _pad_widths(pad_width, x.ndim)
    if callable(mode):
        raise UnsupportedError("torch", "portax.numpy.pad with a callable mode",
                               "use one of the named modes or the jax backend")
    if mode in ("constant", "empty"):
        values = _pair_values(kwargs.get("constant_values", 0), x.ndim)
        for axis, ((before, after), (vb, va)) in enumerate(zip(widths, values, strict=False)):
            if before or after:
                x = torch.cat([_full_slab(x, axis, before, vb), x, _full_slab(x, axis, after, va)], dim=axis)
        return x
    index_of = {"edge": _edge_index, "wrap": _wrap_index, "reflect": _reflect_index,
                "symmetric": _symmetric_index}.get(mode)
    if index_of is not None:
        reflect_type = kwargs.get("reflect_type", "even")
        for axis, (before, after) in enumerate(widths):
            if not (before or after):
                continue
            if x.shape[axis] == 0:
                raise ValueError(f"can't pad an empty axis with mode={mode!r}")
            padded = _gather_pad(x, axis, before, after, index_of)
            if reflect_type == "odd" and mode in ("reflect", "symmetric"):
                edge = _gather_pad(x, axis, before, after, _edge_index)
                positions = torch.arange(-before, x.shape[axis] + after, device=x.device)
                outside = ((positions < 0) | (positions >= x.shape[axis])).reshape(
                    [-1 if i == axis else 1 for i in range(x.ndim)])
                padded = torch.where(outside, 2 * edge - padded, padded)
            x = padded
        return x
    if mode == "linear_ramp":
        ends = _pair_values(kwargs.get("end_values", 0), x.ndim)
        for axis, ((before, after), (eb, ea)) in enumerate(zip(widths, ends, strict=False)):
            n = x.shape[axis]
            parts = []
            compute = x.dtype if x.dtype.is_floating_point or x.dtype.is_complex else DEFAULT_FLOAT
            if before:
                edge = x.narrow(axis, 0, 1).to(compute)
                ramp = torch.arange(before, device=x.device, dtype=compute).reshape(
                    [-1 if i == axis else 1 for i in range(x.ndim)]) / before
                parts.append(_ramp_cast(eb + (edge - eb) * ramp, x.dtype))
            parts.append(x)
            if after:
                edge = x.narrow(axis, n - 1, 1).to(compute)
                ramp = torch.arange(after - 1, -1, -1, device=x.device, dtype=compute).reshape(
                    [-1 if i == axis else 1 for i in range(x.ndim)]) / after
                parts.append(_ramp_cast(ea + (edge - ea) * ramp, x.dtype))
            x = torch.cat(parts, dim=axis)
        return x
    if mode in ("maximum", "minimum", "mean", "median"):
        lengths = _pair_values(kwargs.get("stat_length", None), x.ndim)
        for axis, ((before, after), (lb, la)) in enumerate(zip(widths, lengths, strict=False)):
            n = x.shape[axis]
            parts = []
            if before:
                count = n if lb is None else builtins.max(builtins.min(int(lb), n), 1)
                parts.append(_stat(x.narrow(axis, 0, count), axis, mode).expand(
                    *[before if i == axis else s for i, s in enumerate(x.shape)]))
            parts.append(x)
            if after:
                count = n if la is None else builtins.max(builtins.min(int(la), n), 1)
                parts.append(_stat(x.narrow(axis, n - count, count), axis, mode).expand(
                    *[after if i == axis else s for i, s in enumerate(x.shape)]))
            x = torch.cat(parts, dim=axis)
        return x
    raise ValueError(f"Unimplemented padding mode {mode!r} for portax.numpy.pad")


def _ramp_cast(values: Tensor, dtype: torch.dtype) -> Tensor:
    if dtype.is_floating_point or dtype.is_complex:
        return values.to(dtype)
    return torch.round(values).to(dtype)


def _stat(x: Tensor, axis: int, mode: str) -> Tensor:
    if mode == "maximum":
        return torch.amax(x, dim=axis, keepdim=True)
    if mode == "minimum":
        return torch.amin(x, dim=axis, keepdim=True)
    if mode == "mean":
        out = torch.mean(to_inexact(x), dim=axis, keepdim=True)
    else:
        out = torch.quantile(to_inexact(x), 0.5, dim=axis, keepdim=True)
    if x.dtype.is_floating_point:
        return out
    return torch.round(out).to(x.dtype)
