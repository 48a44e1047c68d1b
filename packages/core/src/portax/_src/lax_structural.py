"""Shape and indexing primitives of ``portax.lax`` (``broadcast_in_dim``, ``pad``, ``dynamic_slice``, ``iota``, ...).

Core formulas over ``portax.numpy`` with ``jax.lax``'s signatures, checks and messages: static shapes and axes are
Python values checked before any work; start indices of the ``dynamic_*`` primitives may be traced or batched
arrays (clamped into range as XLA does, negative ones counted from the end first). On JAX each one is ``jax.lax``'s.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Sequence
from typing import Any

import portax.numpy as pnp
from portax._src.lax_ops import (
    as_array,
    check_same_dtypes,
    dtype_name,
    kernel,
    kind,
    primitive,
    unsupported,
    whole_primitives,
)
from portax._src.scipy._native import backend_for, creating_on, native

Array = Any
ArrayLike = Any
Shape = Sequence[int]


def _ints(values: Any) -> tuple[int, ...]:
    # int(): a compiler's symbolic size (torch's SymInt) becomes a static one, as sizes are in JAX.
    return tuple(int(operator.index(v)) for v in values)


# -- broadcasting and shapes ----------------------------------------------------------------------------------------


@primitive
def broadcast_in_dim(operand: ArrayLike, shape: Shape, broadcast_dimensions: Sequence[int], *, out_sharding: Any = None) -> Array:
    """Broadcast ``operand`` to ``shape``, its axis ``i`` becoming axis ``broadcast_dimensions[i]``.

    Args:
        operand: an array.
        shape: the result's shape.
        broadcast_dimensions: for each operand axis, the result axis it maps to (strictly increasing).

    Raises:
        TypeError: lengths, sizes or order do not fit (JAX's messages).

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> tuple(lax.broadcast_in_dim(jnp.ones(3), (2, 3), (1,)).shape)
        (2, 3)
    """
    operand = as_array(operand)
    shape, dims = _ints(shape), _ints(broadcast_dimensions)
    if len(dims) != operand.ndim:
        raise TypeError(
            "broadcast_in_dim broadcast_dimensions must have length equal to operand ndim; got broadcast_dimensions "
            f"{dims} for operand ndim {operand.ndim}."
        )
    if any(not 0 <= d < len(shape) for d in dims) or any(
        n not in (1, shape[d]) for n, d in zip(operand.shape, dims, strict=True)
    ):
        raise TypeError(
            "broadcast_in_dim operand dimension sizes must either be 1, or be equal to their corresponding dimensions "
            f"in the target broadcast shape; got operand of shape {tuple(operand.shape)}, target broadcast shape "
            f"{shape}, broadcast_dimensions {dims} "
        )
    if any(a >= b for a, b in zip(dims, dims[1:], strict=False)):
        order = sorted(range(len(dims)), key=dims.__getitem__)
        operand, dims = pnp.transpose(operand, order), tuple(sorted(dims))
    expanded = [1] * len(shape)
    for size, d in zip(operand.shape, dims, strict=True):
        expanded[d] = size
    return pnp.broadcast_to(pnp.reshape(operand, tuple(expanded)), shape)


@primitive
def broadcast(operand: ArrayLike, sizes: Sequence[int], *, out_sharding: Any = None) -> Array:
    """``operand`` broadcast with leading axes of ``sizes`` added (``jax.lax.broadcast``)."""
    operand = as_array(operand)
    return pnp.broadcast_to(operand, _ints(sizes) + tuple(operand.shape))


@primitive
def broadcast_to_rank(x: ArrayLike, rank: int) -> Array:
    """``x`` with leading axes of size 1 added up to ``rank`` (``jax.lax.broadcast_to_rank``)."""
    x = as_array(x)
    return pnp.reshape(x, (1,) * builtins.max(rank - x.ndim, 0) + tuple(x.shape))


@primitive
def broadcast_like(arr: ArrayLike, like_arr: ArrayLike) -> Array:
    """``arr`` broadcast to the shape of ``like_arr`` (``jax.lax.broadcast_like``)."""
    return pnp.broadcast_to(as_array(arr, like_arr), tuple(pnp.shape(like_arr)))


def broadcast_shapes(*shapes: Shape) -> tuple[int, ...]:
    """The NumPy-broadcast shape of ``shapes`` (``jax.lax.broadcast_shapes``).

    Raises:
        ValueError: the shapes do not broadcast.
    """
    shapes = tuple(_ints(s) for s in shapes)
    rank = builtins.max((len(s) for s in shapes), default=0)
    out = []
    for sizes in zip(*[(1,) * (rank - len(s)) + s for s in shapes], strict=True):
        sizes_not_one = {n for n in sizes if n != 1}
        if len(sizes_not_one) > 1:
            raise ValueError(f"Incompatible shapes for broadcasting: shapes={list(shapes)}")
        out.append(sizes_not_one.pop() if sizes_not_one else 1)
    return tuple(out)


@primitive
def reshape(operand: ArrayLike, new_sizes: Shape, dimensions: Sequence[int] | None = None, *, out_sharding: Any = None) -> Array:
    """``operand`` with shape ``new_sizes``, its axes first permuted by ``dimensions`` (``jax.lax.reshape``).

    Raises:
        TypeError: a negative size, or ``dimensions`` not a permutation (JAX's messages).
        ValueError: the element counts differ.
    """
    operand = as_array(operand)
    sizes = _ints(new_sizes)
    if any(n < 0 for n in sizes):
        raise TypeError(f"reshape new_sizes must all be positive, got {sizes}.")
    if dimensions is not None:
        dims = _ints(dimensions)
        if sorted(dims) != list(range(operand.ndim)):
            raise TypeError(
                f"reshape dimensions must be a permutation of operand dimensions, got dimensions {dims} for shape "
                f"{tuple(operand.shape)}."
            )
        operand = pnp.transpose(operand, dims)
    if _size(sizes) != _size(operand.shape):
        raise TypeError(
            f"reshape total size must be unchanged, got new_sizes {sizes} (of total size {_size(sizes)}) for shape "
            f"{tuple(operand.shape)} (of total size {_size(operand.shape)})."
        )
    return pnp.reshape(operand, sizes)


def _size(shape: Sequence[int]) -> int:
    total = 1
    for n in shape:
        total *= int(n)
    return total


@primitive
def transpose(operand: ArrayLike, permutation: Sequence[int]) -> Array:
    """``operand`` with its axes permuted (``jax.lax.transpose``; axes must be nonnegative).

    Raises:
        TypeError: ``permutation`` is not a permutation of the axes.
    """
    operand = as_array(operand)
    perm = _ints(permutation)
    if sorted(perm) != list(range(operand.ndim)):
        raise TypeError(
            "transpose permutation isn't a permutation of operand dimensions, got permutation "
            f"{perm} for operand shape {tuple(operand.shape)}."
        )
    return pnp.transpose(operand, perm)


@primitive
def rev(operand: ArrayLike, dimensions: Sequence[int]) -> Array:
    """``operand`` reversed along ``dimensions`` (``jax.lax.rev``).

    Raises:
        TypeError: a dimension is negative or not an axis of ``operand``.
    """
    operand = as_array(operand)
    dims = _ints(dimensions)
    if any(d < 0 for d in dims):
        raise TypeError(f"rev dimensions must have every element be nonnegative, got {dims}.")
    if any(d >= operand.ndim for d in dims):
        raise TypeError(f"rev dimensions must all be less than operand ndim, got dimensions {dims} for operand ndim {operand.ndim}.")
    return pnp.flip(operand, dims) if dims else operand


def _axes(dimensions: Sequence[int], ndim: int) -> tuple[int, ...]:
    return tuple(d + ndim if d < 0 else d for d in _ints(dimensions))


@primitive
def squeeze(array: ArrayLike, dimensions: Sequence[int]) -> Array:
    """``array`` without the axes ``dimensions``, each of size 1 (``jax.lax.squeeze``).

    Raises:
        ValueError: a listed axis does not have size 1.
    """
    array = as_array(array)
    dims = _axes(dimensions, array.ndim)
    if any(not 0 <= d < array.ndim or array.shape[d] != 1 for d in dims):
        raise ValueError(
            "cannot select an axis to squeeze out which has size not equal to one, got "
            f"shape={tuple(array.shape)} and dimensions={_ints(dimensions)}"
        )
    return pnp.reshape(array, tuple(n for i, n in enumerate(array.shape) if i not in dims))


@primitive
def expand_dims(array: ArrayLike, dimensions: Sequence[int]) -> Array:
    """``array`` with axes of size 1 inserted at ``dimensions`` of the result (``jax.lax.expand_dims``)."""
    array = as_array(array)
    return pnp.expand_dims(array, _ints(dimensions)) if len(dimensions) else array


@primitive
def collapse(operand: ArrayLike, start_dimension: int, stop_dimension: int | None = None) -> Array:
    """``operand`` with axes ``start_dimension:stop_dimension`` merged into one (``jax.lax.collapse``)."""
    operand = as_array(operand)
    shape = tuple(operand.shape)
    stop = len(shape) if stop_dimension is None else stop_dimension
    start, stop, _ = builtins.slice(start_dimension, stop).indices(len(shape))
    return pnp.reshape(operand, shape[:start] + (_size(shape[start:stop]),) + shape[stop:])


# -- joining and padding --------------------------------------------------------------------------------------------


@primitive
def concatenate(operands: Sequence[ArrayLike], dimension: int) -> Array:
    """The arrays ``operands`` joined along axis ``dimension`` (``jax.lax.concatenate``; no dtype promotion).

    Raises:
        TypeError: dtypes, ranks or the other axes' sizes differ, or ``dimension`` is out of range.
        ValueError: ``operands`` is empty.
    """
    if len(operands) == 0:
        raise ValueError("concatenate requires a non-empty sequences of arrays")
    check_same_dtypes("concatenate", *operands)
    arrays = [as_array(o, operands[0]) for o in operands]
    shapes = [tuple(a.shape) for a in arrays]
    listed = ", ".join(map(str, shapes))
    if len({len(s) for s in shapes}) > 1:
        raise TypeError(f"Cannot concatenate arrays with different numbers of dimensions: got {listed}.")
    if not 0 <= dimension < len(shapes[0]):
        raise TypeError(f"concatenate dimension out of bounds: dimension {dimension} for shapes {listed}.")
    if len({s[:dimension] + s[dimension + 1 :] for s in shapes}) > 1:
        raise TypeError(
            "Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: "
            f"concatenating along dimension {dimension} for shapes {listed}."
        )
    return arrays[0] if len(arrays) == 1 else pnp.concatenate(arrays, axis=dimension)


@primitive
def pad(operand: ArrayLike, padding_value: ArrayLike, padding_config: Sequence[tuple[int, int, int]]) -> Array:
    """``operand`` padded with ``padding_value``: ``(low, high, interior)`` per axis (``jax.lax.pad``).

    ``interior`` values go between neighbouring elements; negative ``low``/``high`` remove elements.

    Raises:
        TypeError: ``padding_value`` has another dtype, or is not a scalar.
        ValueError: ``padding_config`` has the wrong length or a negative interior padding.

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> lax.pad(jnp.arange(1.0, 4.0), 0.0, [(1, -1, 1)]).tolist()
        [0.0, 1.0, 0.0, 2.0, 0.0]
    """
    operand = as_array(operand, padding_value)
    config = tuple(tuple(_ints(c)) for c in padding_config)
    operand_dtype = operand.dtype
    value_dtype = getattr(padding_value, "dtype", None)
    from portax._src.lax_ops import dtype_of

    if dtype_name(dtype_of(padding_value) if value_dtype is None else value_dtype) != dtype_name(operand_dtype):
        raise TypeError(
            f"pad operand and padding_value must be same dtype: got {dtype_name(operand_dtype)} and "
            f"{dtype_name(dtype_of(padding_value))}."
        )
    if tuple(getattr(padding_value, "shape", ())):
        raise TypeError(f"pad padding_value must be a scalar, got shape {tuple(padding_value.shape)}.")
    if len(config) != operand.ndim or any(len(c) != 3 for c in config):
        raise ValueError(
            "length of padding_config must equal the number of axes of operand, got padding_config "
            f"{config} for operand shape {tuple(operand.shape)}"
        )
    if any(c[2] < 0 for c in config):
        raise ValueError(f"interior padding in padding_config must be nonnegative, got padding_config {config}")
    value = as_array(padding_value, operand)
    # Interior values are interleaved, positive edges padded, negative edges cropped: all differentiable in operand
    # and padding_value, and plain functional ops under jit and vmap.
    out = operand
    for axis, (_, _, interior) in enumerate(config):
        out = _interleave(out, value, axis, interior)
    for axis, (lo, hi, _) in enumerate(config):
        if lo > 0 or hi > 0:
            # Blocks of the value joined on (pnp.pad's constant_values is not differentiable on every backend).
            shape = list(out.shape)
            blocks = []
            for count in (lo, hi):
                shape[axis] = builtins.max(count, 0)
                blocks.append(pnp.astype(pnp.broadcast_to(value, tuple(shape)), out.dtype))
            out = pnp.concatenate([blocks[0], out, blocks[1]], axis=axis)
    if any(lo < 0 or hi < 0 for lo, hi, _ in config):
        out = out[tuple(
            builtins.slice(-lo if lo < 0 else 0, size + hi if hi < 0 else size)
            for size, (lo, hi, _) in zip(out.shape, config, strict=True)
        )]
    return out


def _interleave(x: Array, value: Array, axis: int, interior: int) -> Array:
    """``interior`` copies of ``value`` between neighbours along ``axis``: each element gets its copies in a new
    trailing axis, which is merged back and the last copies cut (functional, so jit and vmap see plain ops)."""
    size = x.shape[axis]
    if interior == 0 or size == 0:
        return x
    moved = pnp.moveaxis(x, axis, -1)
    fill = pnp.broadcast_to(value, (*moved.shape, interior))
    joined = pnp.concatenate([pnp.expand_dims(moved, -1), pnp.astype(fill, moved.dtype)], axis=-1)
    flat = pnp.reshape(joined, (*moved.shape[:-1], size * (interior + 1)))[..., : size + (size - 1) * interior]
    return pnp.moveaxis(flat, -1, axis)


# -- static slices --------------------------------------------------------------------------------------------------


@primitive
def slice(  # noqa: A001 (JAX's name)
    operand: ArrayLike, start_indices: Sequence[int], limit_indices: Sequence[int], strides: Sequence[int] | None = None
) -> Array:
    """``operand[start:limit:stride]`` per axis, static and nonnegative (``jax.lax.slice``).

    Raises:
        TypeError: the indices do not fit inside ``operand``.
    """
    operand = as_array(operand)
    starts, limits = _ints(start_indices), _ints(limit_indices)
    steps = _ints(strides) if strides is not None else (1,) * len(starts)
    shape = tuple(operand.shape)
    if not len(starts) == len(limits) == len(steps) == len(shape):
        raise TypeError(
            f"slice start_indices {starts}, limit_indices {limits} and strides {steps} must each have one entry per "
            f"axis of operand shape {shape}."
        )
    if any(s < 0 or lim > n or lim < s or st <= 0 for s, lim, st, n in zip(starts, limits, steps, shape, strict=True)):
        raise TypeError(
            f"slice start_indices {starts}, limit_indices {limits} and strides {steps} must satisfy 0 <= start <= "
            f"limit <= size and stride > 0 for operand shape {shape}."
        )
    return operand[tuple(builtins.slice(*a) for a in zip(starts, limits, steps, strict=True))]


@primitive
def slice_in_dim(
    operand: ArrayLike, start_index: int | None, limit_index: int | None, stride: int = 1, axis: int = 0
) -> Array:
    """:func:`slice` along one axis; ``None`` and negative indices as in Python (``jax.lax.slice_in_dim``)."""
    operand = as_array(operand)
    size = operand.shape[axis]
    start = 0 if start_index is None else start_index + size if start_index < 0 else start_index
    limit = size if limit_index is None else limit_index + size if limit_index < 0 else limit_index
    starts = [0] * operand.ndim
    limits = list(operand.shape)
    strides = [1] * operand.ndim
    starts[axis], limits[axis], strides[axis] = start, limit, stride
    return slice(operand, starts, limits, strides)


@primitive
def index_in_dim(operand: ArrayLike, index: int, axis: int = 0, keepdims: bool = True) -> Array:
    """Element ``index`` along ``axis`` (``jax.lax.index_in_dim``), the axis kept with size 1 when ``keepdims``.

    Raises:
        IndexError: ``index`` is out of range.
    """
    operand = as_array(operand)
    size = operand.shape[axis]
    wrapped = index + size if index < 0 else index
    if not 0 <= wrapped < size:
        raise IndexError(f"index {index} is out of bounds for axis {axis} with size {size}")
    out = slice_in_dim(operand, wrapped, wrapped + 1, 1, axis)
    return out if keepdims else squeeze(out, (axis,))


# -- dynamic slices -------------------------------------------------------------------------------------------------


def _start_list(start_indices: Any, ndim: int, operand_shape: tuple) -> list[Any]:
    if hasattr(start_indices, "shape") and len(start_indices.shape) == 1:
        starts = [start_indices[i] for i in range(start_indices.shape[0])]
    else:
        starts = list(start_indices)
    if len(starts) != ndim:
        raise ValueError(f"Length of slice indices must match number of operand dimensions ({len(starts)} vs {operand_shape})")
    return starts


def _clamped_start(start: Any, size: int, window: int, allow_negative: bool) -> Any:
    """XLA's start index: negative counted from the end (JAX's ``allow_negative_indices``), then clamped."""
    if isinstance(start, int):
        if allow_negative and start < 0:
            start += size
        return builtins.min(builtins.max(start, 0), size - window)
    # The sizes as tensors: under jit they may be symbolic, and torch cannot add a symbolic size to a vmapped tensor.
    with creating_on(backend_for(start)):
        size_array = pnp.asarray(size, dtype=start.dtype)
    if allow_negative:
        start = pnp.where(start < 0, start + size_array, start)
    return pnp.minimum(pnp.maximum(start, pnp.zeros_like(start)), size_array - window)


def _flags(allow_negative_indices: Any, ndim: int) -> list[bool]:
    if isinstance(allow_negative_indices, bool):
        return [allow_negative_indices] * ndim
    return [bool(a) for a in allow_negative_indices]


@primitive
def dynamic_slice(
    operand: ArrayLike, start_indices: Any, slice_sizes: Shape, *, allow_negative_indices: Any = True
) -> Array:
    """The window of shape ``slice_sizes`` at ``start_indices`` (``jax.lax.dynamic_slice``).

    Start indices may be traced arrays; they are clamped so the window fits (XLA), after negative ones are
    counted from the end.

    Raises:
        TypeError: the window is larger than ``operand``.
        ValueError: the number of start indices is not ``operand.ndim``.
    """
    operand = as_array(operand)
    shape = tuple(int(n) for n in operand.shape)  # ints, not a compiler's symbolic sizes: they bound the clamp
    sizes = _ints(slice_sizes)
    starts = _start_list(start_indices, operand.ndim, shape)
    if len(sizes) != len(shape) or any(w > n or w < 0 for w, n in zip(sizes, shape, strict=False)):
        raise TypeError(
            f"slice slice_sizes must be less than or equal to operand shape, got slice_sizes {sizes} for operand "
            f"shape {shape}."
        )
    out = operand
    for axis, (start, window, allow) in enumerate(zip(starts, sizes, _flags(allow_negative_indices, len(shape)), strict=True)):
        start = _clamped_start(start, shape[axis], window, allow)
        if isinstance(start, int):
            if window != shape[axis]:
                out = out[(builtins.slice(None),) * axis + (builtins.slice(start, start + window),)]
        else:
            with creating_on(backend_for(operand)):
                positions = pnp.arange(window) + pnp.astype(start, "int32" if kind(start.dtype) != "i" else start.dtype)
            out = pnp.take(out, positions, axis=axis)
    return out


@primitive
def dynamic_update_slice(
    operand: ArrayLike, update: ArrayLike, start_indices: Any, *, allow_negative_indices: Any = True
) -> Array:
    """``operand`` with ``update`` written at ``start_indices`` (clamped so it fits; ``jax.lax.dynamic_update_slice``).

    Raises:
        TypeError: dtypes differ, or ``update`` has another rank or is larger than ``operand``.
    """
    check_same_dtypes("dynamic_update_slice", operand, update)
    operand = as_array(operand, update)
    update = as_array(update, operand)
    shape, window = tuple(int(n) for n in operand.shape), tuple(int(n) for n in update.shape)
    if len(window) != len(shape):
        raise TypeError(
            f"dynamic_update_slice update must have the same rank as operand, got update shape {window} for operand "
            f"shape {shape}."
        )
    if any(w > n for w, n in zip(window, shape, strict=True)):
        raise TypeError(
            f"dynamic_update_slice update shape must be smaller than operand shape, got update shape {window} for "
            f"operand shape {shape}."
        )
    starts = _start_list(start_indices, operand.ndim, shape)
    flags = _flags(allow_negative_indices, len(shape))
    starts = [_clamped_start(s, n, w, a) for s, n, w, a in zip(starts, shape, window, flags, strict=True)]
    if all(isinstance(s, int) for s in starts):
        index: Any = tuple(builtins.slice(s, s + w) for s, w in zip(starts, window, strict=True))
    else:
        with creating_on(backend_for(operand)):
            index = pnp.ix_(*[pnp.arange(w) + s for s, w in zip(starts, window, strict=True)])
    return pnp.at(operand)[index].set(update)


@primitive
def dynamic_slice_in_dim(
    operand: ArrayLike, start_index: ArrayLike, slice_size: int, axis: int = 0, *, allow_negative_indices: bool = True
) -> Array:
    """:func:`dynamic_slice` along one axis (``jax.lax.dynamic_slice_in_dim``)."""
    operand = as_array(operand)
    starts: list[Any] = [0] * operand.ndim
    sizes = list(operand.shape)
    starts[axis], sizes[axis] = start_index, slice_size
    return dynamic_slice(operand, starts, sizes, allow_negative_indices=allow_negative_indices)


@primitive
def dynamic_index_in_dim(
    operand: ArrayLike, index: ArrayLike, axis: int = 0, keepdims: bool = True, *, allow_negative_indices: bool = True
) -> Array:
    """Element ``index`` (possibly traced) along ``axis`` (``jax.lax.dynamic_index_in_dim``)."""
    out = dynamic_slice_in_dim(operand, index, 1, axis, allow_negative_indices=allow_negative_indices)
    return out if keepdims else squeeze(out, (axis,))


@primitive
def dynamic_update_slice_in_dim(
    operand: ArrayLike, update: ArrayLike, start_index: ArrayLike, axis: int, *, allow_negative_indices: bool = True
) -> Array:
    """:func:`dynamic_update_slice` along one axis (``jax.lax.dynamic_update_slice_in_dim``)."""
    operand = as_array(operand, update)
    starts: list[Any] = [0] * operand.ndim
    starts[axis] = start_index
    return dynamic_update_slice(operand, update, starts, allow_negative_indices=allow_negative_indices)


@primitive
def dynamic_update_index_in_dim(
    operand: ArrayLike, update: ArrayLike, index: ArrayLike, axis: int, *, allow_negative_indices: bool = True
) -> Array:
    """``update`` written at ``index`` along ``axis``; a missing size-1 axis is added (``jax.lax``'s function)."""
    operand = as_array(operand, update)
    update = as_array(update, operand)
    if update.ndim == operand.ndim - 1:
        update = pnp.expand_dims(update, axis)
    return dynamic_update_slice_in_dim(operand, update, index, axis, allow_negative_indices=allow_negative_indices)


# -- selection, creation, conversion ----------------------------------------------------------------------------------


@primitive
def select_n(which: ArrayLike, *cases: ArrayLike) -> Array:
    """``cases[which]`` elementwise (``jax.lax.select_n``): bool ``which`` picks of 2 cases, integer of any number.

    Raises:
        ValueError: no case.
        TypeError: cases differ in dtype or shape, ``which`` has another shape (and is not a scalar) or is not
            boolean/integer, or boolean ``which`` with more than 2 cases.
    """
    if not cases:
        raise ValueError("select_n() must have at least one case")
    check_same_dtypes("select", *cases)
    arrays = [as_array(c, which) for c in cases]
    shape = tuple(arrays[0].shape)
    if any(tuple(a.shape) != shape for a in arrays):
        raise TypeError(f"select cases must have the same shapes, got [{', '.join(str(tuple(a.shape)) for a in arrays)}].")
    which = as_array(which, arrays[0])
    letter = kind(which.dtype)
    if letter not in "biu":
        raise TypeError(f"select `which` must be boolean or integer type, got {dtype_name(which.dtype)}.")
    if letter == "b" and len(arrays) > 2:
        raise TypeError("select with boolean `which` cannot have > 2 cases.")
    if which.ndim and tuple(which.shape) != shape:
        raise TypeError(
            f"select `which` must be scalar or have the same shape as cases, got `which` shape {tuple(which.shape)} "
            f"but case shape {shape}."
        )
    if len(arrays) == 1:
        return arrays[0]
    if letter == "b":
        return pnp.where(which, arrays[1], arrays[0])
    out = arrays[-1]
    for index in range(len(arrays) - 2, -1, -1):
        out = pnp.where(which == index, arrays[index], out)  # out-of-range `which` is unspecified in XLA
    return out


@primitive
def iota(dtype: Any, size: int) -> Array:
    """``[0, 1, ..., size - 1]`` of ``dtype`` (``jax.lax.iota``).

    Raises:
        TypeError: ``size`` is negative.
    """
    size = operator.index(size)
    if size < 0:
        raise TypeError(f"iota shape must have every element be nonnegative, got ({size},).")
    return pnp.arange(size, dtype=dtype)


@primitive
def broadcasted_iota(dtype: Any, shape: Shape, dimension: int, *, out_sharding: Any = None) -> Array:
    """An array of ``shape`` counting along axis ``dimension`` (``jax.lax.broadcasted_iota``).

    Raises:
        ValueError: ``dimension`` is not an axis of ``shape``.
    """
    shape = _ints(shape)
    if not 0 <= dimension < len(shape):
        raise ValueError(f"iota dimension must be between 0 and len(shape), got dimension={dimension} for shape={shape}")
    return broadcast_in_dim(iota(dtype, shape[dimension]), shape, (dimension,))


@primitive
def full(shape: Shape, fill_value: ArrayLike, dtype: Any = None, *, sharding: Any = None) -> Array:
    """An array of ``shape`` filled with the scalar ``fill_value`` (``jax.lax.full``).

    Raises:
        TypeError: ``fill_value`` is not a scalar.
    """
    if tuple(getattr(fill_value, "shape", ())):
        raise TypeError(f"full must be called with scalar fill_value, got fill_value.shape {tuple(fill_value.shape)}.")
    shape = (operator.index(shape),) if isinstance(shape, int) else _ints(shape)
    value = as_array(fill_value)
    if dtype is not None:
        value = pnp.astype(value, dtype)
    return pnp.copy(pnp.broadcast_to(value, shape))  # differentiable in fill_value, as JAX's


@primitive
def full_like(x: ArrayLike, fill_value: ArrayLike, dtype: Any = None, shape: Shape | None = None, sharding: Any = None) -> Array:
    """An array like ``x`` (or of ``shape``) filled with ``fill_value`` (``jax.lax.full_like``)."""
    x = as_array(x)
    with creating_on(backend_for(x)):
        return full(tuple(x.shape) if shape is None else shape, fill_value, x.dtype if dtype is None else dtype)


@primitive
def convert_element_type(operand: ArrayLike, new_dtype: Any) -> Array:
    """``operand`` converted to ``new_dtype`` (``jax.lax.convert_element_type``; floats to ints truncate)."""
    operand = as_array(operand)
    if kind(operand.dtype) == "c" and kind(new_dtype) != "c":
        operand = pnp.real(operand)  # JAX drops the imaginary part (with a warning); torch would raise
    return pnp.astype(operand, new_dtype)


@primitive
def bitcast_convert_type(operand: ArrayLike, new_dtype: Any) -> Array:
    """``operand``'s bits read as ``new_dtype`` (``jax.lax.bitcast_convert_type``); native on each backend.

    Raises:
        UnsupportedError: the backend has no bitcast kernel.
    """
    operand = as_array(operand)
    return kernel("bitcast_convert_type", _no_bitcast, operand)(operand, new_dtype)


def _no_bitcast(operand: Array, new_dtype: Any) -> Array:
    raise unsupported("bitcast_convert_type", operand)


@primitive
def tile(operand: ArrayLike, reps: Sequence[int]) -> Array:
    """``operand`` repeated ``reps[i]`` times along axis ``i`` (``jax.lax.tile``)."""
    return pnp.tile(as_array(operand), _ints(reps))


@primitive
def stack(operands: Sequence[ArrayLike], axis: int = 0) -> Array:
    """Arrays of one shape and dtype stacked along a new axis (``jax.lax.stack``)."""
    check_same_dtypes("concatenate", *operands)
    return pnp.stack([as_array(o, operands[0]) for o in operands], axis=axis)


@primitive
def unstack(x: ArrayLike, axis: int = 0) -> tuple[Array, ...]:
    """The slices of ``x`` along ``axis`` (``jax.lax.unstack``)."""
    x = as_array(x)
    return tuple(index_in_dim(x, i, axis, keepdims=False) for i in range(x.shape[axis]))


@primitive
def split(operand: ArrayLike, sizes: Sequence[int], axis: int = 0) -> list[Array]:
    """``operand`` cut along ``axis`` into pieces of ``sizes`` (``jax.lax.split``).

    Raises:
        ValueError: ``sizes`` do not add up to the axis' size.
    """
    operand = as_array(operand)
    sizes = _ints(sizes)
    axis = axis + operand.ndim if axis < 0 else axis
    if sum(sizes) != operand.shape[axis]:
        raise ValueError(f"Sum of sizes {sum(sizes)} must be equal to dimension {operand.shape[axis]} of the operand shape {tuple(operand.shape)}")
    pieces, start = [], 0
    for size in sizes:
        pieces.append(slice_in_dim(operand, start, start + size, 1, axis))
        start += size
    return pieces


@primitive
def index_take(src: ArrayLike, idxs: Sequence[ArrayLike], axes: Sequence[int]) -> Array:
    """``src`` indexed along ``axes`` by one index array per axis, wrapped modulo the sizes (``jax.lax.index_take``).

    Returns:
        An array whose first axis runs over the indices, followed by ``src``'s other axes in order.

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> lax.index_take(jnp.arange(6.0).reshape(2, 3), [jnp.array([1, 0]), jnp.array([-1, 1])], (0, 1)).tolist()
        [5.0, 1.0]
    """
    src = as_array(src)
    axes = _ints(axes)
    moved = pnp.moveaxis(src, axes, tuple(range(len(axes))))
    index = tuple(as_array(i, src) % src.shape[axis] for i, axis in zip(idxs, axes, strict=True))
    return moved[index]


@primitive
def empty(shape: Shape, dtype: Any, *, out_sharding: Any = None) -> Array:
    """An array of ``shape`` and ``dtype`` whose values must not be relied on (zeros here; ``jax.lax.empty``)."""
    return pnp.zeros(_ints(shape), dtype=dtype)


def dtype(x: Any) -> Any:
    """The (NumPy) dtype ``x`` has as a lax operand; a Python scalar gets JAX's default (``jax.lax.dtype``).

    Example:
        >>> from portax import lax
        >>> str(lax.dtype(2.0))
        'float32'
    """
    from portax._src.dtypes import canonicalize_dtype
    from portax._src.lax_ops import dtype_of

    return canonicalize_dtype(dtype_of(x))


def optimization_barrier(operand: Any, /) -> Any:
    """``operand`` (a pytree) unchanged, its scalars made arrays; an XLA scheduling barrier on JAX
    (``jax.lax.optimization_barrier``)."""
    from portax._src import tree

    leaves, treedef = tree.flatten(operand)
    backend = backend_for(*leaves)
    kernel = native(backend, "optimization_barrier", "lax_module") if whole_primitives(backend) else None
    if kernel is not None:
        return kernel(operand)
    return tree.unflatten(treedef, [as_array(leaf, leaves[0] if leaves else None) for leaf in leaves])
