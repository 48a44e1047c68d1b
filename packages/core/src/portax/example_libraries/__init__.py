"""JAX's example libraries (``jax.example_libraries``): ``stax`` (neural network layers) and ``optimizers``, written
once on portax so the programs and tutorials that import them run on every backend."""
