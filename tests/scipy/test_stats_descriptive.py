"""``scipy.stats.mode/rankdata/sem``, ``poisson.entropy`` and ``truncnorm`` against SciPy and real JAX."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.stats as pst
import pytest
import scipy.stats as ss
from helpers import to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)

DATA = np.array([[3, 1, 2, 2, 5, 1], [4, 4, 1, 3, 3, 4], [2, 2, 2, 7, 7, 7]], np.int32)
TIES = np.array([[1.0, 3.0, 2.0, 3.0, np.nan, 2.0], [0.5, 0.5, 0.5, -1.0, 4.0, 2.0]], np.float32)


def _first_fast(cases: list) -> list:
    """The first case runs by default; the others are the slow sweep (``PORTAX_TEST_SLOW=1``), to keep the suite fast."""
    return [c if i == 0 else pytest.param(*(c if isinstance(c, tuple) else (c,)), marks=pytest.mark.slow)
            for i, c in enumerate(cases)]


@pytest.mark.parametrize("axis", _first_fast([1, 0, -1, None]))
@pytest.mark.parametrize("keepdims", _first_fast([False, True]))
def test_mode_matches_scipy(xp, axis, keepdims):
    got = pst.mode(xp.asarray(DATA), axis=axis, keepdims=keepdims)
    expected = ss.mode(DATA, axis=axis, keepdims=keepdims)
    np.testing.assert_array_equal(to_numpy(got.mode), expected.mode)
    np.testing.assert_array_equal(to_numpy(got.count), expected.count)
    assert to_numpy(got.mode).dtype == np.int32 and to_numpy(got.count).dtype == np.int32


def test_mode_nan_jit_vmap_and_errors(xp):
    jst = pytest.importorskip("jax.scipy.stats")
    values = np.array([np.nan, 1.0, np.nan, 2.0, 2.0, np.nan], np.float32)
    got = pst.mode(xp.asarray(values))
    expected = jst.mode(values)
    np.testing.assert_array_equal(to_numpy(got.mode), np.asarray(expected.mode))
    np.testing.assert_array_equal(to_numpy(got.count), np.asarray(expected.count))
    rows = portax.jit(portax.vmap(lambda row: pst.mode(row).mode))(xp.asarray(DATA))
    np.testing.assert_array_equal(to_numpy(rows), ss.mode(DATA, axis=1).mode)
    with pytest.raises(ValueError, match="nan_policy"):
        pst.mode(xp.asarray(DATA), nan_policy="ignore")
    with pytest.raises(NotImplementedError):
        pst.mode(xp.asarray(DATA), nan_policy="omit")


@pytest.mark.parametrize("method", _first_fast(["average", "min", "max", "dense", "ordinal"]))
def test_rankdata_matches_scipy(xp, method):
    finite = np.nan_to_num(TIES, nan=3.0)
    got = pst.rankdata(xp.asarray(finite), method)
    assert to_numpy(got).dtype == np.float32
    np.testing.assert_array_equal(to_numpy(got), ss.rankdata(finite, method))
    got = pst.rankdata(xp.asarray(TIES), method, axis=1)  # a slice holding a NaN ranks as NaN (nan_policy=propagate)
    np.testing.assert_array_equal(to_numpy(got), ss.rankdata(TIES, method, axis=1))
    got = pst.rankdata(xp.asarray(DATA), method, axis=0)
    np.testing.assert_array_equal(to_numpy(got), ss.rankdata(DATA, method, axis=0))


def test_rankdata_jit_and_errors(xp):
    got = portax.jit(lambda a: pst.rankdata(a, axis=-1))(xp.asarray(DATA))
    np.testing.assert_array_equal(to_numpy(got), ss.rankdata(DATA, axis=-1))
    with pytest.raises(ValueError, match="unknown method"):
        pst.rankdata(xp.asarray(DATA), "first")
    with pytest.raises(NotImplementedError):
        pst.rankdata(xp.asarray(DATA), nan_policy="raise")


@pytest.mark.parametrize(("axis", "ddof", "nan_policy"), _first_fast([(1, 1, "omit"), (0, 1, "propagate"),
                                                                      (1, 0, "propagate"), (None, 1, "propagate")]))
def test_sem_matches_scipy_with_grad(xp, axis, ddof, nan_policy):
    got = pst.sem(xp.asarray(TIES), axis=axis, ddof=ddof, nan_policy=nan_policy)
    expected = ss.sem(TIES.astype(np.float64), axis=axis, ddof=ddof, nan_policy=nan_policy)
    np.testing.assert_allclose(to_numpy(got), np.asarray(expected), rtol=2e-5, equal_nan=True)
    ints = pst.sem(xp.asarray(DATA), axis=1, keepdims=True)
    assert to_numpy(ints).dtype == np.float32 and tuple(ints.shape) == (3, 1)
    x = TIES[1]
    grad = portax.grad(lambda v: pst.sem(v))(xp.asarray(x))
    n = x.size  # d/dx_i std/sqrt(n) = (x_i - mean) / ((n - 1) std sqrt(n))
    np.testing.assert_allclose(to_numpy(grad), (x - x.mean()) / ((n - 1) * x.std(ddof=1) * np.sqrt(n)), rtol=1e-4)


def test_poisson_entropy_matches_scipy(xp):
    mu = np.array([0.0, 0.3, 1.0, 5.0, 9.9, 10.0, 42.0, 99.0, 100.0, 1000.0], np.float32)
    got = pst.poisson.entropy(xp.asarray(mu))
    np.testing.assert_allclose(to_numpy(got), ss.poisson.entropy(mu.astype(np.float64)), rtol=2e-5, atol=1e-6)
    got = portax.jit(lambda m: pst.poisson.entropy(m, loc=xp.zeros((2, 1))))(xp.asarray(mu[:3]))
    assert tuple(got.shape) == (2, 3)


TRUNC_X = np.array([-3.0, -1.0, -0.5, 0.0, 0.3, 1.2, 2.0, 5.0], np.float32)
TRUNC_AB = [(-1.0, 1.5), (0.5, 3.0), (-8.0, -2.0), (2.0, 10.0), (1.0, 1.0)]


@pytest.mark.parametrize("name", _first_fast(["logcdf", "logpdf", "pdf", "cdf", "sf", "logsf"]))
@pytest.mark.parametrize(("a", "b"), _first_fast(TRUNC_AB))
def test_truncnorm_matches_scipy(xp, name, a, b):
    x = TRUNC_X * 2 + 1
    got = getattr(pst.truncnorm, name)(xp.asarray(x), a, b, loc=1.0, scale=2.0)
    assert to_numpy(got).dtype == np.float32
    if a >= b:  # JAX: NaN for an empty interval
        assert np.isnan(to_numpy(got)).all()
        return
    expected = getattr(ss.truncnorm, name)(x.astype(np.float64), a, b, loc=1.0, scale=2.0)
    finite = np.isfinite(expected)
    np.testing.assert_allclose(to_numpy(got)[finite], expected[finite], rtol=2e-4, atol=2e-6)
    np.testing.assert_array_equal(to_numpy(got)[~finite], expected[~finite])


def test_truncnorm_grad_jit_vmap(xp):
    x = np.array([-0.5, 0.0, 0.7], np.float32)
    got = portax.jit(portax.grad(lambda v, s: pst.truncnorm.logpdf(v, -1.0, 2.0, 0.1, s).sum(), argnums=(0, 1)))(
        xp.asarray(x), xp.asarray(np.float32(1.5)))
    step = 1e-4  # central differences of SciPy's log density
    logpdf = lambda v, s: ss.truncnorm.logpdf(v, -1.0, 2.0, 0.1, s)  # noqa: E731
    want_x = (logpdf(x + step, 1.5) - logpdf(x - step, 1.5)) / (2 * step)
    want_s = ((logpdf(x, 1.5 + step) - logpdf(x, 1.5 - step)) / (2 * step)).sum()
    np.testing.assert_allclose(to_numpy(got[0]), want_x, rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(to_numpy(got[1]), want_s, rtol=1e-3, atol=1e-4)
    got = portax.vmap(lambda v: pst.truncnorm.cdf(v, -1.0, 2.0))(xp.asarray(x))
    np.testing.assert_allclose(to_numpy(got), ss.truncnorm.cdf(x.astype(np.float64), -1.0, 2.0), rtol=1e-5)
