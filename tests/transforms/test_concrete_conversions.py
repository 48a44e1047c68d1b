"""A Python number of a traced value raises JAX's ``ConcretizationTypeError`` on every backend where JAX raises
(jax 0.10: ``float(x)`` under grad/jvp/vjp/vmap; ``int(x)``/``x.item()`` under vmap, while under grad JAX knows the
primal and gives the number), instead of silently treating the traced value as a constant."""

from __future__ import annotations

import portax
import portax.numpy as jnp
import pytest
from portax.errors import ConcretizationTypeError

CONVERSIONS = {
    "float": lambda x: float(x) * x,
    "int": lambda x: int(x) * x,
    "item": lambda x: x.item() * x,
}


def test_grad_of_float_of_the_input_raises(backend):
    with pytest.raises(ConcretizationTypeError):
        portax.grad(CONVERSIONS["float"])(jnp.asarray(2.0))


@pytest.mark.parametrize("conversion", ["int", "item"])
def test_grad_of_int_and_item_give_the_number_as_jax(conversion, backend):
    assert float(portax.grad(CONVERSIONS[conversion])(jnp.asarray(2.0))) == 2.0


@pytest.mark.parametrize("conversion", list(CONVERSIONS))
def test_vmap_of_a_python_number_raises(conversion, backend):
    with pytest.raises(ConcretizationTypeError):
        portax.vmap(CONVERSIONS[conversion])(jnp.ones(3))


@pytest.mark.parametrize("transform", ["jvp", "vjp"])
def test_other_transforms_raise(transform, backend):
    f = CONVERSIONS["float"]
    x = jnp.asarray(2.0)
    with pytest.raises(ConcretizationTypeError):
        if transform == "jvp":
            portax.jvp(f, (x,), (x,))
        else:
            portax.vjp(f, x)


def test_outside_a_transformation_it_is_a_number(backend):
    x = jnp.asarray(2.5)
    assert float(x) == 2.5 and int(x) == 2 and x.item() == 2.5
    assert portax.grad(lambda v: v * float(jnp.asarray(3.0)))(x) == 3.0  # a concrete array inside is still fine
