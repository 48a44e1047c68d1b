"""``jax.scipy.stats.t`` on every portax backend."""

from portax._src.scipy.stats import (
    t_logpdf as logpdf,
    t_pdf as pdf,
)

__all__ = ["logpdf", "pdf"]
