"""``lax.while_loop``, ``fori_loop``, ``scan``, ``map`` and ``associative_scan`` against real JAX: eager, jit,
grad/jvp, vmap (batched predicates: lanes that finish early are frozen) and compositions, on every backend."""

from __future__ import annotations

import numpy as np
import portax
import pytest
from lax_util import assert_same, check_both

X = np.array([0.5, -1.5, 2.0, 0.25], dtype=np.float32)


# -- while_loop ----------------------------------------------------------------------------------------------------


def build_newton(t, lax, np_like):
    """Newton's iteration for sqrt(a), run until converged (a data-dependent trip count), with a step counter."""

    def sqrt(a):
        def not_done(state):
            x, steps = state
            return (np_like.abs(x * x - a) > 1e-5 * a) & (steps < 50)

        def step(state):
            x, steps = state
            return 0.5 * (x + a / x), steps + 1

        return lax.while_loop(not_done, step, (0.5 * a + 0.5, 0))

    return sqrt


@pytest.mark.parametrize("mode", ["eager", "jit"])
def test_while_loop_newton(mode, xp, jax_reference):
    check_both(build_newton, mode, xp, jax_reference, np.float32(10.0))


def test_while_loop_jit_carry_is_a_closed_over_tensor_torch_bug(backend_name, xp, jax_reference):
    """torch 2.13 dynamo fails (InternalTorchDynamoError "duplicate argument") when a while_loop carry starts as the
    very tensor the loop also closes over; loud, not silent. This test fails once torch fixes it."""

    def build(t, lax, np_like):
        return lambda a: lax.while_loop(
            lambda c: c[0] * c[0] > a + 1e-3, lambda c: (0.5 * (c[0] + a / c[0]), c[1]), (a, a)
        )

    if backend_name == "torch":
        with pytest.raises(torch_dynamo_error()):
            check_both(build, "jit", xp, jax_reference, np.float32(10.0))
    else:
        check_both(build, "jit", xp, jax_reference, np.float32(10.0))


def torch_dynamo_error() -> type:
    import torch

    return torch._dynamo.exc.TorchDynamoException


@pytest.mark.parametrize("mode", ["vmap", "jit_vmap"])
def test_while_loop_batched_predicate(mode, xp, jax_reference):
    """Lanes converge after different step counts; each keeps its own count and value (JAX's rule)."""
    check_both(build_newton, mode, xp, jax_reference, np.array([0.5, 4.0, 1e4, 2.0], np.float32))


def test_while_loop_forward_mode(xp, jax_reference):
    jax, jnp = jax_reference

    def build(lax):
        return lambda x: lax.while_loop(lambda v: v[1] < 5, lambda v: (v[0] * x, v[1] + 1), (x, 0))[0]

    ours = portax.jvp(build(portax.lax), (xp.asarray(1.1),), (xp.asarray(1.0),))
    theirs = jax.jvp(build(jax.lax), (1.1,), (1.0,))
    assert_same(portax.tree.map(np.asarray, ours), portax.tree.map(np.asarray, theirs))


# -- fori_loop -----------------------------------------------------------------------------------------------------


def build_euler(steps):
    """The seed's ODE pattern: explicit Euler for dx/dt = -k x + sin(t), a static trip count."""

    def build(t, lax, np_like):
        def solve(x0, k):
            dt = 0.01

            def body(i, x):
                return x + dt * (-k * x + np_like.sin(i * dt))

            return lax.fori_loop(0, steps, body, x0)

        return solve

    return build


@pytest.mark.parametrize("mode", ["eager", "jit", "grad", "jit_grad", "vmap", "vmap_grad"])
def test_fori_loop_static(mode, xp, jax_reference):
    k = np.array([0.7, 0.1, 2.0, 1.0], np.float32) if mode.startswith("vmap") else np.float32(0.7)
    check_both(build_euler(100), mode, xp, jax_reference, X, k, rtol=1e-4)


def test_fori_loop_short_and_empty(xp, jax_reference):
    check_both(build_euler(3), "jit", xp, jax_reference, X, np.float32(0.7))
    check_both(build_euler(0), "eager", xp, jax_reference, X, np.float32(0.7))


@pytest.mark.parametrize("mode", ["eager", "jit"])
def test_fori_loop_array_bounds(mode, xp, jax_reference):
    """Array bounds (a traced trip count under jit) are a while_loop, as in JAX."""

    def build(t, lax, np_like):
        return lambda n, x: lax.fori_loop(0, n, lambda i, v: v * 1.5 + i, x)

    check_both(build, mode, xp, jax_reference, np.int32(7), X)


# -- scan ----------------------------------------------------------------------------------------------------------


