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
from portax._src.scipy._native import backend_for, creating_on, native
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
    """CDF of the gamma distribution (``lax.igamma``: differentiable in ``x`` and the shape ``a``)."""
    from portax._src.lax_special import igamma

    x, a, loc, scale = promote_inexact(x, a, loc, scale)
    y = pnp.maximum((x - loc) / scale, 0)
    return igamma(*pnp.broadcast_arrays(a, y))


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
    """CDF of the beta distribution, the regularized incomplete beta function (``lax.betainc``)."""
    from portax._src.lax_special import betainc

    x, a, b, loc, scale = promote_inexact(x, a, b, loc, scale)
    y = pnp.clip((x - loc) / scale, 0, 1)
    return betainc(*pnp.broadcast_arrays(a, b, y))


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
    return pnp.where((x < 0) | (k != pnp.round(k)), _neg_inf(log_probs), log_probs)  # JAX tests k, not k - loc


def poisson_pmf(k: Any, mu: Any, loc: Any = 0) -> Array:
    """Probability mass of the Poisson distribution."""
    return pnp.exp(poisson_logpmf(k, mu, loc))


def poisson_cdf(k: Any, mu: Any, loc: Any = 0) -> Array:
    """CDF of the Poisson distribution (``lax.igammac``: differentiable in ``mu``)."""
    from portax._src.lax_special import igammac as gammaincc

    k, mu, loc = promote_inexact(k, mu, loc)
    x = k - loc
    x, mu = pnp.broadcast_arrays(x, mu)
    p = gammaincc(pnp.floor(1 + pnp.maximum(x, 0)), mu)
    return pnp.where(x < 0, pnp.zeros_like(p), p)


# -- survival and quantile functions of the distributions above (JAX 0.10's formulas) ------------------------------


def _nan(x: Any) -> Array:
    return pnp.full_like(x, pnp.nan)


def _outside_unit(q: Any) -> Any:
    return pnp.isnan(q) | (q < 0) | (q > 1)


def expon_logsf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log survival function of the exponential distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    neg_scaled = (loc - x) / scale
    return pnp.where(x < loc, pnp.zeros_like(neg_scaled), neg_scaled)


def expon_sf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function of the exponential distribution."""
    return pnp.exp(expon_logsf(x, loc, scale))


def expon_ppf(q: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Quantile function of the exponential distribution (NaN outside ``[0, 1]``)."""
    q, loc, scale = promote_inexact(q, loc, scale)
    value = loc - scale * pnp.log1p(-q)
    return pnp.where(_outside_unit(q), _nan(value), value)


