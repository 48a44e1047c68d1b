"""portax.experimental.ode.odeint against real jax.experimental.ode.odeint and scipy.integrate.solve_ivp, with the
adjoint gradient against jax.grad of JAX's odeint, on every backend; under jit and vmap."""

from __future__ import annotations

import numpy as np
import portax
import portax.numpy as jnp
import pytest
from helpers import to_numpy
from portax.experimental.ode import odeint

# jit/vmap over the custom adjoint rule runs uncompiled on torch, by design (docs/sharp-bits.md)
pytestmark = pytest.mark.filterwarnings("ignore::portax.errors.CompileFallbackWarning")

TIMES = np.linspace(0.0, 3.0, 5).astype(np.float32)


def oscillator(y, t, stiffness, damping):
    """A damped, driven oscillator on a pytree state (works with portax.numpy and jax.numpy alike)."""
    return {"x": y["v"], "v": -stiffness * y["x"] - damping * y["v"] + 0.1 * t}


def _state(xnp):
    return {"x": xnp.asarray(1.0), "v": xnp.asarray(0.0)}


def test_values_match_jax_and_scipy(backend, jax_reference):
    jax, _ = jax_reference
    from jax.experimental.ode import odeint as jax_odeint
    from scipy.integrate import solve_ivp

    ours = portax.jit(lambda y0, t, k, c: odeint(oscillator, y0, t, k, c))(
        _state(jnp), jnp.asarray(TIMES), jnp.asarray(2.0), jnp.asarray(0.3)
    )
    theirs = jax.jit(lambda y0, t: jax_odeint(oscillator, y0, t, 2.0, 0.3))(_state(jax.numpy), TIMES)
    for key in ("x", "v"):
        assert to_numpy(ours[key]).shape == (len(TIMES),)
        np.testing.assert_allclose(to_numpy(ours[key]), np.asarray(theirs[key]), rtol=2e-5, atol=2e-6)
    exact = solve_ivp(
        lambda t, y: [y[1], -2.0 * y[0] - 0.3 * y[1] + 0.1 * t], (0.0, 3.0), [1.0, 0.0], t_eval=TIMES,
        rtol=1e-10, atol=1e-10,
    )
    np.testing.assert_allclose(to_numpy(ours["x"]), exact.y[0], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(to_numpy(ours["v"]), exact.y[1], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("transform", ["eager", "jit"])
def test_adjoint_gradient_matches_jax(backend, jax_reference, transform):
    """The adjoint gradient, eager and under jit (torch's jit case compiles the adjoint's loops: ~45 s, slow list)."""
    jax, _ = jax_reference
    from jax.experimental.ode import odeint as jax_odeint

    def loss(xnp, solve):
        def f(y0, t, k, c):
            ys = solve(oscillator, y0, t, k, c)
            return xnp.sum(ys["x"] ** 2) + xnp.sum(ys["v"] * t)

        return f

    gradient = portax.grad(loss(jnp, odeint), argnums=(0, 1, 2, 3))
    ours = (portax.jit(gradient) if transform == "jit" else gradient)(
        _state(jnp), jnp.asarray(TIMES), jnp.asarray(2.0), jnp.asarray(0.3)
    )
    theirs = jax.jit(jax.grad(loss(jax.numpy, jax_odeint), argnums=(0, 1, 2, 3)))(
        _state(jax.numpy), TIMES, 2.0, 0.3
    )
    for a, b in zip(portax.tree.leaves(ours), jax.tree.leaves(theirs), strict=True):
        np.testing.assert_allclose(to_numpy(a), np.asarray(b), rtol=1e-4, atol=1e-5)


def forced(y, t, rate):
    return -rate * y + jnp.sin(t)


def test_gradient_matches_finite_differences(backend):
    @portax.jit  # one compilation on JAX for the three evaluations
    def final(rate):
        return odeint(forced, jnp.asarray([1.0, 2.0]), jnp.asarray([0.0, 0.5, 1.0]), rate)

    grad = portax.jit(portax.grad(lambda r: jnp.sum(final(r)[-1])))(jnp.asarray(0.7))
    eps = 1e-2
    plus, minus = (float(np.sum(to_numpy(final(jnp.asarray(0.7 + s))[-1]))) for s in (eps, -eps))
    np.testing.assert_allclose(to_numpy(grad), (plus - minus) / (2 * eps), rtol=1e-3)


def test_vmap_over_initial_states_and_parameters(backend):
    decay = lambda y, t, r: -r * y  # noqa: E731
    y0s, rates = jnp.asarray([1.0, 2.0, 3.0]), jnp.asarray([0.5, 1.0, 2.0])
    times = jnp.asarray([0.0, 1.0, 2.0])
    ys = portax.jit(portax.vmap(lambda y0, r: odeint(decay, y0, times, r)))(y0s, rates)
    expected = np.array([1.0, 2.0, 3.0])[:, None] * np.exp(-np.outer([0.5, 1.0, 2.0], [0.0, 1.0, 2.0]))
    np.testing.assert_allclose(to_numpy(ys), expected, rtol=1e-5, atol=1e-6)
    grads = portax.vmap(portax.grad(lambda r: odeint(decay, jnp.asarray(1.0), times, r)[-1]))(rates)
    np.testing.assert_allclose(to_numpy(grads), -2.0 * np.exp(-2.0 * np.array([0.5, 1.0, 2.0])), rtol=1e-4)


def test_step_limits_and_errors(backend):
    decay = lambda y, t: -y  # noqa: E731
    coarse = odeint(decay, jnp.asarray(1.0), jnp.asarray([0.0, 1.0]), rtol=1e-3, atol=1e-3)
    np.testing.assert_allclose(to_numpy(coarse)[-1], np.exp(-1.0), rtol=1e-2)
    capped = odeint(decay, jnp.asarray(1.0), jnp.asarray([0.0, 1.0]), hmax=0.01)
    np.testing.assert_allclose(to_numpy(capped)[-1], np.exp(-1.0), rtol=1e-6)
    stopped = odeint(decay, jnp.asarray(1.0), jnp.asarray([0.0, 10.0]), mxstep=1)
    assert abs(float(to_numpy(stopped)[-1]) - np.exp(-10.0)) > 1e-3  # one step cannot reach t=10
    with pytest.raises(TypeError, match="array of floats"):
        odeint(decay, jnp.asarray(1.0), jnp.asarray([0, 1]))
    with pytest.raises(TypeError, match="arrays or scalars"):
        odeint(lambda y, t, s: -y, jnp.asarray(1.0), jnp.asarray([0.0, 1.0]), "not an array")
