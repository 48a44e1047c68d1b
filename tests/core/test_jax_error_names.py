"""JAX's error class names in portax.errors: ported `except jax.errors.X` clauses keep working on every backend."""

from __future__ import annotations

import numpy as np
import portax
import portax.numpy as jnp
import pytest
from portax import errors


def test_class_hierarchy_matches_jax_where_it_matters():
    assert errors.ConcretizationTypeError is errors.ConcretizationError
    for name in ("TracerBoolConversionError", "TracerIntegerConversionError", "TracerArrayConversionError"):
        cls = getattr(errors, name)
        assert issubclass(cls, errors.ConcretizationTypeError) and issubclass(cls, TypeError), name
    assert issubclass(errors.NonConcreteBooleanIndexError, IndexError)
    for cls in (errors.UnexpectedTracerError, errors.KeyReuseError):
        assert issubclass(cls, errors.PortaxError) and issubclass(cls, TypeError)


def test_isinstance_accepts_jax_own_errors(jax_reference):
    jax, _ = jax_reference
    with pytest.raises(jax.errors.TracerBoolConversionError) as info:
        jax.jit(lambda x: 1.0 if x > 0 else 0.0)(1.0)
    assert isinstance(info.value, errors.TracerBoolConversionError)
    assert isinstance(info.value, errors.ConcretizationTypeError)
    assert not isinstance(info.value, errors.UnexpectedTracerError)
    assert issubclass(jax.errors.NonConcreteBooleanIndexError, errors.NonConcreteBooleanIndexError)
    assert not isinstance(ValueError("x"), errors.ConcretizationTypeError)


@pytest.fixture
def jax_reference():
    jax = pytest.importorskip("jax")
    return jax, None


def _python_if(x):
    if x > 0:
        return x
    return -x


def test_python_branch_is_a_bool_conversion_error_on_every_backend(backend):
    with pytest.raises(errors.ConcretizationTypeError, match="cond") as info:
        portax.jit(_python_if)(jnp.asarray(1.0))
    assert type(info.value) is errors.TracerBoolConversionError
    assert isinstance(info.value.__cause__, Exception)  # the engine's own error is kept
    with pytest.raises(errors.TracerBoolConversionError):
        portax.vmap(_python_if)(jnp.asarray([1.0, -1.0]))
    # a traced value used as a size: JAX's and torch's messages both make it a ConcretizationTypeError
    with pytest.raises(errors.ConcretizationTypeError):
        portax.jit(lambda x: jnp.zeros(int(x)))(jnp.asarray(3.0))


def test_jax_backend_reraises_each_jax_error_by_name(backend, backend_name):
    if backend_name != "jax":
        pytest.skip("JAX's own error classes are raised by the JAX engine only")
    with pytest.raises(errors.TracerArrayConversionError):
        portax.jit(lambda x: np.asarray(x))(jnp.asarray(1.0))
    with pytest.raises(errors.NonConcreteBooleanIndexError):
        portax.jit(lambda x: x[x > 0])(jnp.arange(3.0))
    with pytest.raises(errors.TracerBoolConversionError):
        portax.vmap(_python_if)(jnp.arange(3.0))
    # code that catches JAX's generic TypeError still does
    with pytest.raises(TypeError):
        portax.jit(_python_if)(jnp.asarray(1.0))
