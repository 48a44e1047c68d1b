"""``jax.scipy.stats.expon`` on every portax backend."""

from portax._src.scipy.stats import (
    expon_cdf as cdf,
    expon_logcdf as logcdf,
    expon_logpdf as logpdf,
    expon_pdf as pdf,
)

__all__ = ["cdf", "logcdf", "logpdf", "pdf"]
