"""The segment tests compile with torch's cheap ``aot_eager`` backend (as tests/lax does): they check values."""

from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)


