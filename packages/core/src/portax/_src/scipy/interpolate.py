"""``portax.scipy.interpolate``: JAX's ``RegularGridInterpolator`` (jax/_src/third_party/scipy/interpolate.py, 0.10).

Written once over ``portax.numpy``; a pytree (grid, values and fill value are its leaves), so an interpolator passes
through ``jit``, ``vmap`` and ``grad`` like JAX's. As in JAX, each grid axis must be strictly increasing (not
checked: a decreasing axis gives wrong values silently, as in JAX) and ``bounds_error=True`` is refused.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

import portax.numpy as pnp
from portax._src import tree
from portax._src.scipy._native import backend_for, creating_on
from portax._src.scipy.special import promote_inexact

Array = Any
_METHODS = ("linear", "nearest")


def _check_method(method: str) -> None:
    if method not in _METHODS:
        raise ValueError(f"method {method!r} is not defined; use 'linear' or 'nearest'")


class RegularGridInterpolator:
    """Interpolation on a regular (rectilinear) grid (``jax.scipy.interpolate.RegularGridInterpolator``).

    Args:
        points: N 1-D arrays, the strictly increasing grid coordinates of each axis.
        values: the grid values, of shape ``(len(points[0]), ..., len(points[N-1]), *trailing)``.
        method: ``"linear"`` (default) or ``"nearest"``.
        bounds_error: must be False (as JAX: no data-dependent error under ``jit``).
        fill_value: the value outside the grid (default NaN); ``None`` extrapolates.

    Raises:
        ValueError: an unknown ``method``, more point arrays than ``values`` has axes, or a ``fill_value`` whose
            dtype does not cast to ``values``' (``same_kind``).
        NotImplementedError: ``bounds_error=True``.

    Example:
        >>> import portax.numpy as pnp
        >>> from portax.scipy.interpolate import RegularGridInterpolator
        >>> grid = (pnp.array([1.0, 2.0, 3.0]), pnp.array([4.0, 5.0, 6.0]))
        >>> values = pnp.array([[10.0, 20.0, 30.0], [40.0, 50.0, 60.0], [70.0, 80.0, 90.0]])
        >>> interpolate = RegularGridInterpolator(grid, values)
        >>> [round(float(v), 3) for v in interpolate(pnp.array([[1.5, 4.5], [2.2, 5.8]]))]
        [30.0, 64.0]
    """

    def __init__(self, points: Sequence[Any], values: Any, method: str = "linear", bounds_error: bool = False,
                 fill_value: Any = np.nan) -> None:
        _check_method(method)
        self.method = method
        self.bounds_error = bounds_error
        if bounds_error:
            raise NotImplementedError("`bounds_error` takes no effect under JIT (as in JAX); use bounds_error=False")
        backend = backend_for(values, *points)
        with creating_on(backend):
            values = values if backend.owns(values) else pnp.asarray(values)
            if len(points) > values.ndim:
                raise ValueError(f"there are {len(points)} point arrays, but values has {values.ndim} dimensions")
            (values,) = promote_inexact(values)
            if fill_value is not None:
                fill_value = fill_value if backend.owns(fill_value) else pnp.asarray(fill_value)
                if pnp.iscomplexobj(fill_value) and not pnp.iscomplexobj(values):  # numpy's same_kind casting
                    # (values are inexact: booleans, integers and floats cast to them, complex only to complex)
                    raise ValueError("fill_value must be either 'None' or of a type compatible with values")
            self.fill_value = fill_value
            self.grid = tuple(p if backend.owns(p) else pnp.asarray(p) for p in points)
        self.values = values

    # -- pytree -------------------------------------------------------------------------------------------------

    def tree_flatten(self) -> tuple[tuple, tuple]:
        return (self.grid, self.values, self.fill_value), (self.method, self.bounds_error)

    @classmethod
    def tree_unflatten(cls, aux_data: tuple, children: tuple) -> RegularGridInterpolator:
        interpolator = cls.__new__(cls)
        interpolator.method, interpolator.bounds_error = aux_data
        interpolator.grid, interpolator.values, interpolator.fill_value = children
        return interpolator

    # -- evaluation -----------------------------------------------------------------------------------------------

    def __call__(self, xi: Any, method: str | None = None) -> Array:
        """The interpolated values at ``xi``: an array ``(..., N)`` or a tuple of N broadcastable arrays.

        Raises:
            ValueError: an unknown ``method``, or points of another dimension than the grid.
        """
        method = self.method if method is None else method
        _check_method(method)
        ndim = len(self.grid)
        xi = self._points(xi, ndim)
        if xi.shape[-1] != ndim:
            raise ValueError(
                f"the requested sample points xi have dimension {xi.shape[-1]}, but this "
                f"RegularGridInterpolator has dimension {ndim}"
            )
        xi_shape = tuple(xi.shape)
        xi = pnp.reshape(xi, (-1, xi_shape[-1]))
        indices, distances, outside = self._find_indices(xi)
        if method == "linear":
            result = self._evaluate_linear(indices, distances)
        else:
            result = self._evaluate_nearest(indices, distances)
        if self.fill_value is not None:
            shape = tuple(result.shape[:1]) + (1,) * (result.ndim - 1)
            fill = pnp.astype(self.fill_value, result.dtype)
            result = pnp.where(pnp.reshape(outside, shape), fill, result)
        return pnp.reshape(result, xi_shape[:-1] + tuple(self.values.shape[ndim:]))

    def _points(self, points: Any, ndim: int) -> Array:
        """JAX's ``_ndim_coords_from_arrays``: a tuple of arrays is broadcast and stacked on a last axis."""
        if isinstance(points, tuple) and len(points) == 1:
            points = points[0]
        backend = backend_for(self.values)
        with creating_on(backend):
            if isinstance(points, tuple):
                arrays = pnp.broadcast_arrays(*(p if backend.owns(p) else pnp.asarray(p) for p in points))
                return pnp.astype(pnp.stack(arrays, axis=-1), pnp.result_type(1.0))
            points = points if backend.owns(points) else pnp.asarray(points)
        if points.ndim == 1:
            points = pnp.reshape(points, (-1, ndim))
        return points

    def _find_indices(self, xi: Array) -> tuple[list[Array], list[Array], Array]:
        indices, distances, outside = [], [], None
        for axis, grid in enumerate(self.grid):
            x = xi[:, axis]
            size = grid.shape[0]
            index = pnp.clip(pnp.searchsorted(grid, x) - 1, 0, size - 2)
            low, high = pnp.take(grid, index), pnp.take(grid, index + 1)
            indices.append(index)
            distances.append((x - low) / (high - low))
            beyond = (x < grid[0]) | (x > grid[-1])
            outside = beyond if outside is None else outside | beyond
        return indices, distances, outside

    def _evaluate_linear(self, indices: list[Array], distances: list[Array]) -> Array:
        trailing = (slice(None),) + (None,) * (self.values.ndim - len(indices))
        result = None
        for corner in itertools.product((0, 1), repeat=len(indices)):  # the lower (0) or upper (1) edge per axis
            weight = None
            for upper, distance in zip(corner, distances, strict=True):
                factor = distance if upper else 1 - distance
                weight = factor if weight is None else weight * factor
            edge = tuple(index + upper for index, upper in zip(indices, corner, strict=True))
            term = self.values[edge] * weight[trailing]
            result = term if result is None else result + term
        return result

    def _evaluate_nearest(self, indices: list[Array], distances: list[Array]) -> Array:
        nearest = tuple(pnp.where(d <= 0.5, i, i + 1) for i, d in zip(indices, distances, strict=True))
        return self.values[nearest]


tree.register_pytree_node(RegularGridInterpolator, RegularGridInterpolator.tree_flatten,
                          RegularGridInterpolator.tree_unflatten)
