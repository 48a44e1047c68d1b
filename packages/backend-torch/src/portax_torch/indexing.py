"""Indexing of portax.numpy on torch: ``where``, ``take``, ``nonzero``, ... and the ``.at[]`` updates."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from portax_torch._common import (
    Tensor,
    as_signed_bits,
    as_tensor,
    default_fill,
    is_wide_unsigned,
    normalize_axis,
    promote,
    promote_pair,
    result_dtype,
    saturating_float_to_int,
)
from portax_torch._dtypes import (
    DEFAULT_INT,
    INDEX_DTYPE,
)
from portax_torch.statistics import builtins_range


def where(condition: Any, x: Any = None, y: Any = None, /, *, size: Any = None, fill_value: Any = None) -> Any:
    # Fast path (the dispatcher passes size/fill_value only when given): three tensors, a bool condition, one dtype.
    if type(condition) is Tensor and type(x) is Tensor and type(y) is Tensor and x.dtype is y.dtype and (
        size is None and fill_value is None
    ):
        try:
            return torch.where(condition, x, y)
        except RuntimeError:
            pass  # a non-bool condition (torch requires bool; jnp tests it against zero): the general path below
    if x is None and y is None:
        return nonzero(condition, size=size, fill_value=fill_value)
    if x is None or y is None:
        raise ValueError("Either both or neither of the x and y arguments should be provided to jax.numpy.where")
    if size is not None or fill_value is not None:
        raise ValueError("size and fill_value arguments cannot be used in three-term where function.")
    condition = as_tensor(condition)
    if condition.dtype is not torch.bool:
        condition = condition != 0
    if type(x) is not Tensor or type(y) is not Tensor or x.dtype is not y.dtype:
        x, y = promote_pair(x, y, scalars_ok=False)
    return torch.where(condition, x, y)


_OPS = ("set", "add", "multiply", "divide", "power", "min", "max")


def _index_tuple(index: Any) -> tuple:
    if not isinstance(index, tuple):
        index = (index,)
    out = []
    for item in index:
        if isinstance(item, (list, np.ndarray)) or (
            not isinstance(item, (int, slice, torch.Tensor))
            and item is not None
            and item is not Ellipsis
            and hasattr(item, "__array__")
        ):
            item = as_tensor(item)
        if isinstance(item, (bool, np.bool_)):
            item = torch.tensor(bool(item))
        elif isinstance(item, np.integer):
            item = int(item)
        out.append(item)
    return tuple(out)


def _consumed(item: Any) -> int:
    if item is None:
        return 0
    if isinstance(item, torch.Tensor) and item.dtype == torch.bool:
        return item.ndim
    return 1


def _prepare(x: torch.Tensor, index: Any, clamp: bool):
    """The flat-position table indexed by ``index``: positions (-1 where dropped), and whether an int was out of bounds.

    With ``clamp`` out-of-bounds integer-array entries are clamped instead of sent to the pad slot.
    """
    items = _index_tuple(index)
    n_ellipsis = sum(item is Ellipsis for item in items)
    if n_ellipsis > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = sum(_consumed(item) for item in items if item is not Ellipsis)
    if used > x.ndim:
        raise IndexError(f"too many indices for array: array is {x.ndim}-dimensional, but {used} were indexed")
    if n_ellipsis:
        pos = items.index(Ellipsis)
        items = items[:pos] + (slice(None),) * (x.ndim - used) + items[pos + 1 :]
    else:
        items = items + (slice(None),) * (x.ndim - used)

    table = torch.arange(x.numel(), device=x.device).reshape(x.shape)
    new_items = []
    scalar_oob = False
    dim = 0
    for item in items:
        if item is None:
            new_items.append(None)
            continue
        if isinstance(item, torch.Tensor) and item.dtype == torch.bool:
            if item.ndim == 0:
                new_items.append(item)
                continue
            indexed = tuple(x.shape[dim : dim + item.ndim])
            if tuple(item.shape) != indexed:  # torch would index whatever nonzero gives
                raise IndexError(f"boolean index did not match shape of indexed array in index {dim}: got "
                                 f"{tuple(item.shape)}, expected {indexed}")
            new_items.extend(torch.nonzero(item, as_tuple=True))
            dim += item.ndim
            continue
        size = x.shape[dim]
        if isinstance(item, int):
            if item < 0:
                item += size
            if not 0 <= item < size:
                if clamp:
                    item = min(max(item, 0), size - 1)
                else:
                    scalar_oob = True
                    item = 0 if size else item
            new_items.append(item)
        elif isinstance(item, slice):
            start, stop, step = item.indices(size)
            if step < 0:
                # torch has no negative steps: flip that axis of the table and walk it forwards.
                table = table.flip(dim)
                count = len(range(start, stop, step))
                start = size - 1 - start
                item = slice(start, start + count * (-step), -step) if count else slice(0, 0)
            else:
                item = slice(start, stop, step)
            new_items.append(item)
        elif isinstance(item, torch.Tensor):
            if item.is_floating_point() or item.is_complex():
                raise TypeError(f"indexer must have integer or boolean type, got indexer with type {item.dtype}")
            idx = item.to(torch.int64)
            idx = torch.where(idx < 0, idx + size, idx)
            if clamp:
                idx = idx.clamp(0, max(size - 1, 0))
            else:
                # The pad slot (position size) holds -1: out-of-bounds entries land there.
                pad_shape = list(table.shape)
                pad_shape[dim] = 1
                table = torch.cat([table, table.new_full(pad_shape, -1)], dim=dim)
                idx = torch.where((idx < 0) | (idx >= size), size, idx)
            if idx.ndim == 0:
                # torch indexes with a 0-d tensor through `.item()` (data-dependent under torch.compile): select the
                # position with index_select, then drop the axis with the constant 0.
                table = table.index_select(dim, idx.reshape(1))
                idx = 0
            new_items.append(idx)
        else:
            raise TypeError(f"unsupported index of type {type(item).__name__}: {item!r}")
        dim += 1
    if any(isinstance(item, torch.Tensor) and item.ndim and item.dtype != torch.bool for item in new_items):
        # NumPy's rule, which JAX follows: an integer next to array indices is an advanced index too, so advanced
        # indices separated by a slice put their broadcast axes first (x[0, :, [1, 2]] is (2, 3)); torch takes the
        # integer as a basic index ((3, 2)). As a one-element array index, torch applies NumPy's rule.
        new_items = [torch.tensor([item], device=x.device) if isinstance(item, int) else item for item in new_items]
    return table[tuple(new_items)], scalar_oob


def _basic_in_bounds(x: torch.Tensor, index: Any) -> tuple | None:
    """``index`` as a tuple when it is basic (ints in bounds, forward slices, None, ...), else None.

    Such an index selects each element at most once and never out of bounds, so plain torch indexing of a clone
    gives JAX's result without building the position table.
    """
    items = index if isinstance(index, tuple) else (index,)
    if sum(item is Ellipsis for item in items) > 1:
        return None  # _prepare raises JAX's IndexError for a second Ellipsis
    dim = 0
    for item in items:
        if item is None:
            continue
        if item is Ellipsis:
            dim = x.ndim - sum(1 for it in items[items.index(Ellipsis) + 1 :] if it is not None)
            continue
        if isinstance(item, bool) or dim >= x.ndim:
            return None
        if isinstance(item, int):
            if not -x.shape[dim] <= item < x.shape[dim]:
                return None
        elif isinstance(item, slice):
            if item.step is not None and (not isinstance(item.step, int) or item.step <= 0):
                return None
        else:
            return None
        dim += 1
    return items


_BASIC_UPDATES = {
    "set": lambda old, v: v,
    "add": torch.add,
    "multiply": torch.mul,
    "divide": torch.div,
    "power": torch.pow,
    "min": torch.minimum,
    "max": torch.maximum,
}


def _update_basic(x: torch.Tensor, basic: tuple, values: Any, op: str) -> torch.Tensor:
    values = values if isinstance(values, torch.Tensor) else torch.as_tensor(values, device=x.device)
    if op in ("divide", "power"):
        # As the scatter path: x / factor and x ** factor, so integer x divides to float as in JAX.
        factor = torch.ones_like(x)
        factor[basic] = values.to(x.dtype)
        return x / factor if op == "divide" else x**factor
    out = x.clone()
    selected = x[basic]  # read from x: a view of out would be overwritten before backward
    out[basic] = _BASIC_UPDATES[op](selected, values.to(x.dtype)).to(x.dtype)
    return out


def at_get(x: torch.Tensor, index: Any, *, mode: str | None = None, fill_value: Any = None, **kwargs: Any):
    """``x[index]`` with JAX's gather rules: out-of-bounds indices clamp, or give ``fill_value`` with ``mode="fill"``."""
    x = as_tensor(x)
    basic = _basic_in_bounds(x, index)
    if basic is not None:
        return x[basic].clone()
    if mode in (None, "clip", "promise_in_bounds"):
        positions, _ = _prepare(x, index, clamp=True)
        return x.reshape(-1)[positions] if x.numel() else x[_index_tuple(index)]
    if mode not in ("fill", "drop"):
        raise ValueError(f"invalid .at[].get() mode {mode!r}; use None, 'clip', 'fill' or 'promise_in_bounds'")
    positions, scalar_oob = _prepare(x, index, clamp=False)
    if fill_value is None:
        fill_value = default_fill(x.dtype)
    gathered = x.reshape(-1)[positions.clamp(min=0)]
    fill = torch.as_tensor(fill_value, dtype=x.dtype, device=x.device)
    if scalar_oob:
        return fill.expand(gathered.shape).clone()
    return torch.where(positions < 0, fill, gathered)


