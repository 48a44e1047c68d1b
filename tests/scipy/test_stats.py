"""portax.scipy.stats against scipy.stats (values, edges of the support) and real JAX (gradients), every backend."""

from __future__ import annotations

import warnings

import numpy as np
import portax
import portax.scipy.stats as pst
import pytest
import scipy.stats as ss
from helpers import as_backend, to_numpy

X = np.array([-2.5, -0.5, 0.0, 0.3, 0.9, 1.0, 2.0, 7.0], np.float32)
K = np.array([-1.0, 0.0, 1.0, 2.0, 3.5, 7.0], np.float32)

# (distribution, method, portax params, scipy frozen distribution, points)
CONTINUOUS = [
    ("norm", (0.5, 2.0), ss.norm(0.5, 2.0), ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf")),
    ("uniform", (-0.5, 1.5), ss.uniform(-0.5, 1.5), ("logpdf", "pdf", "cdf")),
    ("expon", (0.0, 2.0), ss.expon(0.0, 2.0), ("logpdf", "pdf", "cdf", "logcdf")),
    ("laplace", (0.5, 1.5), ss.laplace(0.5, 1.5), ("logpdf", "pdf", "cdf")),
    ("cauchy", (0.5, 1.5), ss.cauchy(0.5, 1.5), ("logpdf", "pdf", "cdf", "logcdf")),
    ("gamma", (2.5, 0.0, 1.5), ss.gamma(2.5, 0.0, 1.5), ("logpdf", "pdf", "cdf")),
    ("beta", (2.0, 3.0), ss.beta(2.0, 3.0), ("logpdf", "pdf")),
    ("t", (3.0, 0.5, 2.0), ss.t(3.0, 0.5, 2.0), ("logpdf", "pdf")),
]


@pytest.mark.parametrize(("dist", "params", "frozen", "methods"), CONTINUOUS, ids=[c[0] for c in CONTINUOUS])
def test_continuous_matches_scipy(xp, dist, params, frozen, methods):
    x = as_backend(xp, X)
    for method in methods:
        out = getattr(getattr(pst, dist), method)(x, *params)
        assert to_numpy(out).dtype == np.float32, method
        with np.errstate(all="ignore"):
            expected = getattr(frozen, method)(X.astype(np.float64))
        np.testing.assert_allclose(to_numpy(out), expected, rtol=3e-5, atol=1e-6, err_msg=f"{dist}.{method}")


def test_norm_ppf_isf_and_tail(xp):
    q = np.array([1e-6, 0.1, 0.5, 0.975], np.float32)
    np.testing.assert_allclose(to_numpy(pst.norm.ppf(as_backend(xp, q), 1.0, 2.0)), ss.norm(1.0, 2.0).ppf(q), rtol=2e-5)
    # isf is ndtri(1 - q) as in JAX: float32 loses a tiny q in 1 - q, so only moderate q are compared
    np.testing.assert_allclose(to_numpy(pst.norm.isf(as_backend(xp, q[1:]))), ss.norm.isf(q[1:]), rtol=2e-5)
    tail = np.array([-40.0, -15.0], np.float32)
    np.testing.assert_allclose(to_numpy(pst.norm.logcdf(as_backend(xp, tail))), ss.norm.logcdf(tail), rtol=1e-5)


@pytest.mark.parametrize(
    ("dist", "params", "frozen"),
    [("bernoulli", (0.3,), ss.bernoulli(0.3)), ("poisson", (2.5,), ss.poisson(2.5))],
)
def test_discrete_matches_scipy(xp, dist, params, frozen):
    k = as_backend(xp, K)
    module = getattr(pst, dist)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(to_numpy(module.logpmf(k, *params)), frozen.logpmf(K), rtol=2e-5)
        np.testing.assert_allclose(to_numpy(module.pmf(k, *params)), frozen.pmf(K), rtol=2e-5, atol=1e-7)
        np.testing.assert_allclose(to_numpy(module.cdf(k, *params)), frozen.cdf(K), rtol=2e-5, atol=1e-7)
    ints = module.logpmf(as_backend(xp, np.array([0, 1, 2], np.int32)), *params)
    assert to_numpy(ints).dtype == np.float32


def test_multivariate_normal_matches_scipy(xp):
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 3))
    cov = (a @ a.T + 3 * np.eye(3)).astype(np.float32)
    mean = np.array([0.5, -1.0, 2.0], np.float32)
    points = rng.normal(size=(4, 2, 3)).astype(np.float32)
    out = pst.multivariate_normal.logpdf(as_backend(xp, points), as_backend(xp, mean), as_backend(xp, cov))
    np.testing.assert_allclose(to_numpy(out), ss.multivariate_normal(mean, cov).logpdf(points), rtol=2e-5)
    scalar_cov = pst.multivariate_normal.pdf(as_backend(xp, points[0]), as_backend(xp, mean), 2.0)
    np.testing.assert_allclose(to_numpy(scalar_cov), ss.multivariate_normal(mean, 2.0).pdf(points[0]), rtol=2e-5)
    with pytest.raises(ValueError, match="vmap"):
        pst.multivariate_normal.logpdf(as_backend(xp, points), as_backend(xp, mean), as_backend(xp, np.stack([cov] * 4)))


def test_likelihood_gradient_jit_and_vmap(xp):
    jax = pytest.importorskip("jax")
    data = np.array([0.3, -1.2, 2.0, 0.7, 1.1], np.float32)

    def nll(params, d):
        return -portax.numpy.sum(pst.norm.logpdf(d, params[0], portax.numpy.exp(params[1])))

    def nll_jax(params, d):
        return -jax.scipy.stats.norm.logpdf(d, params[0], jax.numpy.exp(params[1])).sum()

    params = np.array([0.2, -0.3], np.float32)
    expected = np.asarray(jax.grad(nll_jax)(params, data))
    got = portax.jit(portax.grad(nll))(as_backend(xp, params), as_backend(xp, data))
    np.testing.assert_allclose(to_numpy(got), expected, rtol=1e-5)
    batched = portax.vmap(lambda p: nll(p, as_backend(xp, data)))(as_backend(xp, np.stack([params, params * 2])))
    np.testing.assert_allclose(to_numpy(batched), [nll_jax(params, data), nll_jax(params * 2, data)], rtol=1e-6)


def test_discrete_gradients_follow_jax(backend):
    jax = pytest.importorskip("jax")
    # d/dp at k = 0 and k = 1 goes through xlogy/xlog1py at x == 0: JAX's rules.
    for k in (0.0, 1.0):
        expected = float(jax.grad(jax.scipy.stats.bernoulli.logpmf, argnums=1)(k, 0.3))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", portax.errors.CompileFallbackWarning)
            got = float(to_numpy(portax.grad(pst.bernoulli.logpmf, argnums=1)(k, 0.3)))
        assert got == pytest.approx(expected, rel=1e-6)
    expected = float(jax.grad(jax.scipy.stats.poisson.logpmf, argnums=1)(0.0, 2.5))
    assert float(to_numpy(portax.grad(pst.poisson.logpmf, argnums=1)(0.0, 2.5))) == pytest.approx(expected)


def test_beta_cdf_on_every_backend(xp):
    x = as_backend(xp, np.array([0.2, 0.5], np.float32))
    np.testing.assert_allclose(to_numpy(pst.beta.cdf(x, 2.0, 3.0)), ss.beta(2.0, 3.0).cdf([0.2, 0.5]), rtol=1e-5)
