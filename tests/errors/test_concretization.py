"""Python numbers from traced values: ``float(x)``, ``int(x)``, ``x.item()`` inside portax's transformations raise
JAX's ``ConcretizationTypeError`` where JAX does (jax 0.10, checked against real JAX), on every backend; and on torch
only inside portax's transformations: a plain ``torch.func`` program keeps torch's meaning while portax-torch is
loaded (the refusal is not a process-wide change of ``torch.Tensor``)."""

from __future__ import annotations

import warnings

import numpy as np
import portax
import pytest

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

CONVERSIONS = {
    "float": lambda v: float(v.sum()) * v,
    "int": lambda v: int(v.sum()) * v,
    "item": lambda v: v.sum().item() * v,
}


@pytest.fixture
def cheap_torch_compile():
    previous = portax.config.torch_compile_backend
    portax.config.update("torch_compile_backend", "eager")
    yield
    portax.config.update("torch_compile_backend", previous)


def _jax_class(fn, x):
    try:
        fn(x)
    except Exception as error:  # noqa: BLE001 (the reference: any class)
        return type(error)
    return None


@pytest.mark.parametrize("conversion", list(CONVERSIONS))
def test_conversion_under_jit_raises_as_jax(conversion, backend, xp, cheap_torch_compile):
    fn = CONVERSIONS[conversion]
    expected = _jax_class(jax.jit(fn), jnp.ones(3))
    assert expected is jax.errors.ConcretizationTypeError
    with warnings.catch_warnings():
        warnings.simplefilter("error", portax.errors.CompileFallbackWarning)  # no silent eager run
        with pytest.raises(portax.errors.ConcretizationError) as info:
            portax.jit(fn)(xp.ones(3))
    assert isinstance(info.value, TypeError) and "static" in str(info.value)  # says what to do


def test_conversion_of_a_static_argument_under_jit_works(backend, xp, cheap_torch_compile):
    f = portax.jit(lambda v, n: v * float(n), static_argnums=1)
    np.testing.assert_allclose(np.asarray(f(xp.ones(2), 3).tolist()), [3.0, 3.0])


@pytest.mark.parametrize("transform", ["grad", "vmap"])
def test_float_under_grad_and_vmap_raises_as_jax(transform, backend, xp):
    fn = (lambda v: float(v) * v) if transform == "grad" else (lambda v: v * float(v))
    arg = 2.0 if transform == "grad" else np.ones(2, np.float32)
    jax_fn = getattr(jax, transform)(fn)
    assert _jax_class(jax_fn, jnp.asarray(arg)) is jax.errors.ConcretizationTypeError
    with pytest.raises(portax.errors.ConcretizationError):
        getattr(portax, transform)(fn)(xp.asarray(arg))


def test_plain_torch_func_keeps_torch_meaning_with_portax_torch_loaded(backend_name):
    if backend_name != "torch":
        pytest.skip("torch.func itself: the torch backend only")
    torch = pytest.importorskip("torch")
    portax.get_backend("torch")  # loaded: its Tensor methods are installed
    x = torch.tensor(2.0)
    # torch.func.grad treats float(x) as a constant: d/dx (2.0 * x) = 2.0 (what torch gives without portax).
    assert float(torch.func.grad(lambda v: float(v) * v)(x)) == 2.0
    assert float(torch.func.jvp(lambda v: v * float(v), (x,), (torch.tensor(1.0),))[1]) == 2.0
    # ... and torch's own error under vmap, not portax's ConcretizationError
    with pytest.raises(RuntimeError) as info:
        torch.func.vmap(lambda v: v * float(v))(torch.ones(2))
    assert not isinstance(info.value, portax.errors.ConcretizationError)
    # inside a portax transformation the refusal applies (JAX's meaning)
    with pytest.raises(portax.errors.ConcretizationError):
        portax.grad(lambda v: float(v) * v)(x)