def at_update(x: torch.Tensor, index: Any, values: Any, op: str, *, mode: str | None = None, **kwargs: Any):
    """A copy of ``x`` with ``x[index] <op>= values`` (JAX's scatter rules: out-of-bounds updates are dropped)."""
    if op not in _OPS:
        raise ValueError(f"unknown .at[] operation {op!r}; expected one of {_OPS}")
    x = as_tensor(x)
    if not (x.dtype.is_floating_point or x.dtype.is_complex) and op != "power" and op != "divide":
        dtype = result_dtype(x, values)
        if dtype.is_floating_point or dtype.is_complex:
            # JAX (_scatter_update): integer x with float values is updated in the promoted dtype and converted
            # back (x.at[0].multiply(2.5) of 4 is 10, not 4 * int(2.5)); float -> int conversion saturates.
            values = as_tensor(values).to(dtype) if op != "set" else as_tensor(values)
            if op == "set":
                values = saturating_float_to_int(values, x.dtype) if values.dtype.is_floating_point else values
            else:
                out = at_update(x.to(dtype), index, values, op, mode=mode, **kwargs)
                return saturating_float_to_int(out, x.dtype) if out.dtype.is_floating_point else out.to(x.dtype)
    basic = _basic_in_bounds(x, index)
    if basic is not None:
        try:
            return _update_basic(x, basic, values, op)
        except RuntimeError as error:
            # Under vmap, writing batched values into an unbatched x in place is refused (torch.func): use the
            # out-of-place scatter below instead. Nothing was written, since the write target is a fresh tensor.
            if "vmap" not in str(error):
                raise
    clamp = mode == "clip"
    positions, scalar_oob = _prepare(x, index, clamp=clamp)
    values = torch.as_tensor(values, device=x.device) if not isinstance(values, torch.Tensor) else values
    if scalar_oob:
        return x.clone()
    values = values.to(x.dtype)
    if values.ndim > positions.ndim:
        # JAX accepts values with extra leading unit axes.
        values = values.reshape(values.shape[values.ndim - positions.ndim :])
    values = torch.broadcast_to(values, positions.shape).reshape(-1)
    numel = x.numel()
    flat_positions = positions.reshape(-1)
    # Dropped updates go to one extra slot at the end of the flat buffer, which is cut off afterwards.
    flat_positions = torch.where(flat_positions < 0, numel, flat_positions)
    flat = x.reshape(-1)
    if op == "set":
        buffer = torch.cat([flat, flat.new_zeros(1)])
        out = buffer.index_put((flat_positions,), values)
    elif op == "add":
        buffer = torch.cat([flat, flat.new_zeros(1)])
        out = buffer.index_put((flat_positions,), values, accumulate=True)
    elif op == "multiply" and basic is not None:
        # Each position at most once: x * factor, avoiding scatter_reduce("prod"), whose backward is not vmappable.
        factor = torch.ones(numel + 1, dtype=x.dtype, device=x.device).index_put((flat_positions,), values)
        return x * factor[:numel].reshape(x.shape)
    elif op in ("min", "max", "multiply"):
        reduce = {"min": "amin", "max": "amax", "multiply": "prod"}[op]
        buffer = torch.cat([flat, flat.new_zeros(1)])
        out = buffer.scatter_reduce(0, flat_positions, values, reduce=reduce, include_self=True)
    else:
        # JAX (array_methods._IndexUpdateRef.divide/power): x / scatter_mul(ones, idx, v), x ** scatter_mul(...).
        ones = torch.ones(numel + 1, dtype=x.dtype, device=x.device)
        if basic is not None:
            factor = ones.index_put((flat_positions,), values)[:numel]
        else:
            factor = ones.scatter_reduce(0, flat_positions, values, reduce="prod", include_self=True)[:numel]
        factor = factor.reshape(x.shape)
        return x / factor if op == "divide" else x**factor
    return out[:numel].reshape(x.shape)


