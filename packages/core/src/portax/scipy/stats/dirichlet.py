"""``jax.scipy.stats.dirichlet`` on every portax backend."""

from portax._src.scipy.stats import (
    dirichlet_logpdf as logpdf,
    dirichlet_pdf as pdf,
)

__all__ = ["logpdf", "pdf"]
