"""``jax.scipy.stats.wrapcauchy`` on every portax backend."""

from portax._src.scipy.stats import (
    wrapcauchy_logpdf as logpdf,
    wrapcauchy_pdf as pdf,
)

__all__ = ["logpdf", "pdf"]
