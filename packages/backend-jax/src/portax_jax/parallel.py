"""Named-axis collectives, ``pmap`` and multi-process initialization on JAX: ``jax.lax`` and ``jax.pmap`` directly."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import jax
from jax import lax


def psum(x: Any, axis_name: Any) -> Any:
    return lax.psum(x, axis_name)


def pmean(x: Any, axis_name: Any) -> Any:
    return lax.pmean(x, axis_name)


def pmax(x: Any, axis_name: Any) -> Any:
    return lax.pmax(x, axis_name)


def pmin(x: Any, axis_name: Any) -> Any:
    return lax.pmin(x, axis_name)


def all_gather(x: Any, axis_name: Any, axis: int, tiled: bool) -> Any:
    return lax.all_gather(x, axis_name, axis=axis, tiled=tiled)


def ppermute(x: Any, axis_name: Any, perm: Sequence[tuple[int, int]]) -> Any:
    return lax.ppermute(x, axis_name, perm)


def psum_scatter(x: Any, axis_name: Any, scatter_dimension: int, tiled: bool) -> Any:
    return lax.psum_scatter(x, axis_name, scatter_dimension=scatter_dimension, tiled=tiled)


def all_to_all(x: Any, axis_name: Any, split_axis: int, concat_axis: int, tiled: bool) -> Any:
    return lax.all_to_all(x, axis_name, split_axis, concat_axis, tiled=tiled)


def axis_index(axis_name: Any) -> Any:
    return lax.axis_index(axis_name)


def axis_size(axis_name: Any) -> int:
    return lax.axis_size(axis_name)


def pmap(
    fun: Any,
    axis_name: Hashable | None,
    in_axes: Any,
    out_axes: Any,
    static_broadcasted_argnums: tuple[int, ...],
    devices: Sequence[Any] | None,
) -> Any:
    """``jax.pmap`` itself (jax 0.10 builds it on ``shard_map``)."""
    return jax.pmap(
        fun,
        axis_name=axis_name,
        in_axes=in_axes,
        out_axes=out_axes,
        static_broadcasted_argnums=static_broadcasted_argnums,
        devices=devices,
    )


def initialize(
    coordinator_address: str | None,
    num_processes: int | None,
    process_id: int | None,
    local_device_ids: Sequence[int] | None,
) -> None:
    jax.distributed.initialize(
        coordinator_address=coordinator_address,
        num_processes=num_processes,
        process_id=process_id,
        local_device_ids=local_device_ids,
    )


def shutdown() -> None:
    jax.distributed.shutdown()


def process_index() -> int:
    return jax.process_index()


def process_count() -> int:
    return jax.process_count()
