"""Named-axis collectives (``portax.lax.psum`` ...) inside ``vmap(axis_name=)``: values, nesting, derivatives, jit.

References are NumPy (the collective's definition) or the analytic derivative, with JAX's transpose rules
(psum <-> psum, all_gather <-> psum_scatter, ppermute <-> inverse ppermute), checked against real JAX 0.10.
"""

from __future__ import annotations

import warnings

import numpy as np
import portax
import pytest
from helpers import to_numpy
from portax import lax
from portax.errors import CompileFallbackWarning

X = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)


def named(fun, name="i", **kwargs):
    return portax.vmap(fun, axis_name=name, **kwargs)


def test_reductions_broadcast_to_every_instance(xp):
    x = xp.asarray(X)
    for op, ref in ((lax.psum, X.sum(0)), (lax.pmean, X.mean(0)), (lax.pmax, X.max(0)), (lax.pmin, X.min(0))):
        out = named(lambda v, op=op: op(v, "i"))(x)
        np.testing.assert_allclose(to_numpy(out), np.broadcast_to(ref, X.shape), rtol=1e-6, err_msg=op.__name__)


def test_psum_of_a_constant_is_the_axis_size_and_pytrees_work(xp):
    out = named(lambda v: {"n": lax.psum(1, "i"), "s": lax.psum((v, 2 * v), "i")})(xp.asarray(X))
    np.testing.assert_array_equal(to_numpy(out["n"]), [4, 4, 4, 4])
    np.testing.assert_allclose(to_numpy(out["s"][1][0]), 2 * X.sum(0), rtol=1e-6)


def test_axis_index_all_gather_ppermute_psum_scatter(xp):
    x = xp.asarray(X)
    np.testing.assert_array_equal(to_numpy(named(lambda v: lax.axis_index("i"))(x)), [0, 1, 2, 3])
    gathered = named(lambda v: lax.all_gather(v, "i"))(x)
    np.testing.assert_array_equal(to_numpy(gathered), np.broadcast_to(X, (4, 4, 3)))
    gathered_axis1 = named(lambda v: lax.all_gather(v, "i", axis=1))(x)
    np.testing.assert_array_equal(to_numpy(gathered_axis1)[2], X.T)
    tiled = named(lambda v: lax.all_gather(v, "i", tiled=True))(x)
    np.testing.assert_array_equal(to_numpy(tiled)[1], X.reshape(-1))
    ring = named(lambda v: lax.ppermute(v, "i", [(0, 1), (1, 2), (2, 3), (3, 0)]))(x)
    np.testing.assert_array_equal(to_numpy(ring), np.roll(X, 1, axis=0))
    # A partial permutation (zeros where nothing arrives): jax.vmap accepts only full ones, jax.pmap both.
    partial = portax.pmap(lambda v: lax.ppermute(v, "i", [(0, 2)]), axis_name="i")(x)
    np.testing.assert_array_equal(to_numpy(partial), np.stack([0 * X[0], 0 * X[0], X[0], 0 * X[0]]))
    square = np.arange(16.0, dtype=np.float32).reshape(4, 4)
    scattered = named(lambda v: lax.psum_scatter(v, "i"))(xp.asarray(square))
    np.testing.assert_array_equal(to_numpy(scattered), square.sum(0))
    scattered_tiled = named(lambda v: lax.psum_scatter(v, "i", tiled=True))(xp.asarray(square))
    np.testing.assert_array_equal(to_numpy(scattered_tiled), square.sum(0)[:, None])


def test_nested_axes_and_tuples_of_names(xp):
    grid = np.arange(6.0, dtype=np.float32).reshape(2, 3)

    def both(fun):
        return portax.vmap(portax.vmap(fun, axis_name="j"), axis_name="i")(xp.asarray(grid))

    np.testing.assert_array_equal(
        to_numpy(both(lambda v: lax.psum(v, "j"))), np.broadcast_to(grid.sum(1, keepdims=True), (2, 3))
    )
    np.testing.assert_array_equal(to_numpy(both(lambda v: lax.psum(v, "i"))), np.broadcast_to(grid.sum(0), (2, 3)))
    np.testing.assert_array_equal(to_numpy(both(lambda v: lax.psum(v, ("i", "j")))), np.full((2, 3), 15.0))
    np.testing.assert_array_equal(to_numpy(both(lambda v: lax.axis_index(("i", "j")))), np.arange(6).reshape(2, 3))
    np.testing.assert_allclose(to_numpy(both(lambda v: lax.pmean(v, ("i", "j")))), np.full((2, 3), 2.5))


