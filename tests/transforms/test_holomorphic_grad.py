"""``grad(f, holomorphic=True)`` on every backend: ``f'(z)`` for holomorphic ``f`` (JAX's result), JAX's errors."""

from __future__ import annotations

import cmath

import numpy as np
import portax
import pytest

Z = 0.3 + 0.4j


def f(z):
    import portax.numpy as pnp

    return pnp.sin(z) * z**2


def f_prime(z: complex) -> complex:
    return cmath.cos(z) * z**2 + 2 * z * cmath.sin(z)


def test_holomorphic_grad_is_the_complex_derivative(xp):
    np.testing.assert_allclose(complex(portax.grad(f, holomorphic=True)(Z)), f_prime(Z), rtol=1e-5)
    value, derivative = portax.value_and_grad(f, holomorphic=True)(xp.asarray(Z))
    np.testing.assert_allclose(complex(value), cmath.sin(Z) * Z**2, rtol=1e-5)
    np.testing.assert_allclose(complex(derivative), f_prime(Z), rtol=1e-5)
    np.testing.assert_allclose(complex(portax.jit(portax.grad(f, holomorphic=True))(xp.asarray(Z))), f_prime(Z), rtol=1e-5)


def test_holomorphic_grad_argnums_and_aux(xp):
    a = xp.asarray([1 + 1j, 2j])
    b = xp.asarray([3 + 0j, 1 - 1j])
    (da, db), aux = portax.grad(lambda a, b: (xp.sum(a * b), "aux"), (0, 1), has_aux=True, holomorphic=True)(a, b)
    np.testing.assert_allclose(np.asarray(da), [3 + 0j, 1 - 1j])  # d/da sum(a*b) = b, not conj(b)
    np.testing.assert_allclose(np.asarray(db), [1 + 1j, 2j])
    assert aux == "aux"


def test_not_holomorphic_function_gives_jax_result(xp):
    # conj is not holomorphic: JAX returns the pullback of 1, i.e. 1 (the page's "f is not actually holomorphic!")
    assert complex(portax.grad(xp.conjugate, holomorphic=True)(xp.asarray(Z))) == 1


def test_holomorphic_errors_as_jax(xp):
    with pytest.raises(TypeError, match="holomorphic=True requires inputs with complex dtype"):
        portax.grad(xp.sin, holomorphic=True)(xp.asarray(1.0))
    with pytest.raises(TypeError, match="holomorphic=True requires outputs with complex dtype"):
        portax.grad(xp.abs, holomorphic=True)(xp.asarray(Z))
    with pytest.raises(TypeError, match="pass holomorphic=True"):
        portax.grad(xp.sin)(xp.asarray(Z))
