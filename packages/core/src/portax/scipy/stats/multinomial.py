"""``jax.scipy.stats.multinomial`` on every portax backend."""

from portax._src.scipy.stats import (
    multinomial_logpmf as logpmf,
    multinomial_pmf as pmf,
)

__all__ = ["logpmf", "pmf"]
