"""``jax.scipy.stats.geom`` on every portax backend."""

from portax._src.scipy.stats import (
    geom_logpmf as logpmf,
    geom_pmf as pmf,
)

__all__ = ["logpmf", "pmf"]
