"""portax.test_util.check_grads: passes where real JAX's passes, fails on a wrong derivative rule, on every backend,
also over jit/vmap inside the checked function."""

from __future__ import annotations

import numpy as np
import portax
import portax.numpy as jnp
import pytest
from portax.test_util import check_grads, check_jvp, check_vjp


def _mlp(params, x):
    hidden = jnp.tanh(x @ params["w1"] + params["b1"])
    return jnp.sum(jnp.sin(hidden @ params["w2"]))


def _params():
    rng = np.random.RandomState(1)
    return {
        "w1": rng.randn(3, 4).astype(np.float32),
        "b1": rng.randn(4).astype(np.float32),
        "w2": rng.randn(4, 2).astype(np.float32),
    }


def test_passes_on_correct_derivatives_like_jax(backend, jax_reference):
    del jax_reference  # skips the test without jax
    import jax.test_util

    x = np.array([[0.1, -0.3, 0.7]], dtype=np.float32)
    params = _params()
    jax.test_util.check_grads(lambda p, v: _jax_mlp(jax, p, v), (params, x), order=1)  # the reference agrees
    check_grads(_mlp, (params, x), order=1)
    check_grads(lambda v: jnp.sum(jnp.tanh(v) ** 2), (x,), order=2)
    check_grads(jnp.sin, (np.float32(0.5),), order=3, modes=("fwd",))
    check_grads(lambda z: jnp.abs(z) ** 2, (np.complex64(1 + 2j),), order=1, modes=("rev",))


def _jax_mlp(jax, params, x):
    jnp_ = jax.numpy
    hidden = jnp_.tanh(x @ params["w1"] + params["b1"])
    return jnp_.sum(jnp_.sin(hidden @ params["w2"]))


def test_inside_compositions(backend):
    x = jnp.asarray([0.2, 0.4, -0.5])
    check_grads(portax.jit(lambda v: jnp.sum(jnp.exp(v) * v)), (x,), order=2)
    check_grads(portax.vmap(lambda v: jnp.cos(v) * v), (x,), order=1)
    check_grads(lambda v: portax.grad(lambda u: jnp.sum(u**3))(v), (x,), order=1)


def _wrong_rule():
    @portax.custom_jvp
    def f(x):
        return jnp.sin(x)

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return jnp.sin(x), 2.0 * jnp.cos(x) * t  # twice the true derivative

    return f


def test_fails_on_a_wrong_rule(backend):
    f = _wrong_rule()
    with pytest.raises(AssertionError, match="JVP tangent"):
        check_grads(f, (jnp.asarray([0.3, 0.6]),), order=1, modes=("fwd",))
    with pytest.raises(AssertionError, match="cotangent projection"):
        check_grads(f, (jnp.asarray([0.3, 0.6]),), order=1, modes=("rev",))


def test_tolerances_and_single_checks(backend):
    x = (jnp.asarray([0.5, 1.5]),)
    check_jvp(jnp.exp, lambda p, t: portax.jvp(jnp.exp, p, t), x)
    check_vjp(jnp.exp, lambda *p: portax.vjp(jnp.exp, *p), x)
    with pytest.raises(AssertionError):
        check_grads(_wrong_rule(), x, order=1, modes=("fwd",), atol=1e-6, rtol=1e-6)
    check_grads(_wrong_rule(), x, order=1, modes=("fwd",), atol=10.0, rtol=10.0)  # loose enough to pass
