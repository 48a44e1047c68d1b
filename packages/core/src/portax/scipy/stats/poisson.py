"""``jax.scipy.stats.poisson`` on every portax backend."""

from portax._src.scipy.stats import (
    poisson_cdf as cdf,
    poisson_entropy as entropy,
    poisson_logpmf as logpmf,
    poisson_pmf as pmf,
)

__all__ = ["cdf", "entropy", "logpmf", "pmf"]
