"""``portax.scipy.ndimage``: JAX's ``map_coordinates`` (jax/_src/scipy/ndimage.py, 0.10) on every backend.

Written once over ``portax.numpy``: per axis the interpolation nodes (one for ``order=0``, two for ``order=1``) and
their weights, the boundary ``mode`` as an index fixer, then one gather per corner of the interpolation cell. The
modes are JAX's, i.e. SciPy's *documented* ones: JAX's ``"constant"`` and ``"wrap"`` are SciPy's
``"grid-constant"`` and ``"grid-wrap"``.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Sequence
from typing import Any

import portax.numpy as pnp
from portax._src.scipy._native import backend_for, creating_on, native

Array = Any


def _mirror_index(index: Array, size: int) -> Array:
    if size == 1:  # a triangular wave of period 0: every index is the only sample
        return pnp.zeros_like(index)
    period = size - 1
    return pnp.abs((index + period) % (2 * period) - period)


def _reflect_index(index: Array, size: int) -> Array:
    return pnp.floor_divide(_mirror_index(2 * index + 1, 2 * size + 1) - 1, 2)


_INDEX_FIXERS: dict[str, Callable[[Array, int], Array]] = {
    "constant": lambda index, size: pnp.clip(index, 0, size - 1),  # the gather stays in bounds; masked below
    "nearest": lambda index, size: pnp.clip(index, 0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror_index,
    "reflect": _reflect_index,
}


def _is_integer(x: Array) -> bool:
    return pnp.issubdtype(x.dtype, pnp.integer)


def _round_half_away_from_zero(x: Array) -> Array:
    if _is_integer(x):
        return x
    return pnp.sign(x) * pnp.floor(pnp.abs(x) + 0.5)  # lax.round's default (numpy's round is half-to-even)


def _nearest_nodes(coordinate: Array) -> list[tuple[Array, Any]]:
    return [(pnp.astype(_round_half_away_from_zero(coordinate), pnp.int32), 1)]


def _linear_nodes(coordinate: Array) -> list[tuple[Array, Any]]:
    lower = coordinate if _is_integer(coordinate) else pnp.floor(coordinate)
    upper_weight = coordinate - lower
    index = pnp.astype(lower, pnp.int32)
    return [(index, 1 - upper_weight), (index + 1, upper_weight)]


def map_coordinates(input: Any, coordinates: Sequence[Any], order: int,  # noqa: A002 (scipy's name)
                    mode: str = "constant", cval: Any = 0.0) -> Array:
    """Interpolate ``input`` at ``coordinates`` (``jax.scipy.ndimage.map_coordinates``).

    Args:
        input: the N-d array to sample.
        coordinates: N arrays of one shape (or an array whose first axis has N entries): the sample positions, in
            index units along each axis of ``input``.
        order: 0 (nearest) or 1 (linear), as in JAX.
        mode: ``"constant"`` (``cval`` outside), ``"nearest"``, ``"wrap"``, ``"mirror"`` or ``"reflect"``.
        cval: the value outside the input for ``mode="constant"``.

    Returns:
        The samples, of ``coordinates``' shape and ``input``'s dtype (integer inputs rounded half away from zero).

    Raises:
        ValueError: ``len(coordinates) != input.ndim``.
        NotImplementedError: another ``mode``, or ``order > 1`` (as JAX).

    Example:
        >>> import portax.numpy as pnp
        >>> from portax.scipy.ndimage import map_coordinates
        >>> image = pnp.arange(12.0).reshape(3, 4)
        >>> [float(v) for v in map_coordinates(image, [pnp.array([0.5, 1.5]), pnp.array([1.5, 2.5])], order=1)]
        [3.5, 8.5]
    """
    backend = backend_for(input, *(coordinates[i] for i in range(len(coordinates))))
    with creating_on(backend):
        image = input if backend.owns(input) else pnp.asarray(input)
        points = [coordinates[i] for i in range(len(coordinates))]
        points = [p if backend.owns(p) else pnp.asarray(p) for p in points]
        fill = pnp.asarray(cval, dtype=image.dtype)
    if len(points) != image.ndim:
        raise ValueError(
            f"coordinates must be a sequence of length input.ndim, but {len(points)} != {image.ndim}"
        )
    fixer = _INDEX_FIXERS.get(mode)
    if fixer is None:
        raise NotImplementedError(
            f"portax.scipy.ndimage.map_coordinates does not support mode={mode!r}; "
            f"supported modes are {sorted(_INDEX_FIXERS)} (as JAX)."
        )
    if order == 0:
        nodes_of = _nearest_nodes
    elif order == 1:
        nodes_of = _linear_nodes
    else:
        raise NotImplementedError(
            f"portax.scipy.ndimage.map_coordinates requires order <= 1 (as JAX), got order={order!r}."
        )
    if (function := native(backend, "map_coordinates")) is not None:  # jax.scipy.ndimage's own on JAX
        return function(image, points, order, mode=mode, cval=cval)
    per_axis = []
    for point, size in zip(points, image.shape, strict=True):
        nodes = []
        for index, weight in nodes_of(point):
            valid = (index >= 0) & (index < size) if mode == "constant" else None
            nodes.append((fixer(index, size), valid, weight))
        per_axis.append(nodes)
    contributions = []
    for corner in itertools.product(*per_axis):
        indices, validities, weights = zip(*corner, strict=True)
        values = image[tuple(indices)]
        if mode == "constant":
            values = pnp.where(functools.reduce(operator.and_, validities), values, fill)
        contributions.append(functools.reduce(operator.mul, weights) * values)
    result = functools.reduce(operator.add, contributions)
    if _is_integer(image):
        result = _round_half_away_from_zero(result)
    return pnp.astype(result, image.dtype)
