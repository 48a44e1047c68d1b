"""Every sampler draws from the distribution it names (moments and Kolmogorov-Smirnov tests via SciPy).

Sizes are small (the suite shares small machines); the KS threshold is p > 1e-4 with fixed keys, so the tests are
deterministic. Loop-based samplers (gamma, beta, dirichlet) use a few hundred draws.
"""

from __future__ import annotations

import numpy as np
import portax.random as prandom
import pytest
from helpers import assert_native, to_numpy

scipy_stats = pytest.importorskip("scipy.stats")

N = 4000
P_MIN = 1e-4


def _key(seed: int = 0):
    return prandom.key(seed)


def _ks(samples, cdf, *args) -> None:
    result = scipy_stats.kstest(np.asarray(samples, np.float64).ravel(), cdf, args=args)
    assert result.pvalue > P_MIN, result


@pytest.mark.parametrize(
    ("name", "cdf", "args"),
    [
        ("uniform", "uniform", ()),
        ("normal", "norm", ()),
        ("exponential", "expon", ()),
        ("laplace", "laplace", ()),
        ("logistic", "logistic", ()),
        ("cauchy", "cauchy", ()),
        ("gumbel", "gumbel_r", ()),
    ],
)
def test_continuous_ks(xp, name, cdf, args):
    samples = getattr(prandom, name)(_key(1), (N,))
    assert_native(samples)
    assert to_numpy(samples).dtype == np.float32
    _ks(to_numpy(samples), cdf, *args)


def test_uniform_range_and_dtype(xp):
    samples = to_numpy(prandom.uniform(_key(2), (N,), minval=-2.0, maxval=3.0))
    assert samples.min() >= -2.0 and samples.max() < 3.0
    _ks(samples, "uniform", -2.0, 5.0)


def test_truncated_normal(xp):
    samples = to_numpy(prandom.truncated_normal(_key(3), -1.0, 2.0, (N,)))
    assert samples.min() > -1.0 and samples.max() < 2.0
    _ks(samples, "truncnorm", -1.0, 2.0)


def test_bernoulli_mean(xp):
    samples = to_numpy(prandom.bernoulli(_key(4), 0.3, (N,)))
    assert samples.dtype == np.bool_
    assert abs(samples.mean() - 0.3) < 4 * np.sqrt(0.3 * 0.7 / N)


def test_rademacher(xp):
    samples = to_numpy(prandom.rademacher(_key(5), (N,)))
    assert set(np.unique(samples)) == {-1, 1} and samples.dtype == np.int32
    assert abs(samples.mean()) < 4 / np.sqrt(N)


def test_randint_uniform_counts(xp):
    samples = to_numpy(prandom.randint(_key(6), (N,), 3, 10))
    assert samples.dtype == np.int32 and samples.min() >= 3 and samples.max() < 10
    counts = np.bincount(samples - 3, minlength=7)
    assert scipy_stats.chisquare(counts).pvalue > P_MIN


def test_categorical_frequencies(xp):
    probabilities = np.array([0.1, 0.2, 0.3, 0.4], np.float32)
    logits = xp.asarray(np.log(probabilities))
    samples = to_numpy(prandom.categorical(_key(7), logits, shape=(N,)))
    counts = np.bincount(samples, minlength=4)
    assert scipy_stats.chisquare(counts, probabilities * N).pvalue > P_MIN


def test_permutation_is_a_permutation(xp):
    perm = to_numpy(prandom.permutation(_key(8), 100))
    np.testing.assert_array_equal(np.sort(perm), np.arange(100))
    assert not np.array_equal(perm, np.arange(100))


def test_choice_without_replacement_is_unique(xp):
    picks = to_numpy(prandom.choice(_key(9), 20, (10,), replace=False))
    assert len(np.unique(picks)) == 10


def test_choice_with_p_frequencies(xp):
    p = np.array([0.5, 0.25, 0.25], np.float32)
    picks = to_numpy(prandom.choice(_key(10), 3, (N,), p=xp.asarray(p)))
    assert scipy_stats.chisquare(np.bincount(picks, minlength=3), p * N).pvalue > P_MIN


@pytest.mark.parametrize("a", [0.5, 3.0])
def test_gamma_ks(xp, a):
    samples = to_numpy(prandom.gamma(_key(11), a, (300,)))
    _ks(samples, "gamma", a)


def test_beta_ks(xp):
    samples = to_numpy(prandom.beta(_key(12), 2.0, 3.0, (200,)))
    _ks(samples, "beta", 2.0, 3.0)


