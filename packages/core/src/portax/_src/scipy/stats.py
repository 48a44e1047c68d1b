"""``portax.scipy.stats``: JAX's distributions (jax/_src/scipy/stats/*.py, 0.10), written once over portax.numpy.

Functions are named ``<distribution>_<method>`` here; the public modules (``portax.scipy.stats.norm`` ...) re-export
them under JAX's names. Formulas follow JAX's line by line, so values and gradients agree with JAX at the support's
edges too (``-inf`` outside the support, ``xlogy`` conventions at 0).
"""

from __future__ import annotations

import math
from typing import Any

import portax.numpy as pnp
from portax._src.scipy import special
from portax._src.scipy._native import backend_for, required
from portax._src.scipy.special import promote_inexact

Array = Any
_LOG_2PI = math.log(2 * math.pi)


def _neg_inf(x: Any) -> Array:
    return pnp.full_like(x, -pnp.inf)


# -- norm ------------------------------------------------------------------------------------------------------


def norm_logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the normal distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    log_normalizer = pnp.log(2 * math.pi * pnp.square(scale))
    quadratic = pnp.square(x - loc) / pnp.square(scale)
    return (log_normalizer + quadratic) / -2


def norm_pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the normal distribution."""
    return pnp.exp(norm_logpdf(x, loc, scale))


def norm_cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the normal distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    return special.ndtr((x - loc) / scale)


def norm_logcdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the normal distribution (stable in the left tail)."""
    x, loc, scale = promote_inexact(x, loc, scale)
    return special.log_ndtr((x - loc) / scale)


def norm_sf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function ``1 - cdf`` of the normal distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    return special.ndtr((loc - x) / scale)


def norm_logsf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log survival function of the normal distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    return special.log_ndtr((loc - x) / scale)


