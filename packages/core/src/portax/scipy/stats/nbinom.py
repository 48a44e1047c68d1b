"""``jax.scipy.stats.nbinom`` on every portax backend."""

from portax._src.scipy.stats import (
    nbinom_logpmf as logpmf,
    nbinom_pmf as pmf,
)

__all__ = ["logpmf", "pmf"]
