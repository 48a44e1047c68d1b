"""``lax.cond``, ``switch`` and ``select`` against real JAX: eager, jit, grad, vmap with batched predicates and
indices, and their compositions, on every backend."""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import assert_native
from lax_util import assert_same, check_both, run_both

X = np.array([[0.5, -1.5, 2.0], [-0.25, -2.0, -1.0], [1.0, 3.0, -0.5]], dtype=np.float32)


def build_cond(t, lax, np_like):
    """A pytree-valued cond whose predicate depends on the data; both operand forms."""

    def program(x):
        def positive(a, b):
            return {"prod": a * b, "sum": np_like.sin(a) + b}

        def negative(a, b):
            return {"prod": a - b, "sum": a * a / (1.0 + b * b)}

        return lax.cond(x.sum() > 0, positive, negative, x, 2.0 * x)

    return program


@pytest.mark.parametrize("mode", ["eager", "jit", "grad", "jit_grad"])
@pytest.mark.parametrize("row", [0, 1])  # row 0 takes the true branch, row 1 the false branch
def test_cond_both_branches(mode, row, xp, jax_reference):
    check_both(build_cond, mode, xp, jax_reference, X[row])


@pytest.mark.parametrize("mode", ["vmap", "vmap_grad", "grad_vmap", "jit_vmap"])
def test_cond_batched_predicate(mode, xp, jax_reference):
    """vmap∘cond with a predicate that differs per lane: both branches, selected (JAX's batching rule)."""
    check_both(build_cond, mode, xp, jax_reference, X)


def test_cond_jvp_and_unbatched_predicate_under_vmap(xp, jax_reference):
    jax, jnp = jax_reference

    def build(lax, np_like):
        return lambda p, x: lax.cond(p > 0, lambda v: v * p, lambda v: -v, x)

    p, x = np.float32(2.0), X[0]
    ours = portax.vmap(build(portax.lax, xp), in_axes=(None, 0))(xp.asarray(p), xp.asarray(x))
    theirs = jax.vmap(build(jax.lax, jnp), in_axes=(None, 0))(p, x)
    assert_same(np.asarray(ours), np.asarray(theirs))
    ours = portax.jvp(
        lambda v: build(portax.lax, xp)(xp.asarray(p), v), (xp.asarray(x),), (xp.ones_like(xp.asarray(x)),)
    )
    theirs = jax.jvp(lambda v: build(jax.lax, jnp)(p, v), (jnp.asarray(x),), (jnp.ones_like(x),))
    assert_same(portax.tree.map(np.asarray, ours), portax.tree.map(np.asarray, theirs))


def test_cond_python_predicate_and_scalar_outputs(xp, jax_reference):
    """A Python bool predicate and Python-scalar branch outputs give arrays of JAX's weak-type dtype."""
    out = portax.lax.cond(True, lambda: 1.0, lambda: 2.0)
    assert_native(out)
    assert str(out.dtype).endswith("float32") and float(out) == 1.0
    out = portax.lax.cond(xp.asarray(False), lambda v: 0.0, lambda v: v * 2, xp.asarray(3.0, dtype=xp.float32))
    assert str(out.dtype).endswith("float32") and float(out) == 6.0


# -- the seed's safe_divide (../shared/000_6a42f58164b740d7.txt, "prefer JAX control flow") ----------------------


def build_safe_divide(t, lax, np_like):
    def safe_divide(x, y):
        return lax.cond(y == 0, lambda _: 0.0, lambda _: x / y, operand=None)

    return safe_divide


@pytest.mark.parametrize("mode", ["eager", "jit", "grad", "jit_grad"])
@pytest.mark.parametrize("y", [0.0, 4.0])
def test_seed_safe_divide(mode, y, xp, jax_reference):
    """At y == 0 the gradient is 0 (the untaken branch's infinite derivative never enters), as in JAX."""
    ours, theirs = run_both(build_safe_divide, mode, xp, jax_reference, np.float32(3.0), np.float32(y))
    assert_same(ours, theirs)
    assert np.all(np.isfinite(ours))


def test_seed_safe_divide_vmapped(xp, jax_reference):
    check_both(
        build_safe_divide,
        "vmap",
        xp,
        jax_reference,
        np.array([1.0, 2.0, 3.0], np.float32),
        np.array([0.0, 4.0, -2.0], np.float32),
    )


# -- switch --------------------------------------------------------------------------------------------------------


def build_switch(t, lax, np_like):
    def program(i, x):
        branches = [lambda v: v * 2.0, lambda v: np_like.sin(v), lambda v: v * v - 1.0]
        return lax.switch(i, branches, x)

    return program


@pytest.mark.parametrize("mode", ["eager", "jit", "grad"])
@pytest.mark.parametrize("index", [-3, 0, 1, 2, 7])  # out-of-range indices are clamped, as in JAX
def test_switch(mode, index, xp, jax_reference):
    if mode == "grad":
        build = lambda t, lax, np_like: lambda x: build_switch(t, lax, np_like)(index, x)  # noqa: E731
        check_both(build, mode, xp, jax_reference, X[0])
    else:
        check_both(build_switch, mode, xp, jax_reference, np.int32(index), X[0])


@pytest.mark.parametrize("mode", ["vmap", "jit_vmap"])
def test_switch_batched_index(mode, xp, jax_reference):
    check_both(build_switch, mode, xp, jax_reference, np.array([-1, 1, 2, 5], np.int32), np.tile(X[0], (4, 1)))


# -- select --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["eager", "jit", "vmap"])
def test_select(mode, xp, jax_reference):
    def build(t, lax, np_like):
        return lambda a, b: lax.select(a > b, a * 2.0, b)

    check_both(build, mode, xp, jax_reference, X, X.T)
