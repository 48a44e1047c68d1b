"""Special functions of ``portax.lax`` (incomplete gamma and beta, their derivatives, zeta, polygamma) against real
``jax.lax`` and SciPy on every backend, with JAX's derivative rules under grad, vmap and jit."""

from __future__ import annotations

import numpy as np
import portax
import pytest
import scipy.special as sps
from helpers import to_numpy
from lax_util import check_both

RNG = np.random.default_rng(7)
A = np.concatenate([RNG.uniform(0.2, 30.0, 14), [0.5, 3.0, 100.0, 40.0]]).astype(np.float32)
X = np.concatenate([RNG.uniform(0.01, 50.0, 14), [0.05, 3.5, 90.0, 35.0]]).astype(np.float32)
B = RNG.uniform(0.2, 30.0, 18).astype(np.float32)
U = np.concatenate([RNG.uniform(0.0, 1.0, 16), [0.0, 1.0]]).astype(np.float32)
ORDER = RNG.integers(0, 5, 18).astype(np.float32)

CASES = {
    "igamma": (lambda lax, a, x, b, u, m: lax.igamma(a, x)),
    "igammac": (lambda lax, a, x, b, u, m: lax.igammac(a, x)),
    "igamma_grad_a": (lambda lax, a, x, b, u, m: lax.igamma_grad_a(a, x)),
    "random_gamma_grad": (lambda lax, a, x, b, u, m: lax.random_gamma_grad(a, x)),
    "zeta": (lambda lax, a, x, b, u, m: lax.zeta(a + 1.0, x)),
    "polygamma": (lambda lax, a, x, b, u, m: lax.polygamma(m, x)),
    "betainc": (lambda lax, a, x, b, u, m: lax.betainc(a, b, u)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_values_match_jax(name, xp, jax_reference):
    def build(t, lax, np_):
        return lambda *args: CASES[name](lax, *args)

    check_both(build, "eager", xp, jax_reference, A, X, B, U, ORDER, rtol=5e-5, atol=1e-6)


def test_gradients_match_jax(xp, jax_reference):
    def build(t, lax, np_):
        def run(a, x, b, u, m):
            return (lax.igamma(a, x) + lax.igammac(a * 0.5, x) + lax.betainc(b, b, a / (a + 1.0))
                    + lax.polygamma(m, x + a))

        return run

    check_both(build, "grad", xp, jax_reference, A, X, B, U, ORDER, rtol=2e-4, atol=1e-6)  # in a

    def in_x(t, lax, np_):
        return lambda x, a, b, m: lax.igamma(a, x) + lax.betainc(a, b, x / 100.0) + lax.polygamma(m, x)

    check_both(in_x, "grad", xp, jax_reference, X, A, B, ORDER, rtol=2e-4, atol=1e-6)


@pytest.mark.parametrize("mode", ["jit", "vmap_grad"])
def test_transforms(mode, xp, jax_reference):
    def build(t, lax, np_):
        def run(a, x):
            value = lax.igamma(a, x) + lax.betainc(x, x + 1.0, a / (a + 1.0))
            # random_gamma_grad and igamma_grad_a have no derivative (in JAX either): under jit only
            return value if "grad" in mode else value * lax.random_gamma_grad(a, x) + lax.igamma_grad_a(a, x)

        return run

    check_both(build, mode, xp, jax_reference, A[:6], X[:6], rtol=2e-4, atol=1e-6)


def test_core_formulas_against_scipy(xp):
    # the formulas a backend without native kernels runs (torch replaces the values of igamma/igammac/zeta)
    from portax._src import lax_special

    a, x = xp.asarray(A), xp.asarray(X)
    np.testing.assert_allclose(to_numpy(lax_special._igamma_formula(a, x)), sps.gammainc(A, X), rtol=5e-5, atol=1e-30)
    np.testing.assert_allclose(to_numpy(lax_special.zeta_formula(a + 1.0, x)), sps.zeta(A + 1.0, X), rtol=5e-5,
                               atol=1e-30)


def test_edges_and_errors(xp):
    lax = portax.lax
    a = xp.asarray(np.array([1.0, 1.0, -1.0, 2.0], np.float32))
    x = xp.asarray(np.array([0.0, np.inf, 1.0, -1.0], np.float32))
    np.testing.assert_array_equal(to_numpy(lax.igamma(a, x)), [0.0, 1.0, np.nan, np.nan])
    with pytest.raises(TypeError, match="same dtypes"):
        lax.igamma(xp.ones(2), xp.ones(2, dtype=xp.float16))
    with pytest.raises(TypeError, match="does not accept dtype int32"):
        lax.betainc(xp.ones(2, dtype=xp.int32), xp.ones(2, dtype=xp.int32), xp.ones(2, dtype=xp.int32))


def test_scipy_special_on_every_backend(xp, jax_reference):
    # gammainc differentiable in a, betainc, zeta differentiable in x and q: on torch too now
    jax, _ = jax_reference
    jss = pytest.importorskip("jax.scipy.special")
    pss = portax.scipy.special
    a, x = xp.asarray(A[:5]), xp.asarray(X[:5])
    got = portax.grad(lambda a: pss.gammainc(a, x).sum())(a)
    np.testing.assert_allclose(to_numpy(got), jax.grad(lambda a: jss.gammainc(a, X[:5]).sum())(A[:5]), rtol=2e-4)
    got = portax.grad(lambda s: pss.zeta(s, x).sum())(a + 1.5)
    np.testing.assert_allclose(to_numpy(got), jax.grad(lambda s: jss.zeta(s, X[:5]).sum())(A[:5] + 1.5),
                               rtol=2e-4, atol=1e-30)
    np.testing.assert_allclose(to_numpy(pss.betainc(a, a, xp.asarray(U[:5]))), sps.betainc(A[:5], A[:5], U[:5]),
                               rtol=5e-5)
