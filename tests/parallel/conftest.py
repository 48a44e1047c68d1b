"""jit tests here compile with the suite's cheap torch backend (tests/option_fixtures.py), options restored."""

from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)
