"""JAX 0.10's top-level sharding names on 4 devices (``PORTAX_VIRTUAL_DEVICES=4``): ``Device``, ``NamedSharding``,
``Shard``, arrays made of shards (``make_array_from_callback`` and friends), ``reshard``, ``smap`` and the process
queries. References: NumPy values and, where installed, real JAX's index maps and shards."""

from __future__ import annotations

import warnings

import numpy as np
import portax
import pytest
from helpers import to_numpy
from portax import lax
from portax.sharding import NamedSharding, PartitionSpec as P

DATA = np.arange(48.0, dtype=np.float32).reshape(8, 6)
SPECS = [P("data"), P(None, "model"), P("data", "model"), P(("data", "model")), P(("model", "data"), None), P()]


def _key(index):
    return tuple((s.start, s.stop) for s in index)


def test_device_named_sharding_and_index_maps_match_jax(backend, backend_name):
    assert portax.NamedSharding is NamedSharding
    assert all(isinstance(d, portax.Device) for d in portax.devices())
    assert not isinstance(3, portax.Device) and issubclass(type(portax.devices()[0]), portax.Device)
    with pytest.raises(TypeError, match="portax.devices"):
        portax.Device()
    mesh = portax.make_mesh((2, 2), ("data", "model"))
    sharding = NamedSharding(mesh, P("data", "model"))
    assert sharding.shard_shape((8, 6)) == (4, 3) and sharding.num_devices == 4 and sharding.is_fully_addressable
    assert not sharding.is_fully_replicated and NamedSharding(mesh, P()).is_fully_replicated
    assert sharding.device_set == set(portax.devices()[:4]) == sharding.addressable_devices
    with pytest.raises(ValueError, match="partitioned 2 times"):
        sharding.shard_shape((7, 6))
    jax = pytest.importorskip("jax")
    jax_mesh = jax.make_mesh((2, 2), ("data", "model"), devices=jax.devices()[:4])
    for spec in SPECS:
        got = list(NamedSharding(mesh, spec).devices_indices_map((8, 6)).values())
        want = list(jax.sharding.NamedSharding(jax_mesh, jax.sharding.PartitionSpec(*spec)).devices_indices_map((8, 6)).values())
        assert [_key(i) for i in got] == [_key(i) for i in want], spec
        devices = list(mesh.devices.flat)
        shards = [portax.Shard(d, NamedSharding(mesh, spec), (8, 6)) for d in devices]
        real = jax.make_array_from_callback((8, 6), jax.sharding.NamedSharding(jax_mesh, jax.sharding.PartitionSpec(*spec)),
                                            lambda i: DATA[i]).addressable_shards  # fmt: skip
        assert [(_key(s.index), s.replica_id) for s in shards] == [(_key(s.index), s.replica_id) for s in real], spec


@pytest.mark.parametrize("spec", SPECS[:4], ids=str)
def test_make_array_from_callback_and_single_device_arrays(xp, backend, spec):
    mesh = portax.make_mesh((2, 2), ("data", "model"))
    sharding = NamedSharding(mesh, spec)
    asked = []

    def callback(index):
        asked.append(_key(index))
        return DATA[index]

    x = portax.make_array_from_callback((8, 6), sharding, callback)
    np.testing.assert_array_equal(to_numpy(x), DATA)
    assert set(asked) == {_key(i) for i in sharding.devices_indices_map((8, 6)).values()}
    if backend.name == "jax":
        assert tuple(x.sharding.spec) == tuple(spec)
    pieces = [portax.device_put(xp.asarray(DATA[i]), d) for d, i in sharding.addressable_devices_indices_map((8, 6)).items()]
    y = portax.make_array_from_single_device_arrays((8, 6), sharding, pieces)
    np.testing.assert_array_equal(to_numpy(y), DATA)
    with pytest.raises(ValueError, match="Expected 4 per-device arrays"):
        portax.make_array_from_single_device_arrays((8, 6), sharding, pieces[:3])
    z = portax.make_array_from_process_local_data(sharding, DATA)  # one process: its local data is everything
    np.testing.assert_array_equal(to_numpy(z), DATA)
    assert tuple(z.shape) == (8, 6)


def test_reshard_and_process_queries(xp, backend):
    mesh = portax.make_mesh((2, 2), ("data", "model"))
    x = xp.asarray(DATA)
    y = portax.reshard(x, NamedSharding(mesh, P("data", "model")))
    np.testing.assert_array_equal(to_numpy(y), DATA)
    if backend.name == "jax":
        assert tuple(y.sharding.spec) == ("data", "model")
    with portax.set_mesh(mesh):
        np.testing.assert_array_equal(to_numpy(portax.sharding.reshard({"a": x}, {"a": P(None, "model")})["a"]), DATA)
    with pytest.raises(ValueError, match="non-None"):
        portax.reshard(x, None)
    with pytest.raises(ValueError, match="not under a mesh context"):
        portax.reshard(x, P("data"))
    assert portax.process_indices() == [0]
    for name, want in (("host_count", 1), ("host_id", 0), ("host_ids", [0])):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert getattr(portax, name)() == want
        assert [w.category for w in caught] == [UserWarning] and "renamed" in str(caught[0].message)


def test_smap_is_shard_map_over_one_axis(xp, backend):
    x = np.arange(8.0, dtype=np.float32).reshape(4, 2)
    with portax.set_mesh(portax.make_mesh((4,), ("i",))):
        scaled = portax.smap(lambda a, s: a * (lax.axis_index("i") + s), in_axes=(0, None), out_axes=0, axis_name="i")
        np.testing.assert_allclose(to_numpy(scaled(xp.asarray(x), 1.0)), x * np.arange(1.0, 5.0)[:, None])
        total = portax.smap(lambda a: lax.psum(a, "i"), in_axes=1, out_axes=None, axis_name="i")
        np.testing.assert_allclose(to_numpy(total(xp.asarray(x.T))), x.sum(0)[:, None])  # blocks of one column
        with pytest.raises(portax.errors.UnsupportedError, match="in_axes"):
            portax.smap(lambda a: a, out_axes=0, axis_name="i")
    with portax.set_mesh(portax.make_mesh((2, 2), ("data", "model"))):  # the other mesh axis stays automatic
        rows = portax.smap(lambda a: lax.psum(a, "data"), in_axes=0, out_axes=None, axis_name="data")
        np.testing.assert_allclose(to_numpy(rows(xp.asarray(x))), x.reshape(2, 2, 2).sum(0))
