"""portax.scipy.special against scipy.special (values) and real JAX (gradient conventions), on every backend."""

from __future__ import annotations

import warnings

import numpy as np
import portax
import portax.scipy.special as pss
import pytest
import scipy.special as sps
from helpers import as_backend, to_numpy

X = np.array([-3.0, -0.5, 0.0, 0.25, 1.0, 4.0], np.float32)
POS = np.array([0.1, 0.5, 1.0, 2.5, 10.0], np.float32)
PROB = np.array([1e-6, 0.02, 0.3, 0.5, 0.9, 0.999], np.float32)
EDGE = np.array([0.0, np.inf, -np.inf, np.nan], np.float32)

UNARY = [
    ("erf", X, sps.erf),
    ("erfc", X, sps.erfc),
    ("erfinv", np.array([-0.9, 0.0, 0.5, 0.99], np.float32), sps.erfinv),
    ("expit", X, sps.expit),
    ("logit", PROB, sps.logit),
    ("gammaln", POS, sps.gammaln),
    ("digamma", POS, sps.digamma),
    ("ndtr", X, sps.ndtr),
    ("ndtri", PROB, sps.ndtri),
    ("log_ndtr", np.array([-30.0, -12.0, -3.0, 0.0, 5.0], np.float32), sps.log_ndtr),
    ("i0e", X, sps.i0e),
    ("i1e", X, sps.i1e),
    ("entr", np.array([-1.0, 0.0, 0.5, 1.0, 3.0], np.float32), sps.entr),
]


