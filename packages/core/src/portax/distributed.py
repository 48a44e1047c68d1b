"""Several processes as one program (``jax.distributed``; see ``portax._src.distributed``)."""

from portax._src.distributed import initialize as initialize
from portax._src.distributed import is_initialized as is_initialized
from portax._src.distributed import shutdown as shutdown
