"""``jax.scipy.fft`` on every portax backend."""

from portax._src.scipy.fft import (
    dct as dct,
    dctn as dctn,
    idct as idct,
    idctn as idctn,
)
