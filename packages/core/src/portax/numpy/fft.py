"""JAX-compatible ``numpy.fft`` on the backend owning the arguments."""

from portax._src.numpy.fft_api import *  # noqa: F403
from portax._src.numpy.fft_api import __all__ as __all__
