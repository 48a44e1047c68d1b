"""``jax.scipy.stats.vonmises`` on every portax backend (implementation in ``portax._src.scipy.stats``)."""

from portax._src.scipy.stats import (
    vonmises_logpdf as logpdf,
    vonmises_pdf as pdf,
)

__all__ = ["logpdf", "pdf"]
