"""``jax.scipy.stats.wrapcauchy`` on every portax backend (implementation in ``portax._src.scipy.stats``)."""

from portax._src.scipy.stats import (
    wrapcauchy_logpdf as logpdf,
    wrapcauchy_pdf as pdf,
)

__all__ = ["logpdf", "pdf"]
