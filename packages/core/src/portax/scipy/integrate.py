"""``jax.scipy.integrate`` on every portax backend."""

from portax._src.scipy.integrate import trapezoid as trapezoid
