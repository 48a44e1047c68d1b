"""The segment tests compile with torch's cheap ``aot_eager`` backend (as tests/lax does): they check values."""

import portax
import pytest


@pytest.fixture(autouse=True)
def cheap_torch_compile():
    previous = portax.config.torch_compile_backend
    portax.config.update("torch_compile_backend", "aot_eager")
    yield
    portax.config.update("torch_compile_backend", previous)