def test_dirichlet_mean(xp):
    alpha = np.array([1.0, 2.0, 3.0], np.float32)
    samples = to_numpy(prandom.dirichlet(_key(13), xp.asarray(alpha), (100,)))
    assert samples.shape == (100, 3)
    np.testing.assert_allclose(samples.sum(-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(samples.mean(0), alpha / alpha.sum(), atol=0.06)


@pytest.mark.parametrize("lam", [3.0, 40.0])
def test_poisson_mean_and_variance(xp, lam):
    samples = to_numpy(prandom.poisson(_key(14), lam, (N,)))
    assert samples.dtype == np.int32
    assert abs(samples.mean() - lam) < 5 * np.sqrt(lam / N)
    assert abs(samples.var() / lam - 1) < 0.15


def test_multivariate_normal_covariance(xp):
    mean = np.array([0.0, 1.0], np.float32)
    cov = np.array([[2.0, 0.6], [0.6, 1.0]], np.float32)
    samples = to_numpy(prandom.multivariate_normal(_key(15), xp.asarray(mean), xp.asarray(cov), (N,)))
    assert samples.shape == (N, 2)
    np.testing.assert_allclose(samples.mean(0), mean, atol=0.1)
    np.testing.assert_allclose(np.cov(samples.T), cov, atol=0.15)


def test_orthogonal_is_orthogonal(xp):
    q = to_numpy(prandom.orthogonal(_key(16), 4, (3,)))
    assert q.shape == (3, 4, 4)
    np.testing.assert_allclose(q @ np.swapaxes(q, -1, -2), np.broadcast_to(np.eye(4), (3, 4, 4)), atol=1e-5)


@pytest.mark.parametrize(
    ("name", "args", "cdf", "cdf_args"),
    [
        ("chisquare", (3.0,), "chi2", (3.0,)),
        ("f", (3.0, 5.0), "f", (3.0, 5.0)),
        ("t", (4.0,), "t", (4.0,)),
        ("pareto", (2.0,), "pareto", (2.0,)),
        ("lognormal", (0.5,), "lognorm", (0.5,)),
        ("rayleigh", (2.0,), "rayleigh", (0.0, 2.0)),
        ("wald", (1.5,), "invgauss", (1.5,)),
        ("triangular", (0.0, 1.0, 3.0), "triang", (1 / 3, 0.0, 3.0)),
        ("weibull_min", (2.0, 1.5), "weibull_min", (1.5, 0.0, 2.0)),
        ("generalized_normal", (1.5,), "gennorm", (1.5,)),
    ],
)
def test_more_continuous_ks(xp, name, args, cdf, cdf_args):
    samples = getattr(prandom, name)(_key(20), *args, shape=(N,))
    assert_native(samples)
    assert to_numpy(samples).dtype == np.float32
    _ks(to_numpy(samples), cdf, *cdf_args)


def test_maxwell_and_double_sided_maxwell(xp):
    _ks(to_numpy(prandom.maxwell(_key(21), (N,))), "maxwell")
    two_sided = to_numpy(prandom.double_sided_maxwell(_key(22), 0.0, 1.0, (N,)))
    _ks(np.abs(two_sided), "maxwell")
    assert abs(np.mean(two_sided > 0) - 0.5) < 4 * np.sqrt(0.25 / N)


def test_loggamma_is_log_of_gamma(xp):
    samples = to_numpy(prandom.loggamma(_key(23), 0.3, (N,)))
    _ks(np.exp(samples.astype(np.float64)), "gamma", 0.3)
    np.testing.assert_allclose(np.exp(samples[:50]), to_numpy(prandom.gamma(_key(23), 0.3, (N,)))[:50], rtol=1e-5)


@pytest.mark.parametrize(("n", "p"), [(20.0, 0.3), (200.0, 0.6)])
def test_binomial_moments(xp, n, p):
    samples = to_numpy(prandom.binomial(_key(24), n, p, (N,)))
    assert samples.dtype == np.float32 and samples.min() >= 0 and samples.max() <= n
    np.testing.assert_array_equal(samples, np.round(samples))
    assert abs(samples.mean() - n * p) < 5 * np.sqrt(n * p * (1 - p) / N)
    assert abs(samples.var() / (n * p * (1 - p)) - 1) < 0.15


def test_multinomial_counts(xp):
    p = np.array([0.2, 0.3, 0.5], np.float32)
    counts = to_numpy(prandom.multinomial(_key(25), 30.0, xp.asarray(p), shape=(500, 3)))
    np.testing.assert_array_equal(counts.sum(-1), 30.0)
    np.testing.assert_allclose(counts.mean(0), 30 * p, atol=0.5)


def test_geometric_mean(xp):
    samples = to_numpy(prandom.geometric(_key(26), 0.3, (N,)))
    assert samples.dtype == np.int32 and samples.min() >= 1
    assert abs(samples.mean() - 1 / 0.3) < 5 * np.sqrt(0.7 / 0.09 / N)


def test_ball_is_uniform_in_the_ball(xp):
    points = to_numpy(prandom.ball(_key(27), 3, shape=(N,)))
    radius = np.linalg.norm(points, axis=-1)
    assert points.shape == (N, 3) and radius.max() <= 1.0
    _ks(radius**3, "uniform")  # uniform in the 3-ball: r**3 is uniform on [0, 1]


def test_new_key_helpers(xp):
    key = _key(28)
    assert prandom.clone(key) is key
    assert prandom.key_impl(key) == "threefry2x32"
    assert prandom.key_dtype() == key.dtype
    with pytest.raises(prandom.InvalidKeyError):
        prandom.clone(np.zeros(3, np.float32))
