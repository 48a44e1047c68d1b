"""``jax_debug_nans``: FloatingPointError at the first NaN, eagerly and from transformations, on every backend.

Granularity differs (docs/x64-and-debugging.md): JAX checks every primitive; torch checks each eager portax.numpy
result and the outputs of the outermost transformation (inside a jit/grad/vmap only its outputs).
"""

from __future__ import annotations

import portax
import portax.numpy as jnp
import pytest

pytestmark = pytest.mark.filterwarnings("ignore:Invalid nan value", "error::portax.errors.CompileFallbackWarning")


def test_off_by_default_nan_flows(backend):
    assert not portax.config.jax_debug_nans
    assert bool(jnp.isnan(jnp.log(jnp.asarray(-1.0))))


def test_eager_numpy_call_raises(backend):
    portax.config.update("jax_debug_nans", True)
    with pytest.raises(FloatingPointError):
        jnp.log(jnp.asarray(-1.0))
    jnp.log(jnp.asarray(1.0))  # finite results pass


@pytest.mark.parametrize("transform", ["jit", "grad", "vmap"])
def test_transformation_outputs_raise(backend, transform):
    portax.config.update("jax_debug_nans", True)
    x = jnp.asarray(-1.0)
    with pytest.raises(FloatingPointError):
        if transform == "jit":
            portax.jit(jnp.log)(x)
        elif transform == "grad":
            portax.grad(lambda v: jnp.sqrt(v) * 0.0)(jnp.asarray(0.0))  # 0 * inf = nan in the gradient
        else:
            portax.vmap(jnp.log)(jnp.asarray([1.0, -1.0]))


def test_switching_off_restores_plain_behaviour(backend):
    portax.config.update("jax_debug_nans", True)
    portax.config.update("jax_debug_nans", False)
    assert bool(jnp.isnan(portax.jit(jnp.log)(jnp.asarray(-1.0))))
    assert bool(jnp.isnan(jnp.log(jnp.asarray(-1.0))))
