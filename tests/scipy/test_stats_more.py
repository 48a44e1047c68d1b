"""Every function of every portax.scipy.stats distribution against real JAX (edges too) and SciPy, all backends."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.stats as pst
import pytest
import scipy.stats as sst
from helpers import as_backend, to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)

jax = pytest.importorskip("jax")
jst = jax.scipy.stats

X = np.array([-2.5, -1.0, -0.0, 0.3, 1.0, 1.7, 3.0, 6.5], np.float32)
Q = np.array([-0.1, 0.0, 0.05, 0.3, 0.5, 0.9, 1.0, 1.5], np.float32)
K = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 2.5], np.float32)
ANGLE = np.array([-0.5, 0.0, 0.7, 2.0, 3.1, 5.0, 6.2, 7.0], np.float32)
# distribution -> (shape arguments, the first argument of each method kind)
CONTINUOUS = {
    "norm": (), "uniform": (), "expon": (), "cauchy": (), "laplace": (), "logistic": (), "gumbel_r": (),
    "gumbel_l": (), "chi2": (3.0,), "gamma": (2.5,), "beta": (2.0, 3.0), "t": (4.0,), "pareto": (2.5,),
    "gennorm": (1.5,), "vonmises": (2.0,), "wrapcauchy": (0.4,),
}
DISCRETE = {"poisson": (2.5,), "bernoulli": (0.3,), "geom": (0.4,), "binom": (5.0, 0.3), "nbinom": (3.0, 0.4),
            "betabinom": (6.0, 2.0, 3.0)}
QUANTILE = {"ppf", "isf"}
NO_LOC = {"gennorm", "vonmises", "wrapcauchy", "bernoulli"}  # JAX's signatures have no loc/scale
UNSUPPORTED_ON_TORCH: set[tuple[str, str]] = set()  # beta.cdf/sf/logcdf/logsf: lax.betainc on every backend


def public(module):
    return [name for name in getattr(module, "__all__", dir(module)) if not name.startswith("_")]


CASES = [(dist, method) for dist in [*CONTINUOUS, *DISCRETE] for method in public(getattr(pst, dist))
         if hasattr(getattr(jst, dist), method)  # portax's few extras (uniform.logcdf) have no JAX reference
         and method != "entropy"]  # poisson.entropy(mu, loc): another signature, tested in test_stats_descriptive.py


def test_every_jax_function_of_these_distributions_is_there():
    for dist in [*CONTINUOUS, *DISCRETE, "dirichlet", "multinomial", "multivariate_normal"]:
        missing = {n for n in dir(getattr(jst, dist)) if not n.startswith("_") and callable(getattr(getattr(jst, dist), n))}
        missing -= set(public(getattr(pst, dist)))
        assert not missing, (dist, missing)


@pytest.mark.parametrize(("dist", "method"), CASES, ids=[f"{d}.{m}" for d, m in CASES])
def test_matches_jax(xp, dist, method):
    shapes = CONTINUOUS.get(dist, DISCRETE.get(dist))
    first = Q if method in QUANTILE else ANGLE if dist in ("vonmises", "wrapcauchy") else K if dist in DISCRETE else X
    args = (first, *(np.float32(s) for s in shapes))
    mine = getattr(getattr(pst, dist), method)
    theirs = getattr(getattr(jst, dist), method)
    if portax.current_backend().name == "torch" and (dist, method) in UNSUPPORTED_ON_TORCH:
        with pytest.raises(portax.errors.UnsupportedError, match="torch"):
            mine(*(as_backend(xp, a) for a in args))
        return
    expected = np.asarray(theirs(*args))
    got = to_numpy(mine(*(as_backend(xp, a) for a in args)))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=5e-5, atol=1e-6, equal_nan=True)
    if dist not in NO_LOC:  # loc and scale as arrays, broadcasting
        loc, scale = np.float32(0.5), np.array([1.5], np.float32)
        expected = np.asarray(theirs(*args, loc, scale)) if dist not in DISCRETE else np.asarray(theirs(*args, loc))
        extra = (loc, scale) if dist not in DISCRETE else (loc,)
        got = to_numpy(mine(*(as_backend(xp, a) for a in (*args, *extra))))
        np.testing.assert_allclose(got, expected, rtol=5e-5, atol=1e-6, equal_nan=True)


@pytest.mark.parametrize(("dist", "method", "reference"), [
    ("chi2", "sf", sst.chi2(3.0).sf), ("logistic", "ppf", sst.logistic.ppf), ("gumbel_l", "cdf", sst.gumbel_l.cdf),
    ("pareto", "logpdf", sst.pareto(2.5).logpdf), ("gennorm", "cdf", sst.gennorm(1.5).cdf),
    ("vonmises", "logpdf", sst.vonmises(2.0).logpdf), ("nbinom", "logpmf", sst.nbinom(3.0, 0.4).logpmf),
    ("betabinom", "pmf", sst.betabinom(6, 2.0, 3.0).pmf), ("binom", "pmf", sst.binom(5, 0.3).pmf),
    ("expon", "ppf", sst.expon.ppf), ("cauchy", "isf", sst.cauchy.isf), ("gamma", "sf", sst.gamma(2.5).sf),
])
def test_in_support_values_match_scipy(xp, dist, method, reference):
    shapes = CONTINUOUS.get(dist, DISCRETE.get(dist))
    points = {"ppf": Q[2:6], "isf": Q[2:6]}.get(method, K[1:6] if dist in DISCRETE else np.abs(X[3:]) + 1)
    got = getattr(getattr(pst, dist), method)(as_backend(xp, points), *shapes)
    np.testing.assert_allclose(to_numpy(got), reference(points.astype(np.float64)), rtol=2e-4, atol=1e-6)


def test_dirichlet_and_multinomial(xp):
    alpha = np.array([1.5, 2.0, 3.0], np.float32)
    x = np.array([[0.2, 0.5], [0.3, 0.25], [0.5, 0.25]], np.float32)
    for points in (x, x[:2], np.array([[0.2, 0.5], [0.3, 0.7], [0.6, -0.2]], np.float32)):
        got = pst.dirichlet.logpdf(as_backend(xp, points), as_backend(xp, alpha))
        np.testing.assert_allclose(to_numpy(got), np.asarray(jst.dirichlet.logpdf(points, alpha)), rtol=2e-5)
    np.testing.assert_allclose(to_numpy(pst.dirichlet.pdf(as_backend(xp, x[:, 0]), as_backend(xp, alpha))),
                               sst.dirichlet(alpha).pdf(x[:, 0]), rtol=2e-5)
    with pytest.raises(ValueError, match="one-dimensional"):
        pst.dirichlet.logpdf(as_backend(xp, x), as_backend(xp, x))
    counts, p = np.array([[1, 2, 3], [0, 0, 6], [2, 2, 1]], np.int32), np.array([0.2, 0.3, 0.5], np.float32)
    for row in counts:
        got = pst.multinomial.logpmf(as_backend(xp, row), 6, as_backend(xp, p))
        np.testing.assert_allclose(to_numpy(got), np.asarray(jst.multinomial.logpmf(row, 6, p)), rtol=2e-5)
    np.testing.assert_allclose(to_numpy(pst.multinomial.pmf(as_backend(xp, counts[0]), 6, as_backend(xp, p))),
                               sst.multinomial(6, p).pmf(counts[0]), rtol=2e-5)
    with pytest.raises(ValueError, match="integer type"):
        pst.multinomial.logpmf(as_backend(xp, counts[0].astype(np.float32)), 6, as_backend(xp, p))


def test_gradients_jit_and_vmap(xp):
    points = np.array([0.5, 1.0, 2.0, 3.5], np.float32)

    def nll(module, loc, scale, x):
        return -(module.logistic.logpdf(x, loc, scale).sum() + module.gumbel_r.logcdf(x, loc, scale).sum()
                 + module.chi2.logpdf(x, 3.0, loc - 1.0, scale).sum())

    expected = jax.grad(lambda a, b: nll(jst, a, b, points), argnums=(0, 1))(np.float32(0.2), np.float32(1.3))
    got = portax.jit(portax.grad(lambda a, b, x: nll(pst, a, b, x), argnums=(0, 1)))(
        as_backend(xp, np.float32(0.2)), as_backend(xp, np.float32(1.3)), as_backend(xp, points))
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(to_numpy(g), np.asarray(e), rtol=1e-4)
    rows = portax.vmap(lambda s, x: pst.pareto.logpdf(x + 1, s), in_axes=(0, None))(*(as_backend(xp, points),) * 2)
    np.testing.assert_allclose(to_numpy(rows), np.asarray(jax.vmap(lambda s: jst.pareto.logpdf(points + 1, s))(points)),
                               rtol=2e-5)
