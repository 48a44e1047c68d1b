"""portax.debug.print / callback eagerly and inside jit, vmap (one call per lane, as JAX 0.10) and grad (primal
values), on every backend; torch under jit must compile (no fallback), proven by turning the warning into an error."""

from __future__ import annotations

import numpy as np
import portax
import portax.numpy as jnp
import pytest

pytestmark = pytest.mark.filterwarnings("error::portax.errors.CompileFallbackWarning")

SEEN: list = []


def record(*args, **kwargs):  # defined at module level: on torch under jit the callback is a graph constant
    SEEN.append((tuple(np.asarray(a).tolist() for a in args), {k: np.asarray(v).tolist() for k, v in kwargs.items()}))


def _f(x):
    portax.debug.callback(record, x, twice=x * 2)
    return jnp.sum(x * x)


@pytest.fixture(autouse=True)
def clear_seen():
    SEEN.clear()


def test_callback_eager_and_jit(backend):
    x = jnp.asarray([1.0, 2.0])
    _f(x)
    jitted = portax.jit(_f)
    jitted(x)
    jitted(x + 1)  # a second call of the compiled function runs the callback with the new values
    assert SEEN == [
        (([1.0, 2.0],), {"twice": [2.0, 4.0]}),
        (([1.0, 2.0],), {"twice": [2.0, 4.0]}),
        (([2.0, 3.0],), {"twice": [4.0, 6.0]}),
    ]


@pytest.mark.parametrize("jit", [False, True])
def test_callback_under_vmap_runs_per_lane(backend, jit):
    fn = portax.vmap(_f)
    fn = portax.jit(fn) if jit else fn
    fn(jnp.asarray([[1.0], [2.0], [3.0]]))
    # JAX 0.10 calls the callback once per lane (in any order under jit)
    assert sorted(SEEN) == [(([v],), {"twice": [2 * v]}) for v in (1.0, 2.0, 3.0)]


@pytest.mark.parametrize("jit", [False, True])
def test_callback_under_grad_sees_primals(backend, jit):
    fn = portax.grad(_f)
    fn = portax.jit(fn) if jit else fn
    g = fn(jnp.asarray([1.0, 2.0]))
    np.testing.assert_allclose(np.asarray(portax.device_get(g)), [2.0, 4.0])
    assert SEEN == [(([1.0, 2.0],), {"twice": [2.0, 4.0]})]


def test_print_formats_like_jax(backend, capsys, jax_reference):
    jax, _ = jax_reference

    def g(x):
        portax.debug.print("x={x} y={} n={}", x * 2, 3, x=x)
        return x

    g(jnp.asarray([0.0, 1.0]))
    portax.jit(g)(jnp.asarray(1.5))
    portax.vmap(g)(jnp.asarray([0.0, 1.0]))
    ours = capsys.readouterr().out

    def h(x):
        jax.debug.print("x={x} y={} n={}", x * 2, 3, x=x)
        return x

    h(jax.numpy.asarray([0.0, 1.0]))
    jax.jit(h)(jax.numpy.asarray(1.5))
    jax.vmap(h)(jax.numpy.asarray([0.0, 1.0]))
    assert ours == capsys.readouterr().out


def test_print_rejects_a_non_string_format(backend):
    with pytest.raises(TypeError, match="format"):
        portax.debug.print(jnp.ones(2))
