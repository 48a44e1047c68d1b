"""portax.scipy.stats.gaussian_kde against scipy.stats.gaussian_kde and real JAX (resample draws), all backends."""

from __future__ import annotations

import numpy as np
import portax
import pytest
import scipy.stats as sst
from helpers import as_backend, to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)
from portax.scipy.stats import gaussian_kde

RNG = np.random.default_rng(0)
DATA_1D = RNG.normal(size=30).astype(np.float32)
DATA_2D = RNG.normal(size=(2, 40)).astype(np.float32)
WEIGHTS = RNG.random(40).astype(np.float32) + 0.1
TOL = {"rtol": 2e-4, "atol": 1e-6}


@pytest.mark.parametrize("bw_method", [None, "silverman", 0.4])
def test_evaluate_matches_scipy(xp, bw_method):
    points = np.linspace(-3, 3, 7).astype(np.float32)
    kde, ref = gaussian_kde(as_backend(xp, DATA_1D), bw_method=bw_method), sst.gaussian_kde(DATA_1D, bw_method)
    for method in ("evaluate", "pdf", "logpdf", "__call__"):
        got = to_numpy(getattr(kde, method)(as_backend(xp, points)))
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, getattr(ref, method)(points), **TOL)
    np.testing.assert_allclose(to_numpy(kde.covariance), ref.covariance, **TOL)
    np.testing.assert_allclose(float(to_numpy(kde.integrate_box_1d(-1.0, 0.5))), ref.integrate_box_1d(-1.0, 0.5),
                               **TOL)


def test_weighted_2d_and_integrals(xp):
    kde = gaussian_kde(as_backend(xp, DATA_2D), weights=as_backend(xp, WEIGHTS))
    ref = sst.gaussian_kde(DATA_2D, weights=WEIGHTS)
    points = RNG.normal(size=(2, 5)).astype(np.float32)
    np.testing.assert_allclose(to_numpy(kde.evaluate(as_backend(xp, points))), ref.evaluate(points), **TOL)
    np.testing.assert_allclose(to_numpy(kde.logpdf(as_backend(xp, points))), ref.logpdf(points), **TOL)
    np.testing.assert_allclose(float(to_numpy(kde.neff)), ref.neff, rtol=1e-5)
    mean, cov = np.array([0.2, -0.1], np.float32), np.array([[1.0, 0.3], [0.3, 0.5]], np.float32)
    np.testing.assert_allclose(float(to_numpy(kde.integrate_gaussian(as_backend(xp, mean), as_backend(xp, cov)))),
                               ref.integrate_gaussian(mean, cov), **TOL)
    other = gaussian_kde(as_backend(xp, DATA_2D[:, :25] + 0.5))
    np.testing.assert_allclose(float(to_numpy(kde.integrate_kde(other))),
                               ref.integrate_kde(sst.gaussian_kde(DATA_2D[:, :25] + 0.5)), **TOL)


def test_resample_equals_jax_draws(xp):
    jax = pytest.importorskip("jax")
    import jax.scipy.stats as jst

    kde = gaussian_kde(as_backend(xp, DATA_2D), weights=as_backend(xp, WEIGHTS))
    got = to_numpy(kde.resample(portax.random.key(3), shape=(6,)))
    expected = np.asarray(jst.gaussian_kde(DATA_2D, weights=WEIGHTS).resample(jax.random.key(3), shape=(6,)))
    assert got.shape == (2, 6)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


def test_errors_as_jax(xp):
    with pytest.raises(ValueError, match="multiple elements"):
        gaussian_kde(as_backend(xp, np.ones(1, np.float32)))
    with pytest.raises(ValueError, match="length n"):
        gaussian_kde(as_backend(xp, DATA_1D), weights=as_backend(xp, np.ones(3, np.float32)))
    with pytest.raises(ValueError, match="bw_method"):
        gaussian_kde(as_backend(xp, DATA_1D), bw_method="wide")
    kde = gaussian_kde(as_backend(xp, DATA_2D))
    with pytest.raises(ValueError, match="dimension"):
        kde.evaluate(as_backend(xp, np.ones((3, 2), np.float32)))
    with pytest.raises(ValueError, match="only handles 1D"):
        kde.integrate_box_1d(0.0, 1.0)
    with pytest.raises(NotImplementedError):
        kde.set_bandwidth("scott")


def test_grad_jit_and_vmap(xp):
    jax = pytest.importorskip("jax")
    import jax.scipy.stats as jst

    points = np.linspace(-2, 2, 5).astype(np.float32)

    def loss(module, data, x):
        return module.gaussian_kde(data).logpdf(x).sum()

    expected = jax.grad(lambda d: loss(jst, d, points))(DATA_1D)
    got = portax.jit(portax.grad(lambda d, x: portax.numpy.sum(gaussian_kde(d).logpdf(x))))(
        as_backend(xp, DATA_1D), as_backend(xp, points))
    np.testing.assert_allclose(to_numpy(got), np.asarray(expected), rtol=1e-3, atol=1e-5)
    kde = gaussian_kde(as_backend(xp, DATA_1D))
    per_point = portax.vmap(lambda k, x: k.evaluate(x)[0], in_axes=(None, 0))(kde, as_backend(xp, points))
    np.testing.assert_allclose(to_numpy(per_point), sst.gaussian_kde(DATA_1D).evaluate(points), **TOL)
    jitted = portax.jit(lambda k, x: k.pdf(x))(kde, as_backend(xp, points))
    np.testing.assert_allclose(to_numpy(jitted), sst.gaussian_kde(DATA_1D).evaluate(points), **TOL)