def test_unbound_axis_name_raises_name_error(xp):
    with pytest.raises(NameError, match="unbound axis name"):
        named(lambda v: lax.psum(v, "k"))(xp.asarray(X))


@pytest.mark.parametrize("order", ["vmap(grad)", "grad(vmap)"])
def test_psum_derivatives_follow_jax(xp, order):
    x = xp.asarray(X[:, 0])
    if order == "vmap(grad)":
        # psum's transpose is psum: d/dx_i of psum(x) summed over the cotangents of all instances = 4.
        out = named(portax.grad(lambda v: lax.psum(v, "i")))(x)
        np.testing.assert_allclose(to_numpy(out), np.full(4, 4.0))
        out = named(portax.grad(lambda v: lax.pmean(v**2, "i")))(x)
        np.testing.assert_allclose(to_numpy(out), 2 * X[:, 0], rtol=1e-6)
    else:
        # every instance's output is sum(x**2), so the total is 4 * sum(x**2).
        out = portax.grad(lambda v: named(lambda u: lax.psum(u**2, "i"))(v).sum())(x)
        np.testing.assert_allclose(to_numpy(out), 8 * X[:, 0], rtol=1e-6)


def test_all_gather_and_ppermute_derivatives(xp):
    x = xp.asarray(X[:, 0])
    out = named(portax.grad(lambda v: lax.all_gather(v**2, "i").sum()))(x)
    np.testing.assert_allclose(to_numpy(out), 8 * X[:, 0], rtol=1e-6)
    ring = [(0, 1), (1, 2), (2, 3), (3, 0)]
    out = named(portax.grad(lambda v: lax.ppermute(v**2, "i", ring)))(x)
    np.testing.assert_allclose(to_numpy(out), 2 * X[:, 0], rtol=1e-6)
    primal, tangent = portax.jvp(named(lambda v: lax.psum(v**2, "i")), (x,), (xp.ones(4),))
    np.testing.assert_allclose(to_numpy(tangent), np.full(4, 2 * X[:, 0].sum()), rtol=1e-5)


def test_pmax_has_no_derivative_as_in_jax(xp):
    with pytest.raises(NotImplementedError, match="pmax"):
        named(portax.grad(lambda v: lax.pmax(v, "i")))(xp.asarray(X[:, 0]))


def test_collectives_under_jit(xp, backend):
    step = portax.jit(named(lambda v: v - lax.pmean(v, "i") + lax.axis_index("i")))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = step(xp.asarray(X))
    np.testing.assert_allclose(to_numpy(out), X - X.mean(0) + np.arange(4)[:, None], rtol=1e-5, atol=1e-6)
    fallback = [w for w in caught if issubclass(w.category, CompileFallbackWarning)]
    # A backend without collectives_jit says so (and runs the function uncompiled) instead of differing silently.
    assert bool(fallback) == ("collectives_jit" not in backend.capabilities)


def _all_to_all_numpy(x, split, concat, tiled):
    """Instance i receives block i of every instance j's split axis, placed at index (block) j along concat."""
    n = x.shape[0]
    outs = []
    for i in range(n):
        blocks = [np.split(x[j], n, axis=split)[i] for j in range(n)]
        outs.append(np.concatenate(blocks, axis=concat) if tiled else np.stack([b.squeeze(split) for b in blocks], concat))
    return np.stack(outs)


