"""``jax.scipy.stats.cauchy`` on every portax backend."""

from portax._src.scipy.stats import (
    cauchy_cdf as cdf,
    cauchy_logcdf as logcdf,
    cauchy_logpdf as logpdf,
    cauchy_pdf as pdf,
)

__all__ = ["cdf", "logcdf", "logpdf", "pdf"]
