"""``jax.scipy.stats.logistic`` on every portax backend."""

from portax._src.scipy.stats import (
    logistic_cdf as cdf,
    logistic_isf as isf,
    logistic_logpdf as logpdf,
    logistic_pdf as pdf,
    logistic_ppf as ppf,
    logistic_sf as sf,
)

__all__ = ["cdf", "isf", "logpdf", "pdf", "ppf", "sf"]
