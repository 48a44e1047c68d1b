"""JAX's ``.at[]`` gather/scatter semantics on torch tensors (``jax.numpy.ndarray.at``, JAX 0.10).

An index is turned into a table of flat positions: ``arange(x.numel()).reshape(x.shape)`` indexed with the same
index, so every NumPy indexing form (ints, slices with any step, ``None``, ``...``, integer and boolean arrays, and
their mixtures) is handled by torch's own indexing rules. Out-of-bounds integer-array entries are routed to an extra
"pad" slot of the table, whose position is -1, so updates to them are dropped and gathers can be filled or clamped,
without any data-dependent Python control flow (so it works under ``torch.func.vmap`` and autograd).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from portax_torch._base_common import result_dtype, saturating_float_to_int
from portax_torch._more_common import as_tensor, default_fill

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
    return table[tuple(new_items)], scalar_oob


def _basic_in_bounds(x: torch.Tensor, index: Any) -> tuple | None:
    """``index`` as a tuple when it is basic (ints in bounds, forward slices, None, ...), else None.

    Such an index selects each element at most once and never out of bounds, so plain torch indexing of a clone
    gives JAX's result without building the position table.
    """
    items = index if isinstance(index, tuple) else (index,)
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
