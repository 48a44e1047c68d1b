"""``jax.scipy.stats.bernoulli`` on every portax backend."""

from portax._src.scipy.stats import (
    bernoulli_cdf as cdf,
    bernoulli_logpmf as logpmf,
    bernoulli_pmf as pmf,
    bernoulli_ppf as ppf,
)

__all__ = ["cdf", "logpmf", "pmf", "ppf"]
