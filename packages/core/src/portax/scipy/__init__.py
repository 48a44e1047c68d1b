"""JAX's ``jax.scipy`` on every portax backend: ``special``, ``stats``, ``linalg``."""

from portax.scipy import (
    integrate as integrate,
    linalg as linalg,
    optimize as optimize,
    signal as signal,
    special as special,
    stats as stats,
)
