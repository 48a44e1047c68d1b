"""``jax.scipy.stats.laplace`` on every portax backend."""

from portax._src.scipy.stats import (
    laplace_cdf as cdf,
    laplace_logpdf as logpdf,
    laplace_pdf as pdf,
)

__all__ = ["cdf", "logpdf", "pdf"]
