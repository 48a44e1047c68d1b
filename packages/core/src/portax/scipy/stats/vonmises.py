"""``jax.scipy.stats.vonmises`` on every portax backend."""

from portax._src.scipy.stats import (
    vonmises_logpdf as logpdf,
    vonmises_pdf as pdf,
)

__all__ = ["logpdf", "pdf"]
