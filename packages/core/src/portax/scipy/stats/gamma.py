"""``jax.scipy.stats.gamma`` on every portax backend."""

from portax._src.scipy.stats import (
    gamma_cdf as cdf,
    gamma_logcdf as logcdf,
    gamma_logpdf as logpdf,
    gamma_pdf as pdf,
)

__all__ = ["cdf", "logcdf", "logpdf", "pdf"]
