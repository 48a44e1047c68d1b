"""Native kernels of ``portax.lax``'s contractions, convolutions and windowed reductions on JAX: ``jax.lax`` itself.

Core has checked and normalised the arguments (``portax._src.lax_conv``); these only translate portax's
``ConvDimensionNumbers`` into JAX's class and pick JAX's monoid reducers, so differentiation rules are JAX's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.image
import jax.lax.linalg
import jax.numpy
import numpy as np


def dot_general(lhs: jax.Array, rhs: jax.Array, dimension_numbers: Any, preferred_element_type: Any = None) -> Any:
    return jax.lax.dot_general(lhs, rhs, dimension_numbers, preferred_element_type=preferred_element_type)


def conv_general_dilated(
    lhs: jax.Array, rhs: jax.Array, window_strides: Sequence[int], padding: Sequence[tuple[int, int]],
    lhs_dilation: Sequence[int], rhs_dilation: Sequence[int], dimension_numbers: Any, feature_group_count: int,
    batch_group_count: int, preferred_element_type: Any = None,
) -> jax.Array:
    return jax.lax.conv_general_dilated(
        lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation,
        jax.lax.ConvDimensionNumbers(*(tuple(spec) for spec in dimension_numbers)),
        feature_group_count, batch_group_count, preferred_element_type=preferred_element_type,
    )


def _identity(monoid: str, dtype: Any) -> Any:
    dtype = np.dtype(dtype)
    if monoid == "add":
        return np.zeros((), dtype)
    if dtype == np.bool_:
        return np.array(monoid == "min")
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return np.array(info.min if monoid == "max" else info.max, dtype)
    return np.array(-np.inf if monoid == "max" else np.inf, dtype)


def _monoid_reducer(monoid: str, operation: Callable[..., Any]) -> Callable[..., Any]:
    # jax.lax.reduce_window recognises (lax.add, 0), (lax.max, -inf), (lax.min, inf) and then uses its
    # differentiable reduce_window_{sum,max,min} primitives.
    def reducer(x: jax.Array, window_dimensions: Sequence[int], window_strides: Sequence[int],
                padding: Sequence[tuple[int, int]], base_dilation: Sequence[int],
                window_dilation: Sequence[int]) -> jax.Array:
        return jax.lax.reduce_window(x, _identity(monoid, x.dtype), operation, window_dimensions, window_strides,
                                     padding, base_dilation, window_dilation)

    reducer.__name__ = f"reduce_window_{monoid}"
    return reducer


reduce_window_add = _monoid_reducer("add", jax.lax.add)
reduce_window_max = _monoid_reducer("max", jax.lax.max)
reduce_window_min = _monoid_reducer("min", jax.lax.min)


# -- lax.linalg: jax.lax.linalg itself (core has symmetrized and checked the inputs) --------------------------------


def linalg_cholesky(x: jax.Array) -> jax.Array:
    return jax.lax.linalg.cholesky(x, symmetrize_input=False)


def linalg_triangular_solve(a: jax.Array, b: jax.Array, left_side: bool, lower: bool, transpose_a: bool,
                            conjugate_a: bool, unit_diagonal: bool) -> jax.Array:
    return jax.lax.linalg.triangular_solve(a, b, left_side=left_side, lower=lower, transpose_a=transpose_a,
                                           conjugate_a=conjugate_a, unit_diagonal=unit_diagonal)


def linalg_qr(x: jax.Array, pivoting: bool, full_matrices: bool) -> Any:
    return jax.lax.linalg.qr(x, pivoting=pivoting, full_matrices=full_matrices)


def linalg_eigh(x: jax.Array, lower: bool) -> tuple[jax.Array, jax.Array]:
    return jax.lax.linalg.eigh(x, lower=lower, symmetrize_input=False)


def linalg_svd(x: jax.Array, full_matrices: bool, compute_uv: bool) -> Any:
    return jax.lax.linalg.svd(x, full_matrices=full_matrices, compute_uv=compute_uv)


def linalg_lu(x: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    return jax.lax.linalg.lu(x)


# -- jax.image ---------------------------------------------------------------------------------------------------


def image_resize(image: jax.Array, shape: tuple[int, ...], method: str, antialias: bool) -> jax.Array:
    return jax.image.resize(image, shape, jax.image.ResizeMethod[method], antialias)


def image_scale_and_translate(image: jax.Array, shape: tuple[int, ...], spatial_dims: tuple[int, ...], scale: Any,
                              translation: Any, method: str, antialias: bool) -> jax.Array:
    return jax.image.scale_and_translate(image, shape, spatial_dims, jax.numpy.asarray(scale),
                                         jax.numpy.asarray(translation), jax.image.ResizeMethod[method], antialias)
