"""``jax.scipy.stats.betabinom`` on every portax backend."""

from portax._src.scipy.stats import (
    betabinom_logpmf as logpmf,
    betabinom_pmf as pmf,
)

__all__ = ["logpmf", "pmf"]
