"""Meshes and named shardings (``jax.sharding``)."""

from portax._src.sharding import (
    AxisType as AxisType,
    Mesh as Mesh,
    NamedSharding as NamedSharding,
    PartitionSpec as PartitionSpec,
    SingleDeviceSharding as SingleDeviceSharding,
    get_mesh as get_mesh,
    reshard as reshard,
    set_mesh as set_mesh,
    use_mesh as use_mesh,
)

__all__ = ["AxisType", "Mesh", "NamedSharding", "PartitionSpec", "SingleDeviceSharding", "get_mesh", "reshard", "set_mesh", "use_mesh"]
