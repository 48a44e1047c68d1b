"""``jax.scipy.integrate`` on every portax backend (implementation in ``portax._src.scipy.integrate``)."""

from portax._src.scipy.integrate import trapezoid as trapezoid
