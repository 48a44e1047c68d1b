"""``portax.nn.initializers``: JAX's weight initializers (jax/_src/nn/initializers.py, 0.10), same formulas.

Each initializer returns ``init(key, shape, dtype=...)``; with the bit-identical ``portax.random`` the values equal
``jax.nn.initializers`` for the same key on every backend. Complex dtypes are not supported (a clear error).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import portax.numpy as pnp
from portax._src import random
from portax._src.scipy._native import backend_for, creating_on

Array = Any
Initializer = Callable[..., Array]

# Standard deviation of a standard normal truncated to [-2, 2] (JAX's variance_scaling constant).
_TRUNCATED_NORMAL_STDDEV = 0.87962566103423978


def _dtype(dtype: Any) -> Any:
    return pnp.float32 if dtype is None else dtype


def _shape(shape: Any) -> tuple[int, ...]:
    return (int(shape),) if isinstance(shape, int) else tuple(int(d) for d in shape)


def _real(dtype: Any, name: str) -> Any:
    if "complex" in str(dtype):
        raise TypeError(f"portax.nn.initializers.{name}: complex dtype {dtype} is not supported; use a real float dtype")
    return dtype


def zeros(key: Array, shape: Any, dtype: Any = None) -> Array:
    """All zeros (``key`` is ignored except for choosing the backend)."""
    with creating_on(backend_for(key)):
        return pnp.zeros(_shape(shape), dtype=_dtype(dtype))


def ones(key: Array, shape: Any, dtype: Any = None) -> Array:
    """All ones (``key`` is ignored except for choosing the backend)."""
    with creating_on(backend_for(key)):
        return pnp.ones(_shape(shape), dtype=_dtype(dtype))


def constant(value: Any, dtype: Any = None) -> Initializer:
    """An initializer filling with ``value``."""

    def init(key: Array, shape: Any, dtype: Any = dtype) -> Array:
        with creating_on(backend_for(key)):
            return _init(key, shape, dtype)

    def _init(key: Array, shape: Any, dtype: Any) -> Array:
        return pnp.full(_shape(shape), value, dtype=_dtype(dtype))

    return init


def uniform(scale: float = 1e-2, dtype: Any = None) -> Initializer:
    """Uniform in ``[0, scale)``."""

    def init(key: Array, shape: Any, dtype: Any = dtype) -> Array:
        with creating_on(backend_for(key)):
            return _init(key, shape, dtype)

    def _init(key: Array, shape: Any, dtype: Any) -> Array:
        dtype = _real(_dtype(dtype), "uniform")
        return random.uniform(key, _shape(shape), dtype) * pnp.asarray(scale, dtype=dtype)

    return init


def normal(stddev: float = 1e-2, dtype: Any = None) -> Initializer:
    """Normal with mean 0 and standard deviation ``stddev``."""

    def init(key: Array, shape: Any, dtype: Any = dtype) -> Array:
        with creating_on(backend_for(key)):
            return _init(key, shape, dtype)

    def _init(key: Array, shape: Any, dtype: Any) -> Array:
        dtype = _real(_dtype(dtype), "normal")
        return random.normal(key, _shape(shape), dtype) * pnp.asarray(stddev, dtype=dtype)

    return init


def truncated_normal(stddev: float = 1e-2, dtype: Any = None, lower: float = -2.0, upper: float = 2.0) -> Initializer:
    """A standard normal truncated to ``[lower, upper]``, times ``stddev`` (no variance correction, as in JAX)."""

    def init(key: Array, shape: Any, dtype: Any = dtype) -> Array:
        with creating_on(backend_for(key)):
            return _init(key, shape, dtype)

    def _init(key: Array, shape: Any, dtype: Any) -> Array:
        dtype = _real(_dtype(dtype), "truncated_normal")
        return random.truncated_normal(key, lower, upper, _shape(shape), dtype) * pnp.asarray(stddev, dtype=dtype)

    return init


def _compute_fans(shape: Sequence[int], in_axis: Any, out_axis: Any, batch_axis: Any) -> tuple[float, float]:
    if isinstance(in_axis, int) and in_axis == -2 and len(shape) <= 1:
        raise ValueError(
            f"Can't compute input and output sizes of a {len(shape)}-dimensional weights tensor with default "
            "in_axis. Must be at least 2D or specify in_axis explicitly."
        )

    def size(axes: Any) -> int:
        return shape[axes] if isinstance(axes, int) else math.prod(shape[i] for i in axes)

    in_size, out_size, batch_size = size(in_axis), size(out_axis), size(batch_axis)
    receptive_field_size = math.prod(shape) / in_size / out_size / batch_size
    return in_size * receptive_field_size, out_size * receptive_field_size


def variance_scaling(
    scale: float,
    mode: str,
    distribution: str,
    in_axis: int | Sequence[int] = -2,
    out_axis: int | Sequence[int] = -1,
    batch_axis: int | Sequence[int] = (),
    dtype: Any = None,
) -> Initializer:
    """Samples with variance ``scale / n``, ``n`` from ``mode`` (``fan_in``, ``fan_out``, ``fan_avg``, ``fan_geo_avg``).

    ``distribution`` is ``"truncated_normal"`` (truncated at 2 standard deviations, then rescaled by JAX's
    constant 0.8796...), ``"normal"`` or ``"uniform"``.

    Raises:
        ValueError: unknown ``mode`` or ``distribution`` (when the initializer is built).
    """
    if mode not in ("fan_in", "fan_out", "fan_avg", "fan_geo_avg"):
        raise ValueError(f"invalid mode for variance scaling initializer: {mode!r}")
    if distribution not in ("truncated_normal", "normal", "uniform"):
        raise ValueError(f"invalid distribution for variance scaling initializer: {distribution!r}")

    def init(key: Array, shape: Any, dtype: Any = dtype) -> Array:
        with creating_on(backend_for(key)):
            return _init(key, shape, dtype)

    def _init(key: Array, shape: Any, dtype: Any) -> Array:
        shape = _shape(shape)
        dtype = _real(_dtype(dtype), "variance_scaling")
        fan_in, fan_out = _compute_fans(shape, in_axis, out_axis, batch_axis)
        denominator = {
            "fan_in": fan_in,
            "fan_out": fan_out,
            "fan_avg": (fan_in + fan_out) / 2,
            "fan_geo_avg": (fan_in * fan_out) ** 0.5,
        }[mode]
        variance = pnp.asarray(scale / denominator, dtype=dtype)
        if distribution == "truncated_normal":
            stddev = pnp.sqrt(variance) / pnp.asarray(_TRUNCATED_NORMAL_STDDEV, dtype=dtype)
            return random.truncated_normal(key, -2, 2, shape, dtype) * stddev
        if distribution == "normal":
            return random.normal(key, shape, dtype) * pnp.sqrt(variance)
        return random.uniform(key, shape, dtype, -1) * pnp.sqrt(3 * variance)

    return init


def glorot_uniform(in_axis: Any = -2, out_axis: Any = -1, batch_axis: Any = (), dtype: Any = None) -> Initializer:
    """Glorot/Xavier uniform: ``variance_scaling(1.0, "fan_avg", "uniform")``."""
    return variance_scaling(1.0, "fan_avg", "uniform", in_axis, out_axis, batch_axis, dtype)


def glorot_normal(in_axis: Any = -2, out_axis: Any = -1, batch_axis: Any = (), dtype: Any = None) -> Initializer:
    """Glorot/Xavier normal: ``variance_scaling(1.0, "fan_avg", "truncated_normal")``."""
    return variance_scaling(1.0, "fan_avg", "truncated_normal", in_axis, out_axis, batch_axis, dtype)


def lecun_uniform(in_axis: Any = -2, out_axis: Any = -1, batch_axis: Any = (), dtype: Any = None) -> Initializer:
    """LeCun uniform: ``variance_scaling(1.0, "fan_in", "uniform")``."""
    return variance_scaling(1.0, "fan_in", "uniform", in_axis, out_axis, batch_axis, dtype)


def lecun_normal(in_axis: Any = -2, out_axis: Any = -1, batch_axis: Any = (), dtype: Any = None) -> Initializer:
    """LeCun normal: ``variance_scaling(1.0, "fan_in", "truncated_normal")``."""
    return variance_scaling(1.0, "fan_in", "truncated_normal", in_axis, out_axis, batch_axis, dtype)


def he_uniform(in_axis: Any = -2, out_axis: Any = -1, batch_axis: Any = (), dtype: Any = None) -> Initializer:
    """He/Kaiming uniform: ``variance_scaling(2.0, "fan_in", "uniform")``."""
    return variance_scaling(2.0, "fan_in", "uniform", in_axis, out_axis, batch_axis, dtype)


def he_normal(in_axis: Any = -2, out_axis: Any = -1, batch_axis: Any = (), dtype: Any = None) -> Initializer:
    """He/Kaiming normal: ``variance_scaling(2.0, "fan_in", "truncated_normal")``."""
    return variance_scaling(2.0, "fan_in", "truncated_normal", in_axis, out_axis, batch_axis, dtype)


xavier_uniform = glorot_uniform
xavier_normal = glorot_normal
kaiming_uniform = he_uniform
kaiming_normal = he_normal


def orthogonal(scale: float = 1.0, column_axis: int = -1, dtype: Any = None) -> Initializer:
    """A (semi-)orthogonal matrix from ``portax.random.orthogonal`` (QR with JAX's sign fix), times ``scale``.

    Raises:
        ValueError: ``shape`` has fewer than 2 dimensions.
    """

    def init(key: Array, shape: Any, dtype: Any = dtype) -> Array:
        with creating_on(backend_for(key)):
            return _init(key, shape, dtype)

    def _init(key: Array, shape: Any, dtype: Any) -> Array:
        shape = _shape(shape)
        dtype = _real(_dtype(dtype), "orthogonal")
        if len(shape) < 2:
            raise ValueError(f"orthogonal initializer requires at least a 2D shape, got {shape}")
        if any(d == 0 for d in shape):
            return pnp.zeros(shape, dtype=dtype)
        n_rows, n_cols = math.prod(shape) // shape[column_axis], shape[column_axis]
        q = random.orthogonal(key, n_rows, (), dtype, n_cols)
        rest = tuple(d for i, d in enumerate(shape) if i != column_axis % len(shape))
        q = pnp.reshape(q, (*rest, shape[column_axis]))
        q = pnp.moveaxis(q, -1, column_axis)
        return pnp.asarray(scale, dtype=dtype) * q

    return init
