"""``portax.distributed``: one program over several processes (``jax.distributed`` / ``torch.distributed``).

After ``initialize`` the axis of a ``pmap`` spans the devices of every process, so ``lax.psum``/``pmean``/``pmax``/
``pmin``/``axis_index`` over it combine the processes' values (data-parallel training across machines).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from portax._src import registry
from portax._src.backend import Backend
from portax._src.errors import UnsupportedError

_initialized: list[Backend] = []


def _parallel(backend: str | Backend | None, feature: str):  # noqa: ANN202 (a backend's parallel module)
    chosen = registry.get_backend(backend)
    if chosen.parallel is None or "distributed" not in chosen.capabilities:
        raise UnsupportedError(chosen.name, feature, "run several processes on a backend that declares it")
    return chosen, chosen.parallel


def initialize(
    coordinator_address: str | None = None,
    num_processes: int | None = None,
    process_id: int | None = None,
    local_device_ids: Sequence[int] | None = None,
    *,
    backend: str | Backend | None = None,
) -> None:
    """Join this process to a group of ``num_processes`` (``jax.distributed.initialize``).

    Args:
        coordinator_address: ``"host:port"`` of process 0 (every process passes the same).
        num_processes: how many processes take part.
        process_id: this process's rank, ``0 <= process_id < num_processes``.
        local_device_ids: JAX only: which local devices this process uses.
        backend: the engine (default: the current backend). torch uses ``torch.distributed`` (gloo on CPU).

    Raises:
        UnsupportedError: the backend has no multi-process support.
        ValueError: missing arguments the engine cannot discover by itself.

    Example (two shells, or two ``subprocess`` calls)::

        portax.distributed.initialize("127.0.0.1:12355", num_processes=2, process_id=rank)
    """
    chosen, parallel = _parallel(backend, "portax.distributed.initialize")
    if num_processes is not None and process_id is not None and not 0 <= process_id < num_processes:
        raise ValueError(f"process_id must be in [0, {num_processes}), got {process_id}")
    parallel.initialize(coordinator_address, num_processes, process_id, local_device_ids)
    _initialized.append(chosen)


def is_initialized() -> bool:
    """Whether :func:`initialize` was called (and not shut down) in this process."""
    return bool(_initialized)


def shutdown() -> None:
    """Leave the process group joined by :func:`initialize`."""
    while _initialized:
        backend = _initialized.pop()
        assert backend.parallel is not None
        backend.parallel.shutdown()


def process_index(backend: str | Backend | None = None) -> int:
    """This process's index among the processes of :func:`initialize` (0 without it) (``jax.process_index``)."""
    chosen = registry.get_backend(backend)
    return 0 if chosen.parallel is None else chosen.parallel.process_index()


def process_count(backend: str | Backend | None = None) -> int:
    """The number of processes joined by :func:`initialize` (1 without it) (``jax.process_count``)."""
    chosen = registry.get_backend(backend)
    return 1 if chosen.parallel is None else chosen.parallel.process_count()


def process_indices(backend: str | Backend | None = None) -> list[int]:
    """Every process's index, ``[0, ..., process_count() - 1]`` (``jax.process_indices``)."""
    return list(range(process_count(backend)))


def _renamed(old: str, new: str) -> None:
    warnings.warn(
        f"portax.{old} has been renamed to portax.{new}. This alias will eventually be removed; please update your "
        "code.",
        UserWarning,
        stacklevel=3,
    )


def host_count(backend: str | Backend | None = None) -> int:
    """Deprecated alias of :func:`process_count` (``jax.host_count``): warns, as JAX does."""
    _renamed("host_count", "process_count")
    return process_count(backend)


def host_id(backend: str | Backend | None = None) -> int:
    """Deprecated alias of :func:`process_index` (``jax.host_id``): warns, as JAX does."""
    _renamed("host_id", "process_index")
    return process_index(backend)


def host_ids(backend: str | Backend | None = None) -> list[int]:
    """Deprecated alias of :func:`process_indices` (``jax.host_ids``): warns, as JAX does."""
    _renamed("host_ids", "process_indices")
    return process_indices(backend)