@pytest.mark.parametrize(("shape", "split", "concat", "tiled"), [
    ((4, 3), 0, 1, False), ((3, 4), 1, 0, False), ((4, 2), 0, 0, False), ((8, 2), 0, 1, True), ((2, 8), 1, 0, True), ((3, 4), 1, 0, False),
])  # fmt: skip
def test_all_to_all_matches_numpy_and_jax(xp, shape, split, concat, tiled):
    x = np.random.default_rng(3).standard_normal((4, *shape)).astype(np.float32)
    want = _all_to_all_numpy(x, split % len(shape), concat % len(shape), tiled)
    got = named(lambda v: lax.all_to_all(v, "i", split, concat, tiled=tiled))(xp.asarray(x))
    np.testing.assert_array_equal(to_numpy(got), want)
    pmapped = portax.pmap(lambda v: lax.all_to_all(v, "i", split, concat, tiled=tiled), axis_name="i")(xp.asarray(x))
    np.testing.assert_array_equal(to_numpy(pmapped), want)
    jax = pytest.importorskip("jax")
    real = jax.vmap(lambda v: jax.lax.all_to_all(v, "i", split, concat, tiled=tiled), axis_name="i")(x)
    np.testing.assert_array_equal(np.asarray(real), want)


@pytest.mark.parametrize("tiled", [False, True])
def test_all_to_all_derivative_is_the_swapped_all_to_all_as_in_jax(xp, backend, tiled):
    if backend.name == "jax" and not tiled:
        pytest.skip("jax 0.10 fails to transpose an untiled all_to_all ('Expected cotangent type float32[4,8,1]')")
    x = np.random.default_rng(4).standard_normal((4, 4, 8)).astype(np.float32)
    out_shape = _all_to_all_numpy(x, 0, 1, tiled).shape
    weights = np.arange(np.prod(out_shape), dtype=np.float32).reshape(out_shape)

    def loss(v, w):
        return (lax.all_to_all(v, "i", 0, 1, tiled=tiled) * w).sum()

    got = named(portax.grad(loss))(xp.asarray(x), xp.asarray(weights))
    # the cotangent goes back through the transpose: all_to_all with split and concat swapped (JAX's rule)
    np.testing.assert_allclose(to_numpy(got), _all_to_all_numpy(weights, 1, 0, tiled), rtol=1e-6)
    with pytest.raises(ValueError, match=r"to equal x.shape\[split_axis\]"):
        named(lambda v: lax.all_to_all(v, "i", 1, 0))(xp.asarray(x[:, :, :3]))


def test_collectives_compile_under_jit_of_vmap_shard_map_and_grad(xp):
    """Issue 16 item 3: collectives under jit, jit(vmap(axis_name=)), jit of shard_map and jit(grad) compile (no
    CompileFallbackWarning on any backend; torch on the suite's cheap compile backend, tests/parallel/conftest.py)."""
    from portax.sharding import PartitionSpec as P

    ring = [(0, 1), (1, 2), (2, 3), (3, 0)]
    square = np.arange(16.0, dtype=np.float32).reshape(4, 4)
    mixed = portax.jit(named(lambda v: lax.all_gather(v, "i").sum(0) + lax.ppermute(v, "i", ring) + lax.pmax(v, "i")
                             + lax.all_to_all(v, "i", 0, 0) - lax.pmin(v, "i") + lax.axis_index("i")))  # fmt: skip
    sharded = portax.shard_map(
        lambda b: lax.psum(lax.psum_scatter(b * b, "b", scatter_dimension=1, tiled=True).sum(), ("a", "b")),
        mesh=portax.make_mesh((2, 2), ("a", "b")), in_specs=P("a", "b"), out_specs=P(),
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = mixed(xp.asarray(square))
        value, grad = portax.jit(portax.value_and_grad(sharded))(xp.asarray(square))
    assert not [w for w in caught if issubclass(w.category, CompileFallbackWarning)]
    want = square.sum(0) + np.roll(square, 1, 0) + square.max(0) + square.T - square.min(0) + np.arange(4.0)[:, None]
    np.testing.assert_allclose(to_numpy(out), want, rtol=1e-6)
    np.testing.assert_allclose(to_numpy(value), (square**2).sum(), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(grad), 2 * square, rtol=1e-6)
