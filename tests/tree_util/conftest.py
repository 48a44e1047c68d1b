"""This area changes process-wide options: use the shared restoring fixtures (tests/option_fixtures.py)."""

from option_fixtures import cheap_torch_compile_and_restored_options, jax_reference  # noqa: F401  (fixtures)