def uniform_ppf(q: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Quantile function of the uniform distribution (NaN outside ``[0, 1]``)."""
    q, loc, scale = promote_inexact(q, loc, scale)
    value = loc + scale * q
    return pnp.where(_outside_unit(q), _nan(value), value)


def cauchy_sf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function of the Cauchy distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    return cauchy_cdf(-x, -loc, scale)


def cauchy_logsf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log survival function of the Cauchy distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    return cauchy_logcdf(-x, -loc, scale)


def cauchy_ppf(q: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Quantile function of the Cauchy distribution."""
    q, loc, scale = promote_inexact(q, loc, scale)
    return pnp.tan(math.pi * q - math.pi / 2) * scale + loc


def cauchy_isf(q: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Inverse survival function of the Cauchy distribution."""
    q, loc, scale = promote_inexact(q, loc, scale)
    return pnp.tan(math.pi / 2 - math.pi * q) * scale + loc


def gamma_sf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function of the gamma distribution (regularized upper incomplete gamma; native)."""
    x, a, loc, scale = promote_inexact(x, a, loc, scale)
    y = (x - loc) / scale
    value = special.gammaincc(a, pnp.maximum(y, 0))
    return pnp.where(y < 0, pnp.ones_like(value), value)


def gamma_logsf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log survival function of the gamma distribution."""
    return pnp.log(gamma_sf(x, a, loc, scale))


def beta_sf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function of the beta distribution, ``betainc(b, a, 1 - y)``."""
    x, a, b, loc, scale = promote_inexact(x, a, b, loc, scale)
    y = pnp.clip((x - loc) / scale, 0, 1)
    return special.betainc(b, a, 1 - y)


def beta_logcdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the beta distribution."""
    return pnp.log(beta_cdf(x, a, b, loc, scale))


def beta_logsf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log survival function of the beta distribution."""
    return pnp.log(beta_sf(x, a, b, loc, scale))


def bernoulli_ppf(q: Any, p: Any) -> Array:
    """Quantile function of the Bernoulli distribution (NaN outside ``[0, 1]``)."""
    q, p = promote_inexact(q, p)
    q, p = pnp.broadcast_arrays(q, p)
    value = pnp.where(q > 1 - p, pnp.ones_like(q), pnp.zeros_like(q))
    return pnp.where(_outside_unit(q), _nan(q), value)


# -- chi2, logistic, gumbel, pareto, gennorm, vonmises, wrapcauchy ------------------------------------------------


def chi2_logpdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the chi-squared distribution."""
    x, df, loc, scale = promote_inexact(x, df, loc, scale)
    y = (x - loc) / scale
    half_df = df / 2
    kernel = (half_df - 1) * pnp.log(y) - y / 2
    normalizer = -(special.gammaln(half_df) + math.log(2) * df / 2)
    log_probs = normalizer - pnp.log(scale) + kernel
    return pnp.where(x < loc, _neg_inf(log_probs), log_probs)


def chi2_pdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the chi-squared distribution."""
    return pnp.exp(chi2_logpdf(x, df, loc, scale))


def chi2_cdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the chi-squared distribution (regularized lower incomplete gamma)."""
    x, df, loc, scale = promote_inexact(x, df, loc, scale)
    return special.gammainc(df / 2, pnp.maximum((x - loc) / (scale * 2), 0))


def chi2_logcdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the chi-squared distribution."""
    return pnp.log(chi2_cdf(x, df, loc, scale))


def chi2_sf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function of the chi-squared distribution."""
    x, df, loc, scale = promote_inexact(x, df, loc, scale)
    return special.gammaincc(df / 2, pnp.maximum((x - loc) / (scale * 2), 0))


def chi2_logsf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log survival function of the chi-squared distribution."""
    return pnp.log(chi2_sf(x, df, loc, scale))


def logistic_logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the logistic distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    half = (x - loc) / scale / 2
    return -2 * pnp.logaddexp(half, -half) - pnp.log(scale)


def logistic_pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the logistic distribution."""
    return pnp.exp(logistic_logpdf(x, loc, scale))


def logistic_cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the logistic distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    return special.expit((x - loc) / scale)


def logistic_sf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function of the logistic distribution."""
    x, loc, scale = promote_inexact(x, loc, scale)
    return special.expit(-(x - loc) / scale)


def logistic_ppf(q: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Quantile function of the logistic distribution."""
    q, loc, scale = promote_inexact(q, loc, scale)
    return special.logit(q) * scale + loc


def logistic_isf(q: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Inverse survival function of the logistic distribution."""
    q, loc, scale = promote_inexact(q, loc, scale)
    return -special.logit(q) * scale + loc


def _gumbel(x: Any, loc: Any, scale: Any, sign: float, body: Any) -> Array:
    # gumbel_l(x) is gumbel_r(-x, -loc): one body serves both tails (sign -1 for gumbel_l); NaN for scale <= 0
    x, loc, scale = promote_inexact(x, loc, scale)
    value = body(sign * (x - loc) / scale, scale)
    return pnp.where(scale > 0, value, _nan(value))


def _gumbel_logpdf(z: Any, scale: Any) -> Any:
    return -pnp.log(scale) - (z + pnp.exp(-z))


def _gumbel_logcdf(z: Any, scale: Any) -> Any:
    return -pnp.exp(-z)


def _gumbel_sf(z: Any, scale: Any) -> Any:
    return 1 - pnp.exp(-pnp.exp(-z))


def _gumbel_logsf(z: Any, scale: Any) -> Any:
    from portax._src.nn import log1mexp

    return log1mexp(pnp.exp(-z))


def gumbel_r_logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the right-skewed Gumbel distribution."""
    return _gumbel(x, loc, scale, 1.0, _gumbel_logpdf)


def gumbel_r_pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the right-skewed Gumbel distribution."""
    return pnp.exp(gumbel_r_logpdf(x, loc, scale))


def gumbel_r_logcdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the right-skewed Gumbel distribution."""
    return _gumbel(x, loc, scale, 1.0, _gumbel_logcdf)


def gumbel_r_cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the right-skewed Gumbel distribution."""
    return pnp.exp(gumbel_r_logcdf(x, loc, scale))


def gumbel_r_sf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function of the right-skewed Gumbel distribution."""
    return _gumbel(x, loc, scale, 1.0, _gumbel_sf)


def gumbel_r_logsf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log survival function of the right-skewed Gumbel distribution."""
    return _gumbel(x, loc, scale, 1.0, _gumbel_logsf)


def gumbel_r_ppf(p: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Quantile function of the right-skewed Gumbel distribution (NaN outside ``(0, 1)``)."""
    p, loc, scale = promote_inexact(p, loc, scale)
    value = loc - scale * pnp.log(-pnp.log(p))
    return pnp.where((p > 0) & (p < 1), value, _nan(value))


def gumbel_l_logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the left-skewed Gumbel distribution."""
    return _gumbel(x, loc, scale, -1.0, _gumbel_logpdf)


def gumbel_l_pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the left-skewed Gumbel distribution."""
    return pnp.exp(gumbel_l_logpdf(x, loc, scale))


def gumbel_l_logcdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the left-skewed Gumbel distribution (the right-skewed one's log survival function of ``-x``)."""
    return _gumbel(x, loc, scale, -1.0, _gumbel_logsf)


def gumbel_l_cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the left-skewed Gumbel distribution."""
    return _gumbel(x, loc, scale, -1.0, _gumbel_sf)


def gumbel_l_logsf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log survival function of the left-skewed Gumbel distribution."""
    return _gumbel(x, loc, scale, -1.0, _gumbel_logcdf)


def gumbel_l_sf(x: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function of the left-skewed Gumbel distribution."""
    return pnp.exp(gumbel_l_logsf(x, loc, scale))


def gumbel_l_ppf(p: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Quantile function of the left-skewed Gumbel distribution (NaN outside ``(0, 1)``)."""
    p, loc, scale = promote_inexact(p, loc, scale)
    value = loc + scale * pnp.log(-pnp.log1p(-p))
    return pnp.where((p > 0) & (p < 1), value, _nan(value))


def pareto_logpdf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the Pareto distribution."""
    x, b, loc, scale = promote_inexact(x, b, loc, scale)
    log_probs = -(pnp.log(scale / b) + (b + 1) * pnp.log((x - loc) / scale))
    return pnp.where(x < loc + scale, _neg_inf(log_probs), log_probs)


def pareto_pdf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the Pareto distribution."""
    return pnp.exp(pareto_logpdf(x, b, loc, scale))


def pareto_cdf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the Pareto distribution."""
    x, b, loc, scale = promote_inexact(x, b, loc, scale)
    value = 1 - ((x - loc) / scale) ** -b
    return pnp.where(x < loc + scale, pnp.zeros_like(value), value)


def pareto_logcdf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the Pareto distribution."""
    x, b, loc, scale = promote_inexact(x, b, loc, scale)
    value = pnp.log1p(-(((x - loc) / scale) ** -b))
    return pnp.where(x < loc + scale, _neg_inf(value), value)


def pareto_logsf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log survival function of the Pareto distribution."""
    x, b, loc, scale = promote_inexact(x, b, loc, scale)
    value = -b * pnp.log((x - loc) / scale)
    return pnp.where(x < loc + scale, pnp.zeros_like(value), value)


def pareto_sf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function of the Pareto distribution."""
    return pnp.exp(pareto_logsf(x, b, loc, scale))


def pareto_ppf(q: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Quantile function of the Pareto distribution (NaN outside ``[0, 1]``)."""
    q, b, loc, scale = promote_inexact(q, b, loc, scale)
    value = loc + scale * (1 - q) ** (-1 / b)
    return pnp.where(_outside_unit(q), _nan(value), value)


def gennorm_logpdf(x: Any, beta: Any) -> Array:
    """Log density of the generalized normal distribution with shape ``beta``."""
    x, beta = promote_inexact(x, beta)
    return pnp.log(0.5 * beta) - special.gammaln(1 / beta) - pnp.abs(x) ** beta


def gennorm_pdf(x: Any, beta: Any) -> Array:
    """Density of the generalized normal distribution."""
    return pnp.exp(gennorm_logpdf(x, beta))


def gennorm_cdf(x: Any, beta: Any) -> Array:
    """CDF of the generalized normal distribution (regularized lower incomplete gamma)."""
    x, beta = promote_inexact(x, beta)
    return 0.5 * (1 + pnp.sign(x) * special.gammainc(1 / beta, pnp.abs(x) ** beta))


def vonmises_logpdf(x: Any, kappa: Any) -> Array:
    """Log density of the von Mises distribution (NaN for ``kappa <= 0``)."""
    x, kappa = promote_inexact(x, kappa)
    value = kappa * (pnp.cos(x) - 1) - pnp.log(2 * math.pi * special.i0e(kappa))
    return pnp.where(kappa > 0, value, _nan(value))


def vonmises_pdf(x: Any, kappa: Any) -> Array:
    """Density of the von Mises distribution."""
    return pnp.exp(vonmises_logpdf(x, kappa))


def wrapcauchy_logpdf(x: Any, c: Any) -> Array:
    """Log density of the wrapped Cauchy distribution on ``[0, 2 pi]`` (NaN outside ``0 < c < 1``)."""
    x, c = promote_inexact(x, c)
    value = pnp.log(1 - c * c) - math.log(2 * math.pi) - pnp.log(1 + c * c - 2 * c * pnp.cos(x))
    inside = pnp.where((x >= 0) & (x <= 2 * math.pi), value, _neg_inf(value))
    return pnp.where((c > 0) & (c < 1), inside, _nan(value))


def wrapcauchy_pdf(x: Any, c: Any) -> Array:
    """Density of the wrapped Cauchy distribution."""
    return pnp.exp(wrapcauchy_logpdf(x, c))


# -- discrete: geom, binom, nbinom, betabinom, multinomial; dirichlet ---------------------------------------------


def geom_logpmf(k: Any, p: Any, loc: Any = 0) -> Array:
    """Log probability mass of the geometric distribution (support ``k >= 1``)."""
    k, p, loc = promote_inexact(k, p, loc)
    x = k - loc
    log_probs = special.xlog1py(x - 1, -p) + pnp.log(p)
    return pnp.where(x <= 0, _neg_inf(log_probs), log_probs)


def geom_pmf(k: Any, p: Any, loc: Any = 0) -> Array:
    """Probability mass of the geometric distribution."""
    return pnp.exp(geom_logpmf(k, p, loc))


def binom_logpmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Array:
    """Log probability mass of the binomial distribution."""
    k, n, p, loc = promote_inexact(k, n, p, loc)
    y = k - loc
    comb_term = special.gammaln(n + 1) - (special.gammaln(y + 1) + special.gammaln(n - y + 1))
    log_linear_term = special.xlogy(y, p) + special.xlog1py(n - y, -p)
    log_probs = comb_term + log_linear_term
    certain = ((y == 0) & (n == 0)) | (log_linear_term == 0)
    log_probs = pnp.where(certain, pnp.zeros_like(log_probs), log_probs)
    return pnp.where((k >= loc) & (k < loc + n + 1), log_probs, _neg_inf(log_probs))


def binom_pmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Array:
    """Probability mass of the binomial distribution."""
    return pnp.exp(binom_logpmf(k, n, p, loc))


def nbinom_logpmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Array:
    """Log probability mass of the negative binomial distribution."""
    k, n, p, loc = promote_inexact(k, n, p, loc)
    y = k - loc
    comb_term = special.gammaln(y + n) - special.gammaln(n) - special.gammaln(y + 1)
    log_probs = comb_term + special.xlogy(n, p) + special.xlogy(y, 1 - p)
    return pnp.where(k < loc, _neg_inf(log_probs), log_probs)


def nbinom_pmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Array:
    """Probability mass of the negative binomial distribution."""
    return pnp.exp(nbinom_logpmf(k, n, p, loc))


def betabinom_logpmf(k: Any, n: Any, a: Any, b: Any, loc: Any = 0) -> Array:
    """Log probability mass of the beta-binomial distribution (NaN for ``n < 0``, ``a <= 0`` or ``b <= 0``)."""
    k, n, a, b, loc = promote_inexact(k, n, a, b, loc)
    y = pnp.floor(k) - loc
    combiln = -(pnp.log1p(n) + special.betaln(n - y + 1, y + 1))
    log_probs = combiln + special.betaln(y + a, n - y + b) - special.betaln(a, b)
    log_probs = pnp.where((y == 0) & (n == 0), pnp.zeros_like(log_probs), log_probs)
    log_probs = pnp.where((y < -loc) | (y > n) | (y + a <= 0), _neg_inf(log_probs), log_probs)
    return pnp.where((n < 0) | (a <= 0) | (b <= 0), _nan(log_probs), log_probs)


def betabinom_pmf(k: Any, n: Any, a: Any, b: Any, loc: Any = 0) -> Array:
    """Probability mass of the beta-binomial distribution."""
    return pnp.exp(betabinom_logpmf(k, n, a, b, loc))


def multinomial_logpmf(x: Any, n: Any, p: Any) -> Array:
    """Log probability mass of the multinomial distribution (``x`` counts over the last axis, integer dtype).

    Raises:
        ValueError: ``x`` or ``n`` is not of an integer type (as JAX).
    """
    (p,) = promote_inexact(p)
    with creating_on(backend_for(x, n, p)):
        x, n = pnp.asarray(x), pnp.asarray(n)
    if not (pnp.isdtype(x.dtype, "integral") and pnp.isdtype(n.dtype, "integral")):
        raise ValueError(f"x and n must be of integer type; got x.dtype={x.dtype}, n.dtype={n.dtype}")
    x, n = pnp.astype(x, p.dtype), pnp.astype(n, p.dtype)
    log_probs = special.gammaln(n + 1) + pnp.sum(special.xlogy(x, p) - special.gammaln(x + 1), axis=-1)
    return pnp.where(pnp.sum(x) == n, log_probs, _neg_inf(log_probs))


def multinomial_pmf(x: Any, n: Any, p: Any) -> Array:
    """Probability mass of the multinomial distribution."""
    return pnp.exp(multinomial_logpmf(x, n, p))


def dirichlet_logpdf(x: Any, alpha: Any) -> Array:
    """Log density of the Dirichlet distribution; ``x`` along axis 0, possibly without its last component.

    Raises:
        ValueError: ``alpha`` not 1-d, or ``x.shape[0]`` neither ``len(alpha)`` nor one less (as JAX).
    """
    x, alpha = promote_inexact(x, alpha)
    if alpha.ndim != 1:
        raise ValueError(f"`alpha` must be one-dimensional; got alpha.shape={tuple(alpha.shape)}")
    if x.shape[0] not in (alpha.shape[0], alpha.shape[0] - 1):
        raise ValueError(
            "`x` must have either the same number of entries as `alpha` or one entry fewer; "
            f"got x.shape={tuple(x.shape)}, alpha.shape={tuple(alpha.shape)}"
        )
    if x.shape[0] != alpha.shape[0]:
        x = pnp.concatenate([x, 1 - pnp.sum(x, axis=0, keepdims=True)], axis=0)
    normalize_term = pnp.sum(special.gammaln(alpha)) - special.gammaln(pnp.sum(alpha))
    if x.ndim > 1:
        alpha = pnp.reshape(alpha, tuple(alpha.shape) + (1,) * (x.ndim - 1))
    log_probs = pnp.sum(special.xlogy(alpha - 1, x), axis=0) - normalize_term
    simplex = pnp.all(x > 0, axis=0) & (pnp.abs(pnp.sum(x, axis=0) - 1) < 1e-6)
    return pnp.where(simplex, log_probs, _neg_inf(log_probs))


def dirichlet_pdf(x: Any, alpha: Any) -> Array:
    """Density of the Dirichlet distribution."""
    return pnp.exp(dirichlet_logpdf(x, alpha))


# -- poisson.entropy and truncnorm (JAX 0.10's formulas: jax/_src/scipy/stats/poisson.py, truncnorm.py) -------------


def poisson_entropy(mu: Any, loc: Any = 0) -> Array:
    """Shannon entropy of the Poisson distribution (JAX's three regimes: PMF sums below 100, Stirling above).

    ``loc`` does not change the entropy (accepted for scipy's signature; it broadcasts the result).

    Example:
        >>> from portax.scipy.stats import poisson
        >>> round(float(poisson.entropy(5.0)), 4)
        2.2044
    """
    mu, loc = promote_inexact(mu, loc)
    if (function := native(backend_for(mu, loc), "poisson_entropy")) is not None:  # jax.scipy.stats' own on JAX
        return function(mu, loc)
    shape = pnp.broadcast_shapes(tuple(mu.shape), tuple(loc.shape))
    flat = pnp.ravel(mu)
    small = _poisson_entropy_sum(flat, 35, flat + 20)
    medium = _poisson_entropy_sum(flat, 250, flat + 10 * pnp.sqrt(flat) + 20)
    large = 0.5 * pnp.log(2 * math.pi * math.e * flat) - 1.0 / (12 * flat)
    result = pnp.where(flat < 10, small, pnp.where(flat < 100, medium, large))
    result = pnp.where(flat == 0, pnp.zeros_like(result), result)
    return pnp.broadcast_to(pnp.reshape(result, tuple(mu.shape)), shape)


def _poisson_entropy_sum(mu: Array, terms: int, bound: Array) -> Array:
    with creating_on(backend_for(mu)):
        k = pnp.arange(terms, dtype=mu.dtype)[:, None]
    log_mu = pnp.log(pnp.where(mu == 0, pnp.ones_like(mu), mu))  # mu == 0 answers 0 in poisson_entropy
    probs = pnp.exp(pnp.where(k == 0, pnp.zeros_like(k * mu), k * log_mu) - special.gammaln(k + 1) - mu)
    probs = pnp.where(k < pnp.ceil(bound)[None, :], probs, pnp.zeros_like(probs))
    return pnp.sum(special.entr(probs), axis=0)


def _log_gauss_mass(a: Array, b: Array) -> Array:
    """``log(ndtr(b) - ndtr(a))``, in the left tail by symmetry and by ``log1p`` in the middle (as scipy/JAX)."""
    a, b = pnp.broadcast_arrays(a, b)
    left = b <= 0
    right = a > 0
    central = ~(left | right)
    a_tail = pnp.where(right, -b, a)
    b_tail = pnp.where(right, -a, b)
    upper, lower = special.log_ndtr(b_tail), special.log_ndtr(a_tail)
    mass_tail = special.logsumexp(pnp.stack([upper, lower]), b=pnp.stack([pnp.ones_like(upper), -pnp.ones_like(lower)]),
                                  axis=0)
    mass_central = pnp.log1p(-special.ndtr(a) - special.ndtr(-b))
    return pnp.where(central, mass_central, mass_tail)


def truncnorm_logpdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log density of the normal distribution truncated to ``[a, b]`` (in standard deviations from ``loc``).

    ``-inf`` outside ``[a, b]``, NaN where ``a >= b`` (as JAX).

    Example:
        >>> from portax.scipy.stats import truncnorm
        >>> round(float(truncnorm.logpdf(0.0, -1.0, 1.0)), 4)
        -0.5372
    """
    if (function := native(backend_for(x, a, b, loc, scale), "truncnorm_logpdf")) is not None:  # JAX's own on JAX
        return function(x, a, b, loc, scale)
    x, a, b, loc, scale = promote_inexact(x, a, b, loc, scale)
    value = norm_logpdf(x, loc, scale) - _log_gauss_mass(a, b)
    scaled = (x - loc) / scale
    value = pnp.where((scaled < a) | (scaled > b), _neg_inf(value), value)
    return pnp.where(a >= b, pnp.full_like(value, pnp.nan), value)


def truncnorm_pdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Density of the truncated normal distribution."""
    if (function := native(backend_for(x, a, b, loc, scale), "truncnorm_pdf")) is not None:  # JAX's own on JAX
        return function(x, a, b, loc, scale)
    return pnp.exp(truncnorm_logpdf(x, a, b, loc, scale))


def truncnorm_logcdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log CDF of the truncated normal distribution (``log1p(-sf)`` near 1, as scipy/JAX)."""
    if (function := native(backend_for(x, a, b, loc, scale), "truncnorm_logcdf")) is not None:  # JAX's own on JAX
        return function(x, a, b, loc, scale)
    x, a, b, loc, scale = promote_inexact(x, a, b, loc, scale)
    x, a, b = pnp.broadcast_arrays(x, a, b)
    x = (x - loc) / scale
    mass = _log_gauss_mass(a, b)
    logcdf = _log_gauss_mass(a, x) - mass
    logsf = _log_gauss_mass(x, b) - mass
    logcdf = pnp.select(
        [x >= b, x <= a, logcdf > -0.1, x > a],
        [pnp.zeros_like(logcdf), _neg_inf(logcdf), pnp.log1p(-pnp.exp(logsf)), logcdf],
    )
    return pnp.where(a >= b, pnp.full_like(logcdf, pnp.nan), logcdf)


def truncnorm_cdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """CDF of the truncated normal distribution."""
    if (function := native(backend_for(x, a, b, loc, scale), "truncnorm_cdf")) is not None:  # JAX's own on JAX
        return function(x, a, b, loc, scale)
    return pnp.exp(truncnorm_logcdf(x, a, b, loc, scale))


def truncnorm_logsf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Log survival function of the truncated normal distribution (the log CDF of the mirrored one)."""
    if (function := native(backend_for(x, a, b, loc, scale), "truncnorm_logsf")) is not None:  # JAX's own on JAX
        return function(x, a, b, loc, scale)
    x, a, b, loc, scale = promote_inexact(x, a, b, loc, scale)
    return truncnorm_logcdf(-x, -b, -a, -loc, scale)


def truncnorm_sf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Array:
    """Survival function of the truncated normal distribution."""
    if (function := native(backend_for(x, a, b, loc, scale), "truncnorm_sf")) is not None:  # JAX's own on JAX
        return function(x, a, b, loc, scale)
    return pnp.exp(truncnorm_logsf(x, a, b, loc, scale))
