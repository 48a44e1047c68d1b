"""JAX's ``jax.scipy`` on every portax backend: ``special``, ``stats``, ``linalg``."""

from portax.scipy import linalg as linalg, special as special, stats as stats
