"""Several processes as one program (``jax.distributed``)."""

from portax._src.distributed import initialize as initialize, is_initialized as is_initialized, shutdown as shutdown
