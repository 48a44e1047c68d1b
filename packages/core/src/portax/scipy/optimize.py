"""``jax.scipy.optimize`` on every portax backend (implementation in ``portax._src.scipy.optimize``)."""

from portax._src.scipy.optimize import (
    OptimizeResults as OptimizeResults,
    minimize as minimize,
)
