"""JAX's ``jax.scipy`` on every portax backend: ``special``, ``stats``, ``linalg``, ``signal``, ``fft``, ..."""

from portax.scipy import (
    fft as fft,
    integrate as integrate,
    interpolate as interpolate,
    linalg as linalg,
    ndimage as ndimage,
    optimize as optimize,
    signal as signal,
    special as special,
    stats as stats,
)
