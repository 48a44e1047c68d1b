"""``portax.ops``: JAX's segment reductions (``jax.ops.segment_sum`` and kin), written once over ``portax.numpy``.

As in ``jax/_src/ops/scatter.py`` (JAX 0.10): the output starts as the reduction's identity, of shape
``(num_segments,) + data.shape[1:]``, and each row of ``data`` is scattered into the segment its id names with the
portable ``.at[]`` update; ids outside ``[0, num_segments)`` are dropped (JAX's ``FILL_OR_DROP`` mode, negative ids
included). With ``bucket_size``, rows are first reduced per bucket of ``bucket_size`` consecutive rows, then the
buckets are reduced (JAX's more accurate path for long sums and products).
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

Array = Any

_OPS = {
    # name: (.at[] method, identity kind, reducer over buckets)
    "segment_sum": ("add", "zero", "sum"),
    "segment_prod": ("multiply", "one", "prod"),
    "segment_max": ("max", "lowest", "max"),
    "segment_min": ("min", "highest", "min"),
}


def _identity(pnp: Any, kind: str, dtype: Any) -> Any:
    if kind == "zero":
        return 0
    if kind == "one":
        return 1
    if pnp.issubdtype(dtype, pnp.inexact):
        return -math.inf if kind == "lowest" else math.inf
    if pnp.issubdtype(dtype, pnp.bool_):
        return kind != "lowest"
    info = pnp.iinfo(dtype)
    return int(info.min) if kind == "lowest" else int(info.max)


def _segment_update(name: str, data: Any, segment_ids: Any, num_segments: int | None, bucket_size: int | None,
                    mode: Any) -> Array:  # fmt: skip
    import portax.numpy as pnp
    from portax._src.numpy.at import at

    method, kind, reducer = _OPS[name]
    data = pnp.asarray(data)
    segment_ids = pnp.asarray(segment_ids)
    if not pnp.issubdtype(segment_ids.dtype, pnp.integer):
        raise TypeError(f"{name}: segment_ids must be an integer array, got dtype {segment_ids.dtype}")
    if num_segments is None:
        try:
            num_segments = int(np.max(np.asarray(segment_ids))) + 1
        except Exception as error:  # a traced value under jit/vmap
            raise ValueError(
                f"{name}() needs a concrete `num_segments` under jit/vmap; pass num_segments=<int>"
            ) from error
    num_segments = operator.index(num_segments)
    if num_segments < 0:
        raise ValueError("num_segments must be non-negative.")
    if mode not in (None, "drop", "fill", "promise_in_bounds", "clip"):
        mode = getattr(mode, "name", str(mode)).lower()
    dtype = data.dtype
    identity = _identity(pnp, kind, dtype)
    # JAX's scatter never wraps negative indices: an id < 0 is out of bounds like one >= num_segments
    ids = segment_ids if mode == "clip" else pnp.where(segment_ids < 0, num_segments, segment_ids)
    at_mode = "clip" if mode == "clip" else "drop"
    if bucket_size is None:
        out = pnp.full((num_segments, *data.shape[1:]), identity, dtype=dtype)
        return getattr(at(out)[ids], method)(data, mode=at_mode)
    num_buckets = -(-math.prod(segment_ids.shape) // operator.index(bucket_size))
    out = pnp.full((num_buckets, num_segments, *data.shape[1:]), identity, dtype=dtype)
    buckets = pnp.arange(segment_ids.shape[0]) // bucket_size
    out = getattr(at(out)[buckets, ids], method)(data, mode=at_mode)
    return pnp.astype(getattr(pnp, reducer)(out, axis=0), dtype)


def segment_sum(data: Array, segment_ids: Array, num_segments: int | None = None, indices_are_sorted: bool = False,
                unique_indices: bool = False, bucket_size: int | None = None, mode: Any = None) -> Array:  # fmt: skip
    """Sums of the rows of ``data`` per segment id (``out[i] = sum(data[segment_ids == i])``).

    Args:
        data: the values; its first axis runs along ``segment_ids``.
        segment_ids: integer ids, one per row of ``data``; ids outside ``[0, num_segments)`` are dropped.
        num_segments: the number of segments (static; default ``max(segment_ids) + 1``, which needs concrete ids).
        indices_are_sorted, unique_indices: hints, accepted for JAX compatibility (the values do not change).
        bucket_size: reduce buckets of this many rows first (more accurate long sums).
        mode: ``None``/``"drop"`` (out-of-range ids dropped) or ``"clip"``.
    Returns:
        An array of shape ``(num_segments,) + data.shape[1:]``, with 0 in empty segments.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> portax.ops.segment_sum(jnp.arange(5.0), jnp.asarray([0, 0, 1, 1, 2]), num_segments=3).tolist()
        [1.0, 5.0, 4.0]
    """
    return _segment_update("segment_sum", data, segment_ids, num_segments, bucket_size, mode)


def segment_prod(data: Array, segment_ids: Array, num_segments: int | None = None, indices_are_sorted: bool = False,
                 unique_indices: bool = False, bucket_size: int | None = None, mode: Any = None) -> Array:  # fmt: skip
    """Products of the rows of ``data`` per segment id (1 in empty segments); arguments as :func:`segment_sum`."""
    return _segment_update("segment_prod", data, segment_ids, num_segments, bucket_size, mode)


def segment_max(data: Array, segment_ids: Array, num_segments: int | None = None, indices_are_sorted: bool = False,
                unique_indices: bool = False, bucket_size: int | None = None, mode: Any = None) -> Array:  # fmt: skip
    """Maxima of the rows of ``data`` per segment id (``-inf``, or the dtype's minimum, in empty segments)."""
    return _segment_update("segment_max", data, segment_ids, num_segments, bucket_size, mode)


def segment_min(data: Array, segment_ids: Array, num_segments: int | None = None, indices_are_sorted: bool = False,
                unique_indices: bool = False, bucket_size: int | None = None, mode: Any = None) -> Array:  # fmt: skip
    """Minima of the rows of ``data`` per segment id (``inf``, or the dtype's maximum, in empty segments)."""
    return _segment_update("segment_min", data, segment_ids, num_segments, bucket_size, mode)
