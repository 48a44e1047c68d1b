"""Meshes and named shardings (``jax.sharding``)."""

from portax._src.sharding import (
    Mesh as Mesh,
    NamedSharding as NamedSharding,
    PartitionSpec as PartitionSpec,
    SingleDeviceSharding as SingleDeviceSharding,
    get_mesh as get_mesh,
    reshard as reshard,
    set_mesh as set_mesh,
    use_mesh as use_mesh,
)

__all__ = ["Mesh", "NamedSharding", "PartitionSpec", "SingleDeviceSharding", "get_mesh", "reshard", "set_mesh", "use_mesh"]
