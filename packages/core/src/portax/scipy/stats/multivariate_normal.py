"""``jax.scipy.stats.multivariate_normal`` on every portax backend."""

from portax._src.scipy.stats import (
    multivariate_normal_logpdf as logpdf,
    multivariate_normal_pdf as pdf,
)

__all__ = ["logpdf", "pdf"]
