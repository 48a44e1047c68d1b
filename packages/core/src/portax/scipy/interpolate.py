"""``jax.scipy.interpolate`` on every portax backend."""

from portax._src.scipy.interpolate import RegularGridInterpolator as RegularGridInterpolator
