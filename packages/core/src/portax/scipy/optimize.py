"""``jax.scipy.optimize`` on every portax backend."""

from portax._src.scipy.optimize import (
    OptimizeResults as OptimizeResults,
    minimize as minimize,
)
