"""``jax.scipy.stats.beta`` on every portax backend."""

from portax._src.scipy.stats import (
    beta_cdf as cdf,
    beta_logpdf as logpdf,
    beta_pdf as pdf,
)

__all__ = ["cdf", "logpdf", "pdf"]
