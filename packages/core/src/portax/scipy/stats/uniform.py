"""``jax.scipy.stats.uniform`` on every portax backend."""

from portax._src.scipy.stats import (
    uniform_cdf as cdf,
    uniform_logcdf as logcdf,
    uniform_logpdf as logpdf,
    uniform_pdf as pdf,
    uniform_ppf as ppf,
)

__all__ = ["cdf", "logcdf", "logpdf", "pdf", "ppf"]
