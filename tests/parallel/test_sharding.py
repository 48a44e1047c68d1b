"""Meshes, named shardings and ``shard_map`` on 4 devices (``PORTAX_VIRTUAL_DEVICES=4``, tests/conftest.py).

References: NumPy (sums, the full-batch gradient of the MLP, computed by hand) and, where installed, real
``jax.shard_map`` on the same inputs. On torch ``shard_map`` runs the per-shard program vectorized over the mesh
axes in one process; the values must be JAX's.
"""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import to_numpy
from portax import lax
from portax.sharding import Mesh, NamedSharding, PartitionSpec as P

RNG = np.random.default_rng(0)


def test_partition_spec_and_mesh_describe_what_jax_describes(backend):
    assert P("data", None) == ("data", None) and repr(P(("x", "y"))) == "PartitionSpec(('x', 'y'))"
    assert P("a", ("b", "c"), None).axis_names() == ("a", "b", "c")
    with pytest.raises(TypeError, match="mesh axis names"):
        P(3)
    mesh = portax.make_mesh((2, 2), ("data", "model"))
    assert mesh.shape == {"data": 2, "model": 2} and mesh.size == 4 and mesh.axis_names == ("data", "model")
    assert list(mesh.devices.flat) == portax.devices()[:4]
    with pytest.raises(ValueError, match="needs 8 devices, 4 available; on CPU set PORTAX_VIRTUAL_DEVICES=8"):
        portax.make_mesh((2, 4), ("a", "b"))
    with pytest.raises(ValueError, match="axis names must be unique"):
        Mesh(np.array(portax.devices()[:2], dtype=object).reshape(1, 2), ("a", "a"))
    with pytest.raises(ValueError, match="not in the mesh"):
        NamedSharding(mesh, P("batch"))


def test_shard_map_1d_psum_and_axis_index_match_numpy(xp):
    mesh = portax.make_mesh((4,), ("i",))
    x = np.arange(8.0, dtype=np.float32)
    total = portax.shard_map(lambda a: lax.psum(a.sum(), "i"), mesh=mesh, in_specs=P("i"), out_specs=P())
    np.testing.assert_allclose(to_numpy(total(xp.asarray(x))), x.sum())
    scaled = portax.shard_map(lambda a: a * (lax.axis_index("i") + 1.0), mesh=mesh, in_specs=P("i"), out_specs=P("i"))
    np.testing.assert_allclose(to_numpy(scaled(xp.asarray(x))), x * np.repeat(np.arange(1.0, 5.0), 2))


def test_shard_map_2d_mesh_blocks_and_collectives_match_numpy(xp):
    mesh = portax.make_mesh((2, 2), ("data", "model"))
    x = RNG.normal(size=(8, 6)).astype(np.float32)

    @portax.shard_map(mesh=mesh, in_specs=P("data", "model"), out_specs=P("model"))
    def column_sums(block):
        assert block.shape == (4, 3)  # the local block
        return lax.psum(block.sum(0), "data")

    np.testing.assert_allclose(to_numpy(column_sums(xp.asarray(x))), x.sum(0), rtol=1e-5, atol=1e-5)
    gathered = portax.shard_map(
        lambda b: lax.all_gather(b, "model", axis=1, tiled=True), mesh=mesh, in_specs=P("data", "model"),
        out_specs=P("data"), check_vma=False,
    )(xp.asarray(x))  # fmt: skip
    np.testing.assert_array_equal(to_numpy(gathered), x)
    both = portax.shard_map(lambda b: lax.psum(b, ("data", "model")), mesh=mesh, in_specs=P(("data", "model")),
                            out_specs=P())(xp.asarray(np.arange(4.0, dtype=np.float32)))  # fmt: skip
    np.testing.assert_allclose(to_numpy(both), [6.0])


def test_mesh_axis_types_are_accepted_and_psum_scatter_matches_numpy(xp):
    """``make_mesh(..., axis_types=(AxisType.Auto,))`` as JAX's shard_map guide writes it (JAX's own enum on JAX)."""
    auto = portax.sharding.AxisType.Auto
    assert {t.name for t in portax.sharding.AxisType} == {"Auto", "Explicit", "Manual"}
    mesh = portax.make_mesh((4,), ("i",), (auto,))
    assert mesh.axis_types == (auto,)
    lhs, rhs = RNG.normal(size=(8, 8)).astype(np.float32), RNG.normal(size=(8, 4)).astype(np.float32)
    matmul = portax.shard_map(lambda a, b: lax.psum_scatter(a @ b, "i", tiled=True), mesh=mesh,
                              in_specs=(P(None, "i"), P("i", None)), out_specs=P("i", None))  # fmt: skip
    np.testing.assert_allclose(to_numpy(matmul(xp.asarray(lhs), xp.asarray(rhs))), lhs @ rhs, rtol=1e-4, atol=1e-4)


def test_set_mesh_and_errors(xp):
    mesh = portax.make_mesh((2,), ("i",))
    f = portax.shard_map(lambda a: a * 2, in_specs=P("i"), out_specs=P("i"))
    with pytest.raises(ValueError, match="no mesh; pass mesh= or call portax.set_mesh"):
        f(xp.ones(4))
    with portax.set_mesh(mesh):
        np.testing.assert_allclose(to_numpy(f(xp.ones(4))), np.full(4, 2.0))
    assert portax.sharding.get_mesh() is None
    with pytest.raises(ValueError, match=r"not evenly divisible"):
        portax.shard_map(lambda a: a, mesh=mesh, in_specs=P("i"), out_specs=P("i"))(xp.ones(3))


