"""``jax.scipy.stats.binom`` on every portax backend."""

from portax._src.scipy.stats import (
    binom_logpmf as logpmf,
    binom_pmf as pmf,
)

__all__ = ["logpmf", "pmf"]