def diag_indices_from(arr: Any) -> tuple[torch.Tensor, ...]:
    arr = as_tensor(arr)
    if arr.ndim < 2:
        raise ValueError("input array must be at least 2-d")
    if len(set(arr.shape)) != 1:
        raise ValueError("All dimensions of input must be of equal length")
    return (torch.arange(arr.shape[0], dtype=INDEX_DTYPE),) * arr.ndim


def _tri_indices_from(name: str, arr: Any, k: int, upper: bool) -> tuple[torch.Tensor, torch.Tensor]:
    arr = as_tensor(arr)
    if arr.ndim != 2:
        raise ValueError(f"{name} requires a 2-D array, got shape {tuple(arr.shape)}")
    rows, cols = arr.shape
    index = torch.triu_indices if upper else torch.tril_indices
    out = index(rows, cols, offset=int(k))
    return out[0].to(INDEX_DTYPE), out[1].to(INDEX_DTYPE)


def tril_indices_from(arr: Any, k: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return _tri_indices_from("tril_indices_from", arr, k, upper=False)


def triu_indices_from(arr: Any, k: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return _tri_indices_from("triu_indices_from", arr, k, upper=True)


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


def _signed_fill(dtype: torch.dtype, fill_value: Any) -> Tensor:
    """The fill of a uint16/32/64 gather run on the signed view of the bits (``as_signed_bits``), as that view."""
    fill = torch.as_tensor(default_fill(dtype) if fill_value is None else fill_value).to(dtype)
    return fill.view({torch.uint16: torch.int16, torch.uint32: torch.int32, torch.uint64: torch.int64}[dtype])


def take(a, indices, axis=None, out=None, mode=None, unique_indices=False, indices_are_sorted=False, fill_value=None):
    a = as_tensor(a)
    indices = as_tensor(indices)
    if indices.dtype.is_floating_point or indices.dtype.is_complex:
        raise ValueError(f"indices must have an integer type (jnp.take), got {indices.dtype}")
    if is_wide_unsigned(a):  # no torch index_select kernel: gather the signed view of the same bits
        fill = _signed_fill(a.dtype, fill_value)
        return as_signed_bits(lambda v: take(v, indices, axis, out, mode, fill_value=fill), a)
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
    if indices.dtype.is_floating_point or indices.dtype.is_complex or indices.dtype is torch.bool:
        raise TypeError(f"take_along_axis indices must be of integer type, got {indices.dtype}")
    if is_wide_unsigned(arr):  # no torch gather kernel: gather the signed view of the same bits
        fill = _signed_fill(arr.dtype, fill_value)
        axis = normalize_axis(axis, arr.ndim)
        return as_signed_bits(lambda v: _gather_axis(v, indices, axis, mode, fill), arr)
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
