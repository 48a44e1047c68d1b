"""``jax.scipy.stats.dirichlet`` on every portax backend (implementation in ``portax._src.scipy.stats``)."""

from portax._src.scipy.stats import (
    dirichlet_logpdf as logpdf,
    dirichlet_pdf as pdf,
)

__all__ = ["logpdf", "pdf"]