@pytest.mark.parametrize(("name", "values", "reference"), UNARY, ids=[u[0] for u in UNARY])
def test_unary_matches_scipy(xp, name, values, reference):
    out = getattr(pss, name)(as_backend(xp, values))
    assert portax.backend_of(out) is portax.current_backend()
    assert to_numpy(out).dtype == np.float32
    np.testing.assert_allclose(to_numpy(out), reference(values.astype(np.float64)), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("name", ["erf", "erfc", "expit", "ndtr", "log_ndtr", "i0e"])
def test_unary_edge_values(xp, name):
    reference = getattr(sps, name)
    with np.errstate(all="ignore"):
        expected = reference(EDGE.astype(np.float64))
    np.testing.assert_allclose(to_numpy(getattr(pss, name)(as_backend(xp, EDGE))), expected, rtol=1e-6)


def test_integer_inputs_promote_to_float32(xp):
    out = pss.gammaln(as_backend(xp, np.array([1, 2, 5], np.int32)))
    assert to_numpy(out).dtype == np.float32
    np.testing.assert_allclose(to_numpy(out), sps.gammaln([1, 2, 5]), rtol=1e-6, atol=1e-6)


def test_betaln(xp):
    a, b = np.meshgrid(POS, POS)
    out = pss.betaln(as_backend(xp, a), as_backend(xp, b))
    np.testing.assert_allclose(to_numpy(out), sps.betaln(a, b), rtol=1e-5, atol=1e-5)


def test_xlogy_xlog1py_values(xp):
    x = np.array([0.0, 0.0, 0.0, 1.0, 2.0], np.float32)
    y = np.array([0.0, 1.0, np.inf, 3.0, 0.5], np.float32)
    np.testing.assert_allclose(to_numpy(pss.xlogy(as_backend(xp, x), as_backend(xp, y))), sps.xlogy(x, y), rtol=1e-6)
    y1 = np.array([-1.0, 0.0, 2.0, 3.0, -0.5], np.float32)
    np.testing.assert_allclose(to_numpy(pss.xlog1py(as_backend(xp, x), as_backend(xp, y1))), sps.xlog1py(x, y1), rtol=1e-6)


# JAX 0.10's custom JVP of xlogy: d/dx = log(y), d/dy = x / y, also at x == 0 (torch's own xlogy gives 0 for d/dx).
XLOGY_POINTS = [(0.0, 0.0), (0.0, 2.0), (1.5, 2.0), (2.0, 0.0)]


@pytest.mark.parametrize(("x", "y"), XLOGY_POINTS)
def test_xlogy_gradient_follows_jax(backend, x, y):
    jax = pytest.importorskip("jax")
    expected = [float(g) for g in jax.grad(jax.scipy.special.xlogy, argnums=(0, 1))(x, y)]
    got = [float(to_numpy(g)) for g in portax.grad(pss.xlogy, argnums=(0, 1))(x, y)]
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_xlog1py_and_entr_gradients_follow_jax(backend):
    jax = pytest.importorskip("jax")
    for x, y in [(0.0, -1.0), (0.0, 1.0), (2.0, 0.5)]:
        expected = [float(g) for g in jax.grad(jax.scipy.special.xlog1py, argnums=(0, 1))(x, y)]
        got = [float(to_numpy(g)) for g in portax.grad(pss.xlog1py, argnums=(0, 1))(x, y)]
        np.testing.assert_allclose(got, expected, rtol=1e-6)
    for x in [0.0, 0.5, 2.0]:
        assert float(to_numpy(portax.grad(pss.entr)(x))) == pytest.approx(float(jax.grad(jax.scipy.special.entr)(x)))


@pytest.mark.parametrize("name", ["erf", "erfinv", "expit", "logit", "gammaln", "digamma", "ndtr", "ndtri",
                                  "log_ndtr", "i0e", "i1e"])
def test_unary_gradients_match_jax(backend, name):
    jax = pytest.importorskip("jax")
    point = 0.3
    expected = float(jax.grad(getattr(jax.scipy.special, name))(point))
    assert float(to_numpy(portax.grad(getattr(pss, name))(point))) == pytest.approx(expected, rel=1e-5)


def test_logsumexp_matches_scipy(xp):
    a = np.array([[0.0, 1000.0, -2.0], [1.0, 2.0, 3.0]], np.float32)
    b = np.array([[1.0, 0.5, 0.0], [2.0, -1.0, 1.0]], np.float32)
    for axis in (None, 0, 1, (0, 1)):
        np.testing.assert_allclose(to_numpy(pss.logsumexp(as_backend(xp, a), axis=axis)), sps.logsumexp(a, axis=axis), rtol=1e-6)
    out = pss.logsumexp(as_backend(xp, a), axis=1, b=as_backend(xp, b), keepdims=True)
    np.testing.assert_allclose(to_numpy(out), sps.logsumexp(a, axis=1, b=b, keepdims=True), rtol=1e-6)
    value, sign = pss.logsumexp(as_backend(xp, a), axis=1, b=as_backend(xp, -b), return_sign=True)
    ref_value, ref_sign = sps.logsumexp(a, axis=1, b=-b, return_sign=True)
    np.testing.assert_allclose(to_numpy(value), ref_value, rtol=1e-6)
    np.testing.assert_array_equal(to_numpy(sign), ref_sign)
    assert np.isnan(to_numpy(pss.logsumexp(as_backend(xp, a[1]), b=as_backend(xp, -b[1]))))  # negative sum: NaN
    edge = to_numpy(pss.logsumexp(as_backend(xp, np.array([-np.inf, -np.inf], np.float32))))
    assert edge == -np.inf


def test_logsumexp_where_and_grad(backend):
    jax = pytest.importorskip("jax")
    a = np.array([0.5, 1000.0, -3.0], np.float32)
    where = np.array([True, False, True])
    out = pss.logsumexp(as_backend(portax.numpy, a), where=as_backend(portax.numpy, where))
    assert float(to_numpy(out)) == pytest.approx(float(sps.logsumexp(a[where])), rel=1e-6)
    expected = jax.grad(jax.scipy.special.logsumexp)(a)
    np.testing.assert_allclose(to_numpy(portax.grad(pss.logsumexp)(as_backend(portax.numpy, a))), expected, atol=1e-7)


def test_vmap_and_jit(xp):
    a = np.array([[0.0, 1.0], [2.0, 0.5], [1.0, 1.0]], np.float32)
    y = np.array([0.0, 2.0, 3.0], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", portax.errors.CompileFallbackWarning)  # torch: xlogy's rule runs uncompiled
        out = portax.vmap(pss.logsumexp)(as_backend(xp, a))
        np.testing.assert_allclose(to_numpy(out), sps.logsumexp(a, axis=1), rtol=1e-6)
        fn = portax.jit(lambda v: pss.ndtr(v) + pss.gammaln(v + 1) + pss.logsumexp(v))
        np.testing.assert_allclose(to_numpy(fn(as_backend(xp, y))),
                                   sps.ndtr(y) + sps.gammaln(y + 1) + sps.logsumexp(y), rtol=1e-5)
        grads = portax.vmap(portax.grad(pss.xlogy))(as_backend(xp, np.zeros(3, np.float32)), as_backend(xp, y))
        with np.errstate(divide="ignore"):
            np.testing.assert_allclose(to_numpy(grads), np.log(y), rtol=1e-6)


def test_log_ndtr_series_order_checked(xp):
    with pytest.raises(ValueError, match="series_order"):
        pss.log_ndtr(as_backend(xp, X), series_order=31)
