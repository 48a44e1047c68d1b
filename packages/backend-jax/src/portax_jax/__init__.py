"""portax backend on JAX/XLA. Importing this package does not import jax; instantiating the backend does."""

from portax_jax.backend import JaxBackend as JaxBackend

__all__ = ["JaxBackend"]
