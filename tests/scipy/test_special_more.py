"""The rest of jax.scipy.special (gamma family, zeta, polygamma, entropies, Box-Cox, ...) against SciPy and JAX."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.special as pss
import pytest
import scipy.special as sps
from helpers import as_backend, to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)

jax = pytest.importorskip("jax")
jss = jax.scipy.special

REAL = np.array([-3.5, -2.0, -1.5, -0.5, -0.0, 0.0, 0.25, 1.0, 4.5, 10.0, np.nan], np.float32)
POS = np.array([0.1, 0.5, 1.0, 2.5, 7.0], np.float32)
UNARY = [
    ("gamma", REAL, sps.gamma),
    ("gammasgn", REAL, sps.gammasgn),
    ("loggamma", np.array([-1.5, 0.5, 3.0, 20.0], np.float32), lambda x: np.where(x > 0, sps.loggamma(x), np.nan)),
    ("factorial", np.array([-1.0, 0.0, 1.0, 5.0, 10.5], np.float32), lambda x: sps.factorial(x, exact=False)),
    ("i0", REAL[:-1], sps.i0),
    ("i1", REAL[:-1], sps.i1),
    ("erfcx", np.array([-3.0, -0.5, 0.0, 2.0, 30.0], np.float32), sps.erfcx),
]
BINARY = [
    ("beta", (np.array([0.5, 2.0, -1.5, 3.0], np.float32), np.array([1.5, 3.0, 0.25, 4.0], np.float32)), sps.beta),
    ("comb", (np.array([5.0, 10.0, 4.0, -1.0, 3.0], np.float32), np.array([2.0, 3.0, 5.0, 1.0, -1.0], np.float32)),
     lambda n, k: sps.comb(n, k)),
    ("poch", (np.array([0.5, 2.0, 3.0, -1.5], np.float32), np.array([0.0, 1.5, 3.0, 2.0], np.float32)), sps.poch),
    ("gammainc", (POS, POS[::-1]), sps.gammainc),
    ("gammaincc", (POS, POS[::-1]), sps.gammaincc),
    ("zeta", (np.array([1.5, 2.0, 3.0, 4.5, 2.0], np.float32), POS), sps.zeta),
    ("rel_entr", (np.array([0.0, 0.5, 1.0, -1.0, 0.0, 2.0], np.float32),
                  np.array([1.0, 0.25, 0.0, 1.0, -1.0, 3.0], np.float32)), sps.rel_entr),
    ("kl_div", (np.array([0.0, 0.5, 1.0, -1.0, 0.0, 2.0], np.float32),
                np.array([1.0, 0.25, 0.0, 1.0, -1.0, 3.0], np.float32)), sps.kl_div),
    ("boxcox", (POS, np.array([0.0, 0.5, -1.0, 2.0, 0.0], np.float32)), sps.boxcox),
    ("boxcox1p", (POS, np.array([0.0, 0.5, -1.0, 2.0, 0.0], np.float32)), sps.boxcox1p),
]


@pytest.mark.parametrize(("name", "values", "reference"), UNARY, ids=[u[0] for u in UNARY])
def test_unary_matches_scipy(xp, name, values, reference):
    out = getattr(pss, name)(as_backend(xp, values))
    assert to_numpy(out).dtype == np.float32
    np.testing.assert_allclose(to_numpy(out), reference(values.astype(np.float64)), rtol=2e-5, atol=1e-6)
    assert to_numpy(getattr(pss, name)(as_backend(xp, np.array([1, 2], np.int32)))).dtype == np.float32


@pytest.mark.parametrize(("name", "values", "reference"), BINARY, ids=[b[0] for b in BINARY])
def test_binary_matches_scipy(xp, name, values, reference):
    out = getattr(pss, name)(*(as_backend(xp, v) for v in values))
    assert to_numpy(out).dtype == np.float32
    expected = reference(*(v.astype(np.float64) for v in values))
    np.testing.assert_allclose(to_numpy(out), expected, rtol=5e-5, atol=1e-6)


def test_integer_order_functions(xp):
    x = as_backend(xp, POS)
    for n in (0, 1, 3):
        np.testing.assert_allclose(to_numpy(pss.polygamma(n, x)), sps.polygamma(n, POS.astype(np.float64)), rtol=5e-5)
    orders = np.array([0, 1, 2, 3, 1], np.int32)
    np.testing.assert_allclose(to_numpy(pss.polygamma(as_backend(xp, orders), x)),
                               sps.polygamma(orders, POS.astype(np.float64)), rtol=5e-5)
    for d in (1, 3):
        got = pss.multigammaln(as_backend(xp, POS + 2), d)
        np.testing.assert_allclose(to_numpy(got), sps.multigammaln(POS.astype(np.float64) + 2, d), rtol=2e-5)
    np.testing.assert_allclose(to_numpy(pss.bernoulli(10)), sps.bernoulli(10), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(to_numpy(pss.comb(as_backend(xp, np.float32(4)), 2.0, repetition=True)),
                               sps.comb(4, 2, repetition=True), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(pss.log_softmax(x)), np.asarray(jss.log_softmax(POS)), rtol=1e-6)


def test_errors_as_jax(xp):
    x = as_backend(xp, POS)
    with pytest.raises(ValueError, match="integer type"):
        pss.polygamma(1.0, x)
    with pytest.raises(NotImplementedError, match="Riemann"):
        pss.zeta(x)
    with pytest.raises(NotImplementedError, match="exact=True"):
        pss.factorial(x, exact=True)
    with pytest.raises(ValueError, match="non-negative"):
        pss.bernoulli(-1)
    with pytest.raises(TypeError, match="static"):
        pss.multigammaln(x, 2.0)


def test_betainc(xp):
    a, b, x = (np.array(v, np.float32) for v in ([0.5, 2.0, 5.0], [1.5, 3.0, 0.5], [0.2, 0.5, 0.9]))
    np.testing.assert_allclose(to_numpy(pss.betainc(*(as_backend(xp, v) for v in (a, b, x)))), sps.betainc(a, b, x),
                               rtol=2e-5)


@pytest.mark.parametrize("name", ["gamma", "loggamma", "factorial", "i0", "i1", "erfcx", "beta", "poch", "comb",
                                  "rel_entr", "kl_div", "boxcox", "boxcox1p", "gammainc"])
def test_gradients_match_jax(backend, name):
    points = np.array([0.3, 1.2, 2.5, 4.0], np.float32)
    second = np.array([1.5, 0.7, 2.0, 1.0], np.float32)
    if name in ("gamma", "loggamma", "factorial", "i0", "i1", "erfcx"):
        got = portax.vmap(portax.grad(getattr(pss, name)))(as_backend(portax.numpy, points))
        expected = jax.vmap(jax.grad(getattr(jss, name)))(points)
    else:  # in the argument torch differentiates (gammainc: x only), the other one fixed per element
        first = name in ("comb", "boxcox", "boxcox1p")

        def split(module, v, s):
            return getattr(module, name)(v + 3, s) if first else getattr(module, name)(s, v)

        got = portax.vmap(portax.grad(lambda v, s: split(pss, v, s)))(*(as_backend(portax.numpy, a)
                                                                         for a in (points, second)))
        expected = jax.vmap(jax.grad(lambda v, s: split(jss, v, s)))(points, second)
    np.testing.assert_allclose(to_numpy(got), np.asarray(expected), rtol=2e-4, atol=1e-5)
    assert float(to_numpy(portax.grad(lambda v: pss.polygamma(1, v))(2.0))) == pytest.approx(
        float(jax.grad(lambda v: jss.polygamma(1, v))(2.0)), rel=1e-5)


def test_jit_of_a_composite(xp):
    x = as_backend(xp, POS)

    def fn(module, v):
        return module.gamma(v) + module.comb(v + 4, 2.0) + module.kl_div(v, v + 1) + module.multigammaln(v + 2, 2)

    expected = np.asarray(fn(jss, POS))
    np.testing.assert_allclose(to_numpy(portax.jit(lambda v: fn(pss, v))(x)), expected, rtol=2e-5, atol=1e-6)
    grad = portax.jit(portax.grad(lambda v: portax.numpy.sum(fn(pss, v))))(x)
    np.testing.assert_allclose(to_numpy(grad), np.asarray(jax.grad(lambda v: fn(jss, v).sum())(POS)), rtol=2e-4)