def build_scan(reverse=False, length=None, unroll=1):
    """A pytree carry (dict with a tuple) and pytree outputs, xs a tuple of arrays."""

    def build(t, lax, np_like):
        def program(c0, xs, ws):
            def step(carry, inputs):
                x, w = inputs
                h = np_like.tanh(carry["h"] * w + x)
                return {"h": h, "n": (carry["n"][0] + 1.0, carry["n"][1] * w)}, (h * 2.0, x - h)

            return lax.scan(
                step, {"h": c0, "n": (0.0 * c0, c0)}, (xs, ws), length=length, reverse=reverse, unroll=unroll
            )

        return program

    return build


XS = np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(6, 2)
WS = np.linspace(0.5, 1.2, 6, dtype=np.float32)[:, None] * np.ones((6, 2), np.float32)


@pytest.mark.parametrize("mode", ["eager", "jit", "grad", "jit_grad", "vmap", "vmap_grad"])
@pytest.mark.parametrize("reverse", [False, True])
def test_scan_pytrees(mode, reverse, xp, jax_reference):
    c0 = np.array([0.1, -0.3], np.float32)
    if mode.startswith("vmap"):
        xs, ws = np.stack([XS, XS * 0.5]), np.stack([WS, WS])
        c0 = np.stack([c0, -c0])
    else:
        xs, ws = XS, WS
    check_both(build_scan(reverse=reverse), mode, xp, jax_reference, c0, xs, ws)


def test_scan_length_and_unroll_accepted(xp, jax_reference):
    check_both(build_scan(length=6, unroll=2), "jit", xp, jax_reference, np.float32(0.3), XS[:, 0], WS[:, 0])


@pytest.mark.parametrize("mode", ["eager", "jit", "grad"])
def test_scan_without_xs(mode, xp, jax_reference):
    """xs=None with length: a 200-step loop (under jit a real loop on both backends, not an unrolled graph)."""

    def build(t, lax, np_like):
        def program(x):
            return lax.scan(lambda c, _: (c * 0.99 + 0.1, c), x, None, length=200)

        return program

    check_both(build, mode, xp, jax_reference, X, rtol=1e-4)


# -- map and associative_scan -------------------------------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [None, 3, 10])
@pytest.mark.parametrize("mode", ["eager", "jit", "grad"])
def test_map(mode, batch_size, xp, jax_reference):
    def build(t, lax, np_like):
        return lambda x: lax.map(lambda row: {"s": np_like.sin(row).sum(), "r": row * 2.0}, x, batch_size=batch_size)

    check_both(build, mode, xp, jax_reference, np.arange(21, dtype=np.float32).reshape(7, 3) / 7.0)


def build_linear_recurrence(reverse, axis):
    """h_t = a_t h_{t-1} + b_t as an associative scan over (a, b) pairs (a pytree), on a chosen axis."""

    def build(t, lax, np_like):
        def combine(left, right):
            a1, b1 = left
            a2, b2 = right
            return a1 * a2, a2 * b1 + b2

        return lambda a, b: lax.associative_scan(combine, (a, b), reverse=reverse, axis=axis)

    return build


@pytest.mark.parametrize("mode", ["eager", "jit", "grad", "vmap"])
@pytest.mark.parametrize(("reverse", "axis"), [(False, 0), (True, 0), (False, -1), (True, 2)])
def test_associative_scan(mode, reverse, axis, xp, jax_reference):
    rng = np.random.default_rng(0)
    shape = (3, 7, 5, 2) if mode == "vmap" else (7, 5, 2)  # vmap maps the leading axis away
    a = rng.uniform(0.5, 1.0, size=shape).astype(np.float32)
    b = rng.normal(size=shape).astype(np.float32)
    check_both(build_linear_recurrence(reverse, axis), mode, xp, jax_reference, a, b, rtol=1e-4)


def test_associative_scan_cumsum(xp):
    out = portax.lax.associative_scan(xp.add, xp.arange(1.0, 11.0))
    np.testing.assert_allclose(np.asarray(out.tolist()), np.cumsum(np.arange(1.0, 11.0)))


def test_which_path_jit_takes_for_a_long_scan_compiled_also_under_grad(xp):
    """Pins docs/control-flow.md: jit of a 200-step scan compiles (torch's scan operator on torch, no fallback), and
    so does jit(grad(scan)) (torch: reverse mode by autograd in the compiled graph, a compiled reverse loop)."""
    import warnings

    def run(c):
        return portax.lax.scan(lambda carry, x: (carry * 0.99 + x, carry), c, xp.ones(200))[0]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", portax.errors.CompileFallbackWarning)
        portax.jit(run)(xp.asarray(1.0))
        compiled_fallbacks = [w for w in caught if issubclass(w.category, portax.errors.CompileFallbackWarning)]
        portax.jit(portax.grad(run))(xp.asarray(1.0))
        grad_fallbacks = [w for w in caught if issubclass(w.category, portax.errors.CompileFallbackWarning)]
    assert compiled_fallbacks == []
    assert grad_fallbacks == []
