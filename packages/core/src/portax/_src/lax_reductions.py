"""Reductions, cumulative scans and sorting of ``portax.lax`` (``reduce_sum``, ``argmax``, ``cumsum``, ``sort``, ...).

Core formulas over ``portax.numpy`` keeping ``jax.lax``'s rules: results keep the operand's dtype (``reduce_sum``
of int32 is int32 also in 64-bit mode), axes are checked as JAX checks them, ``sort`` is lexicographic over
``num_keys`` operands and stable, ``top_k`` breaks ties toward the lower index. On JAX each one is ``jax.lax``'s.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable, Sequence
from typing import Any

import portax.numpy as pnp
from portax._src import lax_elementwise as elementwise
from portax._src.lax_control import associative_scan
from portax._src.lax_ops import as_array, check_accepts, dtype_name, kernel, kind, primitive

Array = Any
ArrayLike = Any


def _reduction_axes(operand: Array, axes: Sequence[int]) -> tuple[int, ...]:
    axes = tuple(operator.index(a) for a in axes)
    if any(not 0 <= a < operand.ndim for a in axes):
        sizes = ",".join(str(n) for n in operand.shape)
        raise ValueError(
            f"reduction axes {axes} contains out-of-bounds indices for {dtype_name(operand.dtype)}[{sizes}]."
        )
    if len(set(axes)) != len(axes):
        raise ValueError(f"duplicate value in 'axes' of reduction: {axes}")
    return axes


def _reducer(name: str, accepted: tuple[str, ...], formula: Callable[[Array, tuple[int, ...]], Array], doc: str):
    def core(operand: ArrayLike, axes: Sequence[int]) -> Array:
        check_accepts(name, accepted, operand)
        operand = as_array(operand)
        axes = _reduction_axes(operand, axes)
        return formula(operand, axes) if axes else operand

    core.__name__ = core.__qualname__ = name
    core.__doc__ = (
        f"{doc} over ``axes`` (``jax.lax.{name}``); the result keeps the operand's dtype.\n\n    Args:\n"
        "        operand: an array.\n        axes: the axes to reduce (nonnegative, distinct).\n\n    Raises:\n"
        "        TypeError: a dtype the reduction does not accept.\n        ValueError: an axis out of range or repeated."
    )
    return primitive(core)


def _logical(reduce_bool: Callable[[Array, tuple[int, ...]], Array], combine: Callable[[Array, Array], Array]):
    def formula(operand: Array, axes: tuple[int, ...]) -> Array:
        if kind(operand.dtype) == "b":
            return reduce_bool(operand, axes)
        # Integers: the reduction of each bit, one vectorized boolean reduction per bit.
        bits = 8 * operand.dtype.itemsize
        out = None
        for bit in range(bits):
            flags = reduce_bool(elementwise.shift_right_logical(operand, pnp.full_like(operand, bit)) & 1 == 1, axes)
            term = pnp.left_shift(pnp.astype(flags, operand.dtype), bit)
            out = term if out is None else combine(out, term)
        return out

    return formula


def _logical_check(name: str, formula: Callable[[Array, tuple[int, ...]], Array]):
    def core(operand: ArrayLike, axes: Sequence[int]) -> Array:
        operand = as_array(operand)
        if kind(operand.dtype) not in "biu":
            raise TypeError(f"logical reduction requires operand dtype bool or int, got {dtype_name(operand.dtype)}.")
        axes = _reduction_axes(operand, axes)
        return formula(operand, axes) if axes else operand

    core.__name__ = core.__qualname__ = name
    core.__doc__ = (
        f"Bitwise {name[7:].upper()} over ``axes`` (``jax.lax.{name}``; logical for booleans).\n\n    Raises:\n"
        "        TypeError: the operand is not boolean or integer."
    )
    return primitive(core)


def _sum(x: Array, axes: tuple[int, ...]) -> Array:
    return pnp.sum(x, axis=axes, dtype=x.dtype)


def _prod(x: Array, axes: tuple[int, ...]) -> Array:
    return pnp.prod(x, axis=axes, dtype=x.dtype)


def _parity(x: Array, axes: tuple[int, ...]) -> Array:
    return pnp.sum(pnp.astype(x, "int32"), axis=axes) % 2 == 1


reduce_sum = _reducer("reduce_sum", ("number",), _sum, "The sum")
reduce_prod = _reducer("reduce_prod", ("number",), _prod, "The product")
reduce_max = _reducer("reduce_max", ("number", "bool"), lambda x, axes: pnp.max(x, axis=axes), "The maximum")
reduce_min = _reducer("reduce_min", ("number", "bool"), lambda x, axes: pnp.min(x, axis=axes), "The minimum")
reduce_and = _logical_check("reduce_and", _logical(lambda x, axes: pnp.all(x, axis=axes), pnp.bitwise_or))
reduce_or = _logical_check("reduce_or", _logical(lambda x, axes: pnp.any(x, axis=axes), pnp.bitwise_or))
reduce_xor = _logical_check("reduce_xor", _logical(_parity, pnp.bitwise_or))


def _arg_reduction(name: str, numpy_function: Callable[..., Array]):
    def core(operand: ArrayLike, axis: int, index_dtype: Any) -> Array:
        operand = as_array(operand)
        axis = operator.index(axis)
        if not 0 <= axis < builtins.max(operand.ndim, 1):
            raise ValueError(f"Invalid axis {axis} for operand shape {tuple(operand.shape)}")
        if kind(index_dtype) not in "iu":
            raise TypeError(f"index_dtype must be an integer type, but got {dtype_name(index_dtype)}")
        check_accepts("gt", ("integer", "floating", "bool"), operand)
        return pnp.astype(numpy_function(operand, axis=axis), index_dtype)

    core.__name__ = core.__qualname__ = name
    core.__doc__ = (
        f"The index of the {name[3:]}imum along ``axis`` (``jax.lax.{name}``): the first one on ties, the first NaN "
        "if any.\n\n    Args:\n        operand: a real or boolean array.\n        axis: a nonnegative axis.\n"
        "        index_dtype: the integer dtype of the result.\n\n    Raises:\n        ValueError: ``axis`` is out "
        "of range.\n        TypeError: ``index_dtype`` is not an integer dtype, or a complex operand."
    )
    return primitive(core)


argmax = _arg_reduction("argmax", pnp.argmax)
argmin = _arg_reduction("argmin", pnp.argmin)


# -- cumulative -----------------------------------------------------------------------------------------------------


def _cumulative(name: str, accepted: tuple[str, ...], formula: Callable[[Array, int], Array], doc: str):
    def core(operand: ArrayLike, axis: int = 0, reverse: bool = False) -> Array:
        check_accepts(name, accepted, operand)
        operand = as_array(operand)
        axis = operator.index(axis)
        if not 0 <= axis < operand.ndim:
            raise ValueError(f"axis {axis} is out of bounds for array of shape {tuple(operand.shape)}")
        scan = kernel(name, formula, operand)
        if reverse:
            return pnp.flip(scan(pnp.flip(operand, axis), axis), axis)
        return scan(operand, axis)

    core.__name__ = core.__qualname__ = name
    core.__doc__ = (
        f"{doc} along ``axis`` (``jax.lax.{name}``), from the end when ``reverse``; keeps the dtype.\n\n"
        "    Raises:\n        TypeError: a dtype it does not accept.\n        ValueError: ``axis`` is out of range."
    )
    return primitive(core)


def _scan_with(combine: Callable[[Array, Array], Array]) -> Callable[[Array, int], Array]:
    def formula(x: Array, axis: int) -> Array:
        return associative_scan(combine, x, axis=axis)

    return formula


cumsum = _cumulative("cumsum", ("number",), lambda x, axis: pnp.cumsum(x, axis=axis, dtype=x.dtype), "Running sums")
cumprod = _cumulative("cumprod", ("number",), lambda x, axis: pnp.cumprod(x, axis=axis, dtype=x.dtype), "Running products")
cummax = _cumulative("cummax", ("number",), _scan_with(pnp.maximum), "Running maxima")
cummin = _cumulative("cummin", ("number",), _scan_with(pnp.minimum), "Running minima")
cumlogsumexp = _cumulative("cumlogsumexp", ("floating", "complexfloating"), _scan_with(pnp.logaddexp), "Running log-sum-exp")


# -- sorting --------------------------------------------------------------------------------------------------------


@primitive
def sort(operand: Any, dimension: int = -1, is_stable: bool = True, num_keys: int = 1) -> Any:
    """Sort along ``dimension`` (``jax.lax.sort``): one array, or a sequence of arrays ordered by the first
    ``num_keys`` of them lexicographically (the others follow the permutation).

    NaNs sort to the end. Sorting is always stable here (``is_stable`` is accepted for JAX's signature).

    Returns:
        An array for an array operand, else a tuple with one array per operand.

    Raises:
        ValueError: ``num_keys`` out of ``[1, len(operand)]`` or ``dimension`` out of range.
        TypeError: operands of different shapes.

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> keys, values = lax.sort((jnp.array([2, 0, 1]), jnp.array([10.0, 20.0, 30.0])), num_keys=1)
        >>> values.tolist()
        [20.0, 30.0, 10.0]
    """
    single = not isinstance(operand, (list, tuple))
    operands = [as_array(o) for o in ([operand] if single else operand)]
    if not 1 <= num_keys <= len(operands):
        raise ValueError(f"num_keys={num_keys} must be between 1 and len(operand)={len(operands)}")
    shape = tuple(operands[0].shape)
    if any(tuple(o.shape) != shape for o in operands):
        raise TypeError(f"Arguments to sort must have equal shapes, got: {' '.join(str(tuple(o.shape)) for o in operands)}")
    ndim = len(shape)
    if not -ndim <= dimension < ndim:
        raise ValueError(f"axis {dimension} is out of bounds for array of dimension {ndim}")
    axis = dimension % ndim
    if single or len(operands) == 1:
        out = pnp.sort(operands[0], axis=axis)
        return out if single else (out,)
    order = _lexicographic_order(operands[:num_keys], axis)
    return tuple(pnp.take_along_axis(o, order, axis=axis) for o in operands)


def _lexicographic_order(keys: list[Array], axis: int) -> Array:
    # Stable sorts from the least significant key to the most significant one give the lexicographic order.
    order = pnp.argsort(keys[-1], axis=axis, stable=True)
    for key in reversed(keys[:-1]):
        step = pnp.argsort(pnp.take_along_axis(key, order, axis=axis), axis=axis, stable=True)
        order = pnp.take_along_axis(order, step, axis=axis)
    return order


@primitive
def sort_key_val(keys: ArrayLike, values: ArrayLike, dimension: int = -1, is_stable: bool = True) -> tuple[Array, Array]:
    """``keys`` sorted along ``dimension`` and ``values`` in the same order (``jax.lax.sort_key_val``)."""
    return sort((keys, values), dimension=dimension, is_stable=is_stable, num_keys=1)


@primitive
def top_k(operand: ArrayLike, k: int, *, axis: int = -1) -> tuple[Array, Array]:
    """The ``k`` largest entries along ``axis`` and their int32 indices, largest first (``jax.lax.top_k``).

    Ties keep the lower index first; NaN counts as the largest value.

    Raises:
        ValueError: ``k`` negative or larger than the axis.
    """
    operand = as_array(operand)
    k = operator.index(k)
    axis = axis % operand.ndim
    if k < 0:
        raise ValueError(f"k argument to top_k must be nonnegative, got {k}")
    if k > operand.shape[axis]:
        raise ValueError(
            f"k argument to top_k must be no larger than size along axis; got k={k} with shape="
            f"{list(operand.shape)} and axis={axis}"
        )
    order = pnp.argsort(operand, axis=axis, stable=True, descending=True)
    order = pnp.take(order, pnp.arange(k), axis=axis) if k != operand.shape[axis] else order
    return pnp.take_along_axis(operand, order, axis=axis), pnp.astype(order, "int32")


# -- lax.reduce with a known monoid ---------------------------------------------------------------------------------

_MONOIDS: dict[Any, Callable[[Array, tuple[int, ...]], Array]] = {}


def _monoid(computation: Callable[..., Any]) -> Callable[[Array, tuple[int, ...]], Array] | None:
    if not _MONOIDS:
        for functions, reduction in (
            ((elementwise.add, pnp.add, operator.add), _sum),
            ((elementwise.mul, pnp.multiply, operator.mul), _prod),
            ((elementwise.max, pnp.maximum), lambda x, axes: pnp.max(x, axis=axes)),
            ((elementwise.min, pnp.minimum), lambda x, axes: pnp.min(x, axis=axes)),
        ):
            for function in functions:
                _MONOIDS[function] = reduction
    return _MONOIDS.get(computation)


@primitive
def reduce(operands: Any, init_values: Any, computation: Callable[..., Any], dimensions: Sequence[int], out_sharding: Any = None) -> Any:
    """Reduce ``operands`` over ``dimensions`` with ``computation`` (``jax.lax.reduce``).

    A single operand whose ``computation`` is ``lax.add``/``mul``/``max``/``min`` (or the ``portax.numpy`` or
    ``operator`` equivalent) uses the backend's reduction; other computations are folded pairwise, which needs an
    associative and commutative ``computation`` (XLA assumes the same) that works elementwise on arrays.

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> lax.reduce(jnp.arange(6.0).reshape(2, 3), 0.0, lax.add, (1,)).tolist()
        [3.0, 12.0]
    """
    from portax._src import tree

    flat, treedef = tree.flatten(operands)
    inits, init_def = tree.flatten(init_values)
    if treedef != init_def:
        raise ValueError(f"reduce operands and init_values must have the same structure, got {treedef} and {init_def}")
    arrays = [as_array(a) for a in flat]
    axes = _reduction_axes(arrays[0], dimensions)
    reduction = _monoid(computation) if len(arrays) == 1 else None
    if reduction is not None:
        reduced = reduction(arrays[0], axes) if axes else arrays[0]
        return computation(as_array(inits[0], reduced), reduced)
    out = [_fold(arrays, inits, treedef, computation, axes)]
    return tree.unflatten(treedef, out[0])


def _fold(arrays: list[Array], inits: list[Any], treedef: Any, computation: Callable[..., Any], axes: tuple[int, ...]) -> list[Array]:
    from portax._src import tree

    keep = [a for a in range(arrays[0].ndim) if a not in axes]
    shape = [arrays[0].shape[a] for a in keep]
    # The reduced axes go last, flattened into one; it is halved by combining its two halves until one is left.
    parts = [pnp.reshape(pnp.transpose(a, keep + list(axes)), (*shape, -1)) for a in arrays]
    inits = [as_array(i, parts[0]) for i in inits]
    parts = [pnp.concatenate([p, pnp.broadcast_to(i, (*shape, 1))], axis=-1) for p, i in zip(parts, inits, strict=True)]
    while parts[0].shape[-1] > 1:
        size = parts[0].shape[-1]
        half = size // 2
        left = [p[..., :half] for p in parts]
        right = [p[..., half : 2 * half] for p in parts]
        combined = tree.leaves(computation(tree.unflatten(treedef, left), tree.unflatten(treedef, right)))
        parts = [pnp.concatenate([c, p[..., 2 * half :]], axis=-1) if size % 2 else c for c, p in zip(combined, parts, strict=True)]
    return [p[..., 0] for p in parts]