def _mlp_numpy(params, x, y):
    w1, b1, w2 = params
    h = np.tanh(x @ w1 + b1)
    out = h @ w2
    loss = ((out - y) ** 2).sum() / x.shape[0]
    dout = 2 * (out - y) / x.shape[0]
    dpre = (dout @ w2.T) * (1 - h**2)
    return loss, (x.T @ dpre, dpre.sum(0), h.T @ dout)


def test_2d_mesh_mlp_training_step_with_shard_map_gives_the_full_batch_gradient(xp, backend):
    """Data parallel over ``data``, the hidden layer split over ``model`` (issue 18's bar)."""
    mesh = portax.make_mesh((2, 2), ("data", "model"))
    batch, d_in, hidden, d_out = 8, 3, 6, 2
    params_np = (RNG.normal(size=(d_in, hidden)), RNG.normal(size=hidden), RNG.normal(size=(hidden, d_out)))
    params_np = tuple(p.astype(np.float32) for p in params_np)
    x_np = RNG.normal(size=(batch, d_in)).astype(np.float32)
    y_np = RNG.normal(size=(batch, d_out)).astype(np.float32)

    def local_loss(params, x, y):
        w1, b1, w2 = params
        partial = xp.tanh(x @ w1 + b1) @ w2  # this shard's hidden units' contribution
        out = lax.psum(partial, "model")
        return lax.psum(xp.sum((out - y) ** 2), "data") / batch

    loss = portax.shard_map(
        local_loss, mesh=mesh,
        in_specs=((P(None, "model"), P("model"), P("model", None)), P("data", None), P("data", None)), out_specs=P(),
    )  # fmt: skip

    def step(params, x, y):
        value, grads = portax.value_and_grad(loss)(params, x, y)
        return value, grads, tuple(p - 0.1 * g for p, g in zip(params, grads, strict=True))

    params = tuple(xp.asarray(p) for p in params_np)
    value, grads, updated = step(params, xp.asarray(x_np), xp.asarray(y_np))
    expected_loss, expected_grads = _mlp_numpy(params_np, x_np, y_np)
    np.testing.assert_allclose(to_numpy(value), expected_loss, rtol=2e-5)
    for got, want in zip(grads, expected_grads, strict=True):
        np.testing.assert_allclose(to_numpy(got), want, rtol=2e-4, atol=2e-5)
    for got, want, p in zip(updated, expected_grads, params_np, strict=True):
        np.testing.assert_allclose(to_numpy(got), p - 0.1 * want, rtol=2e-4, atol=2e-5)


def test_sharded_jit_and_sharding_constraint_give_the_one_device_result(xp, backend):
    mesh = portax.make_mesh((2, 2), ("data", "model"))
    x_np = RNG.normal(size=(8, 4)).astype(np.float32)
    w_np = RNG.normal(size=(4, 6)).astype(np.float32)
    x = portax.device_put(xp.asarray(x_np), NamedSharding(mesh, P("data", None)))
    w = portax.device_put(xp.asarray(w_np), NamedSharding(mesh, P(None, "model")))
    if backend.name == "jax":
        assert tuple(x.sharding.spec) == ("data", None)  # JAX placed the shards

    @portax.jit
    def layer(x, w):
        h = lax.with_sharding_constraint(xp.tanh(x @ w), NamedSharding(mesh, P("data", "model")))
        return h.sum(1)

    np.testing.assert_allclose(to_numpy(layer(x, w)), np.tanh(x_np @ w_np).sum(1), rtol=1e-5, atol=1e-5)
    with portax.set_mesh(mesh):
        y = portax.device_put(xp.asarray(x_np), P("data"))
    np.testing.assert_array_equal(to_numpy(y), x_np)


def test_shard_map_composes_with_vmap_and_jit(xp):
    mesh = portax.make_mesh((2,), ("i",))
    x = RNG.normal(size=(3, 4)).astype(np.float32)
    norm = portax.shard_map(lambda a: a / lax.psum(xp.sum(a * a), "i"), mesh=mesh, in_specs=P("i"), out_specs=P("i"))
    expected = x / (x * x).sum(1, keepdims=True)
    np.testing.assert_allclose(to_numpy(portax.vmap(norm)(xp.asarray(x))), expected, rtol=1e-5)
    np.testing.assert_allclose(to_numpy(portax.jit(norm)(xp.asarray(x[0]))), expected[0], rtol=1e-5)


def test_torch_shard_map_matches_real_jax(backend_name):
    """The torch backend's vectorized shard_map against ``jax.shard_map`` itself on the same inputs."""
    if backend_name == "jax":
        pytest.skip("compares the torch backend with JAX")
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    x = RNG.normal(size=(8, 4)).astype(np.float32)

    def body(b, lib_lax):
        return lib_lax.psum(b * lib_lax.axis_index("model"), "data") - b.mean()

    auto = (jax.sharding.AxisType.Auto,) * 2  # portax meshes are Auto (jax 0.10's make_mesh defaults to Explicit)
    jax_mesh = jax.make_mesh((2, 2), ("data", "model"), auto, devices=jax.devices()[:4])
    ps = jax.sharding.PartitionSpec
    want = jax.shard_map(lambda b: body(b, jax.lax), mesh=jax_mesh, in_specs=ps("data", "model"),
                         out_specs=ps(None, "model"), check_vma=False)(jnp.asarray(x))  # fmt: skip
    with portax.use_backend(backend_name):
        import portax.numpy as pnp

        mesh = portax.make_mesh((2, 2), ("data", "model"))
        got = portax.shard_map(lambda b: body(b, lax), mesh=mesh, in_specs=P("data", "model"),
                               out_specs=P(None, "model"), check_vma=False)(pnp.asarray(x))  # fmt: skip
    np.testing.assert_allclose(to_numpy(got), np.asarray(want), rtol=1e-5, atol=1e-6)
