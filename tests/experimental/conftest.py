"""Fixtures of the ODE tests: the cheap torch compile backend, and real JAX as the reference."""

from option_fixtures import cheap_torch_compile_and_restored_options, jax_reference  # noqa: F401  (fixtures)