def norm_ppf(q: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Quantile function (inverse CDF) of the normal distribution."""
    q, loc, scale = promote_inexact(q, loc, scale)
    return special.ndtri(q) * scale + loc


def norm_isf(q: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Inverse survival function of the normal distribution."""
    q, loc, scale = promote_inexact(q, loc, scale)
    return special.ndtri(1 - q) * scale + loc


# -- multivariate_normal -------------------------------------------------------------------------------------------


def multivariate_normal_logpdf(x: Any, mean: Any, cov: Any, allow_singular: None = None) -> Array:
    """Log density of the multivariate normal (``cov`` a scalar or one ``(n, n)`` matrix; ``x`` of shape ``(..., n)``).

    Raises:
        NotImplementedError: ``allow_singular`` is given (as in JAX).
        ValueError: ``cov`` has more than 2 dimensions (batched covariances are not supported yet).
    """
    if allow_singular is not None:
        raise NotImplementedError("allow_singular argument of multivariate_normal.logpdf")
    x, mean, cov = promote_inexact(x, mean, cov)
    if mean.ndim == 0:
        return -0.5 * pnp.square(x - mean) / cov - 0.5 * (_LOG_2PI + pnp.log(cov))
    n = mean.shape[-1]
    diff = x - mean
    if cov.ndim == 0:
        return -0.5 * pnp.sum(diff * diff, axis=-1) / cov - n / 2 * (_LOG_2PI + pnp.log(cov))
    if cov.ndim != 2:
        raise ValueError(
            f"multivariate_normal.logpdf: cov must be a scalar or one (n, n) matrix, got shape {tuple(cov.shape)}; "
            "vmap over the batch of covariances instead"
        )
    from portax._src.scipy.linalg import solve_triangular

    chol = pnp.linalg.cholesky(cov)
    columns = pnp.reshape(diff, (-1, n)).T
    y = solve_triangular(chol, columns, lower=True)
    quadratic = pnp.reshape(pnp.sum(y * y, axis=0), diff.shape[:-1])
    log_det_half = pnp.sum(pnp.log(pnp.diagonal(chol)))
    return -0.5 * quadratic - n / 2 * _LOG_2PI - log_det_half


def multivariate_normal_pdf(x: Any, mean: Any, cov: Any) -> Array:
    """Density of the multivariate normal."""
    return pnp.exp(multivariate_normal_logpdf(x, mean, cov))


# -- uniform, expon, laplace, cauchy ---------------------------------------------------------------------------------


def uniform_logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the uniform distribution on ``[loc, loc + scale]``."""
    x, loc, scale = promote_inexact(x, loc, scale)
    log_probs = pnp.broadcast_to(-pnp.log(scale), pnp.broadcast_shapes(x.shape, loc.shape, scale.shape))
    return pnp.where((x > loc + scale) | (x < loc), _neg_inf(log_probs), log_probs)


def uniform_pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the uniform distribution."""
    return pnp.exp(uniform_logpdf(x, loc, scale))


def uniform_cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the uniform distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    inside = (x - loc) / scale
    return pnp.where(x < loc, pnp.zeros_like(inside), pnp.where(x >= loc + scale, pnp.ones_like(inside), inside))


def uniform_logcdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the uniform distribution."""
    return pnp.log(uniform_cdf(x, loc, scale))


def expon_logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the exponential distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    log_probs = -(x - loc) / scale - pnp.log(scale)
    return pnp.where(x < loc, _neg_inf(log_probs), log_probs)


def expon_pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the exponential distribution."""
    return pnp.exp(expon_logpdf(x, loc, scale))


def expon_cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the exponential distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    inside = -pnp.expm1(-(x - loc) / scale)
    return pnp.where(x < loc, pnp.zeros_like(inside), inside)


def expon_logcdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the exponential distribution."""
    return pnp.log(expon_cdf(x, loc, scale))


def laplace_logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the Laplace distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    return -(pnp.abs(x - loc) / scale + pnp.log(2 * scale))


def laplace_pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the Laplace distribution."""
    return pnp.exp(laplace_logpdf(x, loc, scale))


def laplace_cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the Laplace distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    z = (x - loc) / scale
    return pnp.where(x < loc, 0.5 * pnp.exp(z), 1 - 0.5 * pnp.exp(-z))


def cauchy_logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the Cauchy distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    scaled = (x - loc) / scale
    return -(pnp.log(math.pi * scale) + pnp.log1p(scaled * scaled))


def cauchy_pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the Cauchy distribution."""
    return pnp.exp(cauchy_logpdf(x, loc, scale))


def cauchy_cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the Cauchy distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    return 0.5 + pnp.arctan((x - loc) / scale) / math.pi


def cauchy_logcdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the Cauchy distribution."""
    return pnp.log(cauchy_cdf(x, loc, scale))


# -- gamma, beta, t ------------------------------------------------------------------------------------------------


def gamma_logpdf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the gamma distribution with shape ``a``."""
    x, a, loc, scale = promote_inexact(x, a, loc, scale)
    y = (x - loc) / scale
    log_probs = special.xlogy(a - 1, y) - y - (special.gammaln(a) + pnp.log(scale))
    return pnp.where(x < loc, _neg_inf(log_probs), log_probs)


def gamma_pdf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the gamma distribution."""
    return pnp.exp(gamma_logpdf(x, a, loc, scale))


def gamma_cdf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the gamma distribution (the regularized lower incomplete gamma function; native on each backend)."""
    x, a, loc, scale = promote_inexact(x, a, loc, scale)
    y = pnp.maximum((x - loc) / scale, 0)
    gammainc = required(backend_for(x), "gammainc", "portax.scipy.stats.gamma.cdf")
    return gammainc(*pnp.broadcast_arrays(a, y))


def gamma_logcdf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the gamma distribution."""
    return pnp.log(gamma_cdf(x, a, loc, scale))


def beta_logpdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the beta distribution."""
    x, a, b, loc, scale = promote_inexact(x, a, b, loc, scale)
    y = (x - loc) / scale
    log_linear_term = special.xlogy(a - 1, y) + special.xlog1py(b - 1, -y)
    log_probs = -special.betaln(a, b) + log_linear_term - pnp.log(scale)
    return pnp.where((x > loc + scale) | (x < loc), _neg_inf(log_probs), log_probs)


def beta_pdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the beta distribution."""
    return pnp.exp(beta_logpdf(x, a, b, loc, scale))


def beta_cdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the beta distribution (regularized incomplete beta; a declared missing feature on torch).

    Raises:
        UnsupportedError: the backend has no ``betainc`` kernel (torch 2.13 has none).
    """
    x, a, b, loc, scale = promote_inexact(x, a, b, loc, scale)
    betainc = required(backend_for(x), "betainc", "portax.scipy.stats.beta.cdf")
    y = pnp.clip((x - loc) / scale, 0, 1)
    return betainc(a, b, y)


def t_logpdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of Student's t distribution."""
    x, df, loc, scale = promote_inexact(x, df, loc, scale)
    scaled_x = (x - loc) / scale
    df_over_two = df / 2
    df_plus_one_over_two = df_over_two + 0.5
    normalize_term = (
        special.gammaln(df_over_two) + pnp.log(scale * scale * df * math.pi) / 2 - special.gammaln(df_plus_one_over_two)
    )
    quadratic = scaled_x * scaled_x / df
    return -(normalize_term + df_plus_one_over_two * pnp.log1p(quadratic))


def t_pdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of Student's t distribution."""
    return pnp.exp(t_logpdf(x, df, loc, scale))


# -- discrete ----------------------------------------------------------------------------------------------------


def bernoulli_logpmf(k: Any, p: Any, loc: Any = 0) -> Array:
    """Log probability mass of the Bernoulli distribution."""
    k, p, loc = promote_inexact(k, p, loc)
    x = k - loc
    log_probs = special.xlogy(x, p) + special.xlog1py(1 - x, -p)
    return pnp.where((x < 0) | (x > 1), _neg_inf(log_probs), log_probs)


def bernoulli_pmf(k: Any, p: Any, loc: Any = 0) -> Array:
    """Probability mass of the Bernoulli distribution."""
    return pnp.exp(bernoulli_logpmf(k, p, loc))


def bernoulli_cdf(k: Any, p: Any) -> Array:
    """CDF of the Bernoulli distribution (NaN for NaN ``k``)."""
    k, p = promote_inexact(k, p)
    k, p = pnp.broadcast_arrays(k, p)
    middle = 1 - p
    out = pnp.where(k < 0, pnp.zeros_like(middle), pnp.where(k >= 1, pnp.ones_like(middle), middle))
    return pnp.where(pnp.isnan(k), pnp.full_like(middle, pnp.nan), out)


def poisson_logpmf(k: Any, mu: Any, loc: Any = 0) -> Array:
    """Log probability mass of the Poisson distribution (``-inf`` off the non-negative integers)."""
    k, mu, loc = promote_inexact(k, mu, loc)
    x = k - loc
    log_probs = special.xlogy(x, mu) - special.gammaln(x + 1) - mu
    return pnp.where((x < 0) | (x != pnp.round(x)), _neg_inf(log_probs), log_probs)


def poisson_pmf(k: Any, mu: Any, loc: Any = 0) -> Array:
    """Probability mass of the Poisson distribution."""
    return pnp.exp(poisson_logpmf(k, mu, loc))


def poisson_cdf(k: Any, mu: Any, loc: Any = 0) -> Array:
    """CDF of the Poisson distribution (regularized upper incomplete gamma; native on each backend)."""
    k, mu, loc = promote_inexact(k, mu, loc)
    x = k - loc
    gammaincc = required(backend_for(x), "gammaincc", "portax.scipy.stats.poisson.cdf")
    x, mu = pnp.broadcast_arrays(x, mu)
    p = gammaincc(pnp.floor(1 + pnp.maximum(x, 0)), mu)
    return pnp.where(x < 0, pnp.zeros_like(p), p)
