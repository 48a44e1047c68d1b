"""``jax.scipy.ndimage`` on every portax backend."""

from portax._src.scipy.ndimage import map_coordinates as map_coordinates
