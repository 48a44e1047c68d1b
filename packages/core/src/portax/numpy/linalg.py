"""JAX-compatible ``numpy.linalg`` on the backend owning the arguments."""

from portax._src.numpy.linalg_api import *  # noqa: F403
from portax._src.numpy.linalg_api import __all__ as __all__
