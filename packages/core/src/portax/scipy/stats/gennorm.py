"""``jax.scipy.stats.gennorm`` on every portax backend."""

from portax._src.scipy.stats import (
    gennorm_cdf as cdf,
    gennorm_logpdf as logpdf,
    gennorm_pdf as pdf,
)

__all__ = ["cdf", "logpdf", "pdf"]
