"""``lax.gather`` and the ``lax.scatter`` family with XLA's dimension numbers, written once over ``portax.numpy``.

The core formula turns a gather into one advanced-indexing read, and a scatter into one ``portax.numpy.at`` update:
for each operand axis it builds the integer array of the positions every output (update) element reads (writes),
``start index + window offset``, with the batch axes of the indices and the window axes where XLA puts them.
Operand axes read whole and not indexed are moved last and taken as plain slices, so ``x[i]`` costs one
``index_select`` on torch. Everything is vectorised (no loop over indices), hence differentiable, vmappable and
jittable wherever indexing and ``.at[]`` are. On JAX each function is ``jax.lax``'s own.

Modes follow JAX 0.10 (``jax._src.lax.slicing``): a gather clamps start indices (``PROMISE_IN_BOUNDS``, the
default, and ``CLIP``) or fills windows that do not fit with ``fill_value`` (``FILL_OR_DROP``); a scatter drops
updates whose window does not fit (``FILL_OR_DROP``, the default, and ``PROMISE_IN_BOUNDS``, as XLA does) or clamps
(``CLIP``). Start indices are never wrapped: negative ones are out of bounds (``jnp`` indexing wraps before).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import portax.numpy as pnp
from portax._src.errors import UnsupportedError
from portax._src.lax_ops import as_array, dtype_name, kind, primitive
from portax._src.scipy._native import backend_for, creating_on

Array = Any
ArrayLike = Any


class GatherDimensionNumbers(NamedTuple):
    """How a gather maps index vectors and windows onto operand and output axes (``jax.lax``'s, JAX 0.10).

    Args:
        offset_dims: the output axes that hold window axes (sorted).
        collapsed_slice_dims: operand axes of window size 1 that the output drops (sorted).
        start_index_map: for each entry of an index vector, the operand axis it starts.
        operand_batching_dims: operand axes paired with ``start_indices_batching_dims`` (sorted).
        start_indices_batching_dims: axes of the indices that index ``operand_batching_dims``.

    Example:
        >>> from portax import lax
        >>> lax.GatherDimensionNumbers(offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0,))[2]
        (0,)
    """

    offset_dims: tuple[int, ...]
    collapsed_slice_dims: tuple[int, ...]
    start_index_map: tuple[int, ...]
    operand_batching_dims: tuple[int, ...] = ()
    start_indices_batching_dims: tuple[int, ...] = ()


class ScatterDimensionNumbers(NamedTuple):
    """How a scatter maps index vectors and update windows onto operand axes (``jax.lax``'s, JAX 0.10).

    Args:
        update_window_dims: the axes of ``updates`` that are window axes (sorted).
        inserted_window_dims: operand axes of window size 1 absent from ``updates`` (sorted).
        scatter_dims_to_operand_dims: for each entry of an index vector, the operand axis it starts.
        operand_batching_dims: operand axes paired with ``scatter_indices_batching_dims`` (sorted).
        scatter_indices_batching_dims: axes of the indices that index ``operand_batching_dims``.

    Example:
        >>> from portax import lax
        >>> lax.ScatterDimensionNumbers((1,), (0,), (0,)).inserted_window_dims
        (0,)
    """

    update_window_dims: Sequence[int]
    inserted_window_dims: Sequence[int]
    scatter_dims_to_operand_dims: Sequence[int]
    operand_batching_dims: Sequence[int] = ()
    scatter_indices_batching_dims: Sequence[int] = ()


class GatherScatterMode(enum.Enum):
    """What a gather or scatter does with indices whose window does not fit in the operand (``jax.lax``'s).

    Example:
        >>> from portax import lax
        >>> lax.GatherScatterMode.from_any("clip")
        <GatherScatterMode.CLIP: 1>
    """

    CLIP = 1
    FILL_OR_DROP = 2
    PROMISE_IN_BOUNDS = 3
    ONE_HOT = 4

    @staticmethod
    def from_any(s: str | GatherScatterMode | None) -> GatherScatterMode:
        """The mode named by ``s`` (``None``, ``"fill"`` and ``"drop"`` are ``FILL_OR_DROP``).

        Raises:
            ValueError: an unknown name (JAX's message).
        """
        if isinstance(s, GatherScatterMode):
            return s
        name = getattr(s, "name", None)  # jax.lax.GatherScatterMode passed through
        if isinstance(name, str) and name in GatherScatterMode.__members__:
            return GatherScatterMode[name]
        if s == "clip":
            return GatherScatterMode.CLIP
        if s is None or s == "fill" or s == "drop":
            return GatherScatterMode.FILL_OR_DROP
        if s == "promise_in_bounds":
            return GatherScatterMode.PROMISE_IN_BOUNDS
        if s == "one_hot":
            return GatherScatterMode.ONE_HOT
        raise ValueError(f'Unknown gather mode "{s}"')


# -- the shared index construction ----------------------------------------------------------------------------------


def _tuple(values: Sequence[int]) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


def _placed(value: Array, positions: Sequence[int], rank: int) -> Array:
    """``value`` (axes in order) reshaped to ``rank`` axes, its axes at ``positions`` and size 1 elsewhere."""
    shape = [1] * rank
    for size, position in zip(value.shape, positions, strict=True):
        shape[position] = int(size)
    return pnp.reshape(value, tuple(shape))


def _windowed_indices(
    operand_shape: tuple[int, ...],
    indices: Array,
    start_index_map: tuple[int, ...],
    operand_batching_dims: tuple[int, ...],
    indices_batching_dims: tuple[int, ...],
    window_dims: list[int],
    window_sizes: list[int],
    window_positions: tuple[int, ...],
    batch_positions: list[int],
    rank: int,
    clamp: bool,
) -> tuple[list[int], list[int], dict[int, Array], Array | None]:
    """Positions read or written, per operand axis, as arrays broadcastable over the ``rank`` result axes.

    Returns ``(indexed, whole, positions, fits)``: the operand axes given index arrays, the window axes taken whole
    (neither indexed nor batching, window size equal to the axis), the index array of each axis in ``indexed``, and
    whether each window fits (batch shape, placed; None when clamped or nothing is indexed).
    """
    window_of = dict(zip(window_dims, zip(window_sizes, window_positions, strict=True), strict=True))
    indexed = [d for d in range(len(operand_shape)) if not (d in window_of and d not in start_index_map
                                                             and window_of[d][0] == operand_shape[d])]
    whole = [d for d in range(len(operand_shape)) if d not in indexed]
    positions: dict[int, Array] = {}
    fits = None
    for d in indexed:
        window = window_of[d][0] if d in window_of else 1
        position: Any = None
        if d in start_index_map:
            start = indices[..., start_index_map.index(d)]
            limit = operand_shape[d] - window
            if clamp:
                start = pnp.clip(start, 0, limit)
            else:
                fit = (start >= 0) & (start <= limit)
                fits = fit if fits is None else fits & fit
            position = _placed(start, batch_positions, rank)
        elif d in operand_batching_dims:
            axis = indices_batching_dims[operand_batching_dims.index(d)]
            iota = pnp.arange(operand_shape[d], dtype=indices.dtype)
            position = _placed(iota, [batch_positions[axis]], rank)
        if d in window_of:
            offsets = _placed(pnp.arange(window, dtype=indices.dtype), [window_of[d][1]], rank)
            position = offsets if position is None else position + offsets
        if position is None:  # a collapsed axis no index vector starts: position 0
            position = pnp.zeros((1,) * rank, dtype=indices.dtype)
        positions[d] = position
    if fits is not None:
        fits = _placed(fits, batch_positions, rank)
    return indexed, whole, positions, fits


def _check_sorted(values: tuple[int, ...], op: str, name: str) -> None:
    if list(values) != sorted(values):
        raise TypeError(f"{name} in {op} op must be sorted; got {values}")
    if len(set(values)) != len(values):
        raise TypeError(f"{name} in {op} op must not repeat; got {values}")


def _as_indices(indices: ArrayLike, operand: Array) -> Array:
    indices = as_array(indices, operand)
    if kind(indices.dtype) not in "iu":
        raise ValueError(f"indices must have an integer type, got {dtype_name(indices.dtype)}; cast them with astype")
    if indices.ndim == 0:
        raise TypeError("Gather/scatter indices must have rank >= 1; the last axis holds the index vectors")
    return indices


def _default_fill(dtype: Any) -> Any:
    letter = kind(dtype)
    if letter in "fc":
        return float("nan")
    if letter == "i":
        return int(pnp.iinfo(dtype).min)
    if letter == "u":
        return int(pnp.iinfo(dtype).max)
    return True


# -- gather ---------------------------------------------------------------------------------------------------------


@primitive
def gather(
    operand: ArrayLike,
    start_indices: ArrayLike,
    dimension_numbers: GatherDimensionNumbers,
    slice_sizes: Sequence[int],
    *,
    unique_indices: bool = False,
    indices_are_sorted: bool = False,
    mode: str | GatherScatterMode | None = None,
    fill_value: Any = None,
) -> Array:
    """XLA's gather: the windows of ``slice_sizes`` starting at each index vector of ``start_indices``.

    Args:
        operand: the array read.
        start_indices: integer array; its last axis holds the index vectors (one entry per ``start_index_map`` axis).
        dimension_numbers: a :class:`GatherDimensionNumbers`.
        slice_sizes: the window size along each operand axis.
        mode: ``"promise_in_bounds"`` (default) or ``"clip"`` clamp windows into the operand; ``"fill"`` returns
            ``fill_value`` (default NaN, the integer minimum, unsigned maximum or True) for windows that do not fit.

    Returns:
        An array whose axes are the batch axes of ``start_indices`` and, at ``offset_dims``, the window axes.

    Raises:
        TypeError: inconsistent dimension numbers, sizes or index dtype (JAX's checks).

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> dn = lax.GatherDimensionNumbers(offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0,))
        >>> lax.gather(jnp.arange(6.0).reshape(3, 2), jnp.array([[2], [0]]), dn, (1, 2)).tolist()
        [[4.0, 5.0], [0.0, 1.0]]
    """
    operand = as_array(operand)
    with creating_on(backend_for(operand)):
        return _gather(operand, start_indices, dimension_numbers, slice_sizes, mode, fill_value)


def _gather(operand: Array, start_indices: ArrayLike, dimension_numbers: GatherDimensionNumbers,
            slice_sizes: Sequence[int], mode: Any, fill_value: Any) -> Array:
    indices = _as_indices(start_indices, operand)
    parsed = GatherScatterMode.from_any(GatherScatterMode.PROMISE_IN_BOUNDS if mode is None else mode)
    if parsed is GatherScatterMode.ONE_HOT:
        raise UnsupportedError(backend_for(operand).name, "portax.lax.gather with mode='one_hot'",
                               "use mode='clip', 'fill' or 'promise_in_bounds'")
    dn = dimension_numbers
    offset_dims, collapsed = _tuple(dn.offset_dims), _tuple(dn.collapsed_slice_dims)
    start_index_map = _tuple(dn.start_index_map)
    operand_batching, indices_batching = _tuple(dn.operand_batching_dims), _tuple(dn.start_indices_batching_dims)
    slice_sizes = _tuple(slice_sizes)
    shape = tuple(int(n) for n in operand.shape)
    _check_sorted(offset_dims, "gather", "offset_dims")
    _check_sorted(collapsed, "gather", "collapsed_slice_dims")
    if len(start_index_map) != indices.shape[-1]:
        raise TypeError(
            f"Gather op has {len(start_index_map)} elements in start_index_map and the bound of dimension "
            f"index_vector_dim={indices.ndim - 1} of indices is {indices.shape[-1]}. These two numbers must be equal."
        )
    if len(slice_sizes) != len(shape):
        raise TypeError(
            "Gather op must have one slice size for every input dimension; got: "
            f"len(slice_sizes)={len(slice_sizes)}, input_shape.rank={len(shape)}"
        )
    if len(slice_sizes) != len(offset_dims) + len(collapsed) + len(operand_batching):
        raise TypeError(
            "All components of the offset index in a gather op must either be a offset dimension or explicitly "
            f"collapsed/batching; got len(slice_sizes)={len(slice_sizes)}, output_slice_sizes={offset_dims}, "
            f"collapsed_slice_dims={collapsed}, operand_batching_dims={operand_batching}."
        )
    for d, (size, bound) in enumerate(zip(slice_sizes, shape, strict=True)):
        if not 0 <= size <= bound:
            raise TypeError(
                f"Slice size at index {d} in gather op is out of range, must be within [0, {bound} + 1), got {size}."
            )
        if (d in collapsed or d in operand_batching) and size > 1:
            raise TypeError(
                f"Gather op can only collapse slice dims with bound 1, but bound is {size} for index {d} at "
                f"position {(collapsed + operand_batching).index(d)}."
            )
    if any(not 0 <= d < len(shape) for d in start_index_map + collapsed + operand_batching):
        raise TypeError(f"Invalid start_index_map, collapsed_slice_dims or operand_batching_dims for an operand of "
                        f"rank {len(shape)}: {dn}")
    if tuple(shape[d] for d in operand_batching) != tuple(int(indices.shape[d]) for d in indices_batching):
        raise TypeError(
            "Gather op requires operand batching dimensions and indices batching dimensions to have the same shape, "
            f"got {tuple(shape[d] for d in operand_batching)} and "
            f"{tuple(int(indices.shape[d]) for d in indices_batching)}."
        )
    batch_shape = tuple(int(n) for n in indices.shape[:-1])
    rank = len(batch_shape) + len(offset_dims)
    batch_positions = [p for p in range(rank) if p not in offset_dims]
    window_dims = [d for d in range(len(shape)) if d not in collapsed and d not in operand_batching]
    window_sizes = [slice_sizes[d] for d in window_dims]
    output_shape = [0] * rank
    for p, n in zip(batch_positions, batch_shape, strict=True):
        output_shape[p] = n
    for p, n in zip(offset_dims, window_sizes, strict=True):
        output_shape[p] = n
    fill_mode = parsed is GatherScatterMode.FILL_OR_DROP
    indexed, whole, positions, fits = _windowed_indices(
        shape, indices, start_index_map, operand_batching, indices_batching, window_dims, window_sizes,
        offset_dims, batch_positions, rank, clamp=not fill_mode)
    if fits is not None:  # read a clamped window, replace it by the fill value below
        for d in start_index_map:
            positions[d] = pnp.clip(positions[d], 0, shape[d] - 1)
    whole_positions = [offset_dims[window_dims.index(d)] for d in whole]
    kept = [p for p in range(rank) if p not in whole_positions]  # result axes the index arrays span
    reduced_shape = tuple(output_shape[p] for p in kept)
    moved = pnp.transpose(operand, tuple(indexed + whole)) if whole and indexed else operand
    if indexed:
        index = tuple(pnp.broadcast_to(pnp.squeeze(positions[d], tuple(whole_positions)), reduced_shape)
                      for d in indexed)
        result = moved[index]
    else:  # every axis read whole: the window broadcast over the batch axes
        result = pnp.broadcast_to(moved, reduced_shape + tuple(shape))
    if whole_positions:  # result axes: kept ones, then the whole windows; put the whole windows in place
        source = {p: i for i, p in enumerate(kept + whole_positions)}
        result = pnp.transpose(result, tuple(source[p] for p in range(rank)))
    if fits is not None:
        value = _default_fill(operand.dtype) if fill_value is None else fill_value
        result = pnp.where(fits, result, pnp.asarray(value, dtype=result.dtype))
    return result


# -- scatter --------------------------------------------------------------------------------------------------------


def _scatter(
    name: str,
    operand: ArrayLike,
    scatter_indices: ArrayLike,
    updates: ArrayLike,
    dimension_numbers: ScatterDimensionNumbers,
    mode: Any,
    combine: Callable[..., Array],
    unique: bool = False,
) -> Array:
    operand = as_array(operand)
    with creating_on(backend_for(operand)):
        return _scatter_core(name, operand, scatter_indices, updates, dimension_numbers, mode, combine, unique)


def _scatter_core(name: str, operand: Array, scatter_indices: ArrayLike, updates: ArrayLike,
                  dimension_numbers: ScatterDimensionNumbers, mode: Any, combine: Callable[..., Array],
                  unique: bool) -> Array:
    indices = _as_indices(scatter_indices, operand)
    updates = as_array(updates, operand)
    if updates.dtype != operand.dtype:
        raise TypeError(
            f"lax.{name} requires arguments to have the same dtypes, got {dtype_name(operand.dtype)}, "
            f"{dtype_name(updates.dtype)}."
        )
    parsed = GatherScatterMode.from_any(mode)
    if parsed is GatherScatterMode.ONE_HOT:
        raise UnsupportedError(backend_for(operand).name, f"portax.lax.{name} with mode='one_hot'",
                               "use mode='clip', 'drop' or 'promise_in_bounds'")
    dn = dimension_numbers
    window_positions, inserted = _tuple(dn.update_window_dims), _tuple(dn.inserted_window_dims)
    start_index_map = _tuple(dn.scatter_dims_to_operand_dims)
    operand_batching, indices_batching = _tuple(dn.operand_batching_dims), _tuple(dn.scatter_indices_batching_dims)
    shape = tuple(int(n) for n in operand.shape)
    _check_sorted(window_positions, "scatter", "update_window_dims")
    _check_sorted(inserted, "scatter", "inserted_window_dims")
    if len(start_index_map) != indices.shape[-1]:
        raise TypeError(
            f"Scatter op has {len(start_index_map)} elements in scatter_dims_to_operand_dims and the bound of "
            f"dimension index_vector_dim={indices.ndim - 1} of indices is {indices.shape[-1]}. These two numbers "
            "must be equal."
        )
    rank = updates.ndim
    batch_positions = [p for p in range(rank) if p not in window_positions]
    batch_shape = tuple(int(n) for n in indices.shape[:-1])
    if tuple(int(updates.shape[p]) for p in batch_positions) != batch_shape:
        raise TypeError(
            f"Bounds of the scatter dimensions of updates must be the same as the bounds of the corresponding "
            f"dimensions of scatter indices. For scatter dimensions of updates {batch_positions}, the bounds are "
            f"{tuple(int(updates.shape[p]) for p in batch_positions)} and the scatter indices have batch shape "
            f"{batch_shape}."
        )
    window_dims = [d for d in range(len(shape)) if d not in inserted and d not in operand_batching]
    if len(window_dims) != len(window_positions):
        raise TypeError(
            "Scatter op has window of size "
            f"{len(window_positions)}; doesn't match operand of rank {len(shape)}: update_window_dims="
            f"{window_positions}, inserted_window_dims={inserted}, operand_batching_dims={operand_batching}."
        )
    window_sizes = [int(updates.shape[p]) for p in window_positions]
    for d, size in zip(window_dims, window_sizes, strict=True):
        if size > shape[d]:
            raise TypeError(
                f"Bounds of the window dimensions of updates must not exceed the bounds of the corresponding "
                f"dimensions of operand. For dimension {d}, updates bound is {size}, operand bound is {shape[d]}."
            )
    clamp = parsed is GatherScatterMode.CLIP
    indexed, whole, positions, fits = _windowed_indices(
        shape, indices, start_index_map, operand_batching, indices_batching, window_dims, window_sizes,
        window_positions, batch_positions, rank, clamp=clamp)
    if fits is not None:  # a window that does not fit writes nowhere: an index past the end, which .at[] drops
        first = next(d for d in start_index_map)
        positions[first] = pnp.where(fits, positions[first], shape[first])
    whole_positions = [window_positions[window_dims.index(d)] for d in whole]
    kept = [p for p in range(rank) if p not in whole_positions]
    order = tuple(indexed + whole)
    moved = pnp.transpose(operand, order) if whole and indexed else operand
    moved_updates = pnp.transpose(updates, tuple(kept + whole_positions)) if whole_positions else updates
    reduced_shape = tuple(int(updates.shape[p]) for p in kept)
    if indexed:
        index = tuple(pnp.broadcast_to(pnp.squeeze(positions[d], tuple(whole_positions)), reduced_shape)
                      for d in indexed)
    else:  # every axis written whole: each update covers the whole operand
        index = None
        moved_updates = pnp.reshape(moved_updates, (-1, *shape))
    result = combine(moved, index, moved_updates, unique)
    if whole and indexed:
        result = pnp.transpose(result, tuple(order.index(d) for d in range(len(shape))))
    return result


def _combiner(op: str) -> Callable[..., Array]:
    def combine(operand: Array, index: tuple | None, updates: Array, unique: bool = False) -> Array:
        if index is None:  # no index arrays: every update covers the whole operand (leading axis: the updates)
            return _COMBINE_WHOLE[op](operand, updates)
        if op == "multiply":
            # operand * (the product of the updates at each position): the derivative in the operand is that product,
            # free of the data-dependent backward of a product reduction (torch's cannot run under vmap or jit);
            # with unique indices the product is the update itself (JAX differentiates in the updates only then).
            ones = pnp.ones_like(operand)
            factor = pnp.at(ones)[index].set(updates, mode="drop") if unique else \
                pnp.at(ones)[index].multiply(updates, mode="drop")
            return operand * factor
        return getattr(pnp.at(operand)[index], op)(updates, mode="drop")

    return combine


def _last_or_old(old: Array, new: Array) -> Array:
    return new[-1] if new.shape[0] else old


_COMBINE_WHOLE: dict[str, Callable[[Array, Array], Array]] = {
    "set": _last_or_old,
    "add": lambda old, new: old + pnp.sum(new, axis=0),
    "multiply": lambda old, new: old * pnp.prod(new, axis=0),
    "min": lambda old, new: pnp.minimum(old, pnp.min(new, axis=0)) if new.shape[0] else old,
    "max": lambda old, new: pnp.maximum(old, pnp.max(new, axis=0)) if new.shape[0] else old,
}


def _scatter_doc(name: str, what: str) -> str:
    return f"""XLA's scatter {what}: each window of ``updates`` combined into ``operand`` at its index vector.

    Args:
        operand: the array updated (never mutated; a new array is returned).
        scatter_indices: integer array; its last axis holds the index vectors.
        updates: the windows, with the batch axes of ``scatter_indices`` and the window axes at
            ``update_window_dims``; same dtype as ``operand``.
        dimension_numbers: a :class:`ScatterDimensionNumbers`.
        mode: ``"drop"``/``None`` (default) and ``"promise_in_bounds"`` drop updates whose window does not fit;
            ``"clip"`` clamps it into the operand.

    Returns:
        The updated copy of ``operand``.

    Raises:
        TypeError: inconsistent dimension numbers, shapes or dtypes (JAX's checks).

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> dn = lax.ScatterDimensionNumbers((), (0,), (0,))
        >>> tuple(lax.{name}(jnp.zeros(3), jnp.array([[1], [2]]), jnp.array([2.0, 3.0]), dn).shape)
        (3,)
    """


def _make_scatter(name: str, op: str, what: str, negate: bool = False) -> Callable[..., Array]:
    combine = _combiner(op)

    def scatter_function(
        operand: ArrayLike,
        scatter_indices: ArrayLike,
        updates: ArrayLike,
        dimension_numbers: ScatterDimensionNumbers,
        *,
        indices_are_sorted: bool = False,
        unique_indices: bool = False,
        mode: str | GatherScatterMode | None = None,
    ) -> Array:
        if negate:
            updates = -as_array(updates, operand)
        return _scatter(name, operand, scatter_indices, updates, dimension_numbers, mode, combine, bool(unique_indices))

    scatter_function.__name__ = scatter_function.__qualname__ = name
    scatter_function.__doc__ = _scatter_doc(name, what)
    return primitive(scatter_function)


scatter = _make_scatter("scatter", "set", "(replace; with repeated indices one update wins)")
scatter_add = _make_scatter("scatter_add", "add", "with addition")
scatter_sub = _make_scatter("scatter_sub", "add", "with subtraction", negate=True)
scatter_mul = _make_scatter("scatter_mul", "multiply", "with multiplication")
scatter_min = _make_scatter("scatter_min", "min", "with minimum")
scatter_max = _make_scatter("scatter_max", "max", "with maximum")


@primitive
def scatter_apply(
    operand: ArrayLike,
    scatter_indices: ArrayLike,
    func: Callable[[Array], Array],
    dimension_numbers: ScatterDimensionNumbers,
    *,
    update_shape: Sequence[int] = (),
    indices_are_sorted: bool = False,
    unique_indices: bool = False,
    mode: str | GatherScatterMode | None = None,
) -> Array:
    """``func`` applied to the elements of ``operand`` that the windows of shape ``update_shape`` cover.

    Elementwise ``func``; each covered element is transformed once, also when windows overlap.

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> dn = lax.ScatterDimensionNumbers((), (0,), (0,))
        >>> lax.scatter_apply(jnp.ones(3), jnp.array([[2]]), lambda v: v * 5, dn, update_shape=(1,)).tolist()
        [1.0, 1.0, 5.0]
    """
    operand = as_array(operand)
    with creating_on(backend_for(operand)):
        covered = _scatter("scatter_apply", pnp.zeros_like(operand, dtype=pnp.bool_), scatter_indices,
                           pnp.ones(tuple(update_shape), dtype=pnp.bool_), dimension_numbers, mode,
                           _combiner("set"))
    return pnp.where(covered, func(operand), operand)
