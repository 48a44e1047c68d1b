"""The documentation's examples run like the transformation tests: torch's cheap ``aot_eager`` compiler (0.1 s per
graph instead of inductor's ~10 s cold), and the PRNG kernels likewise. What users get by default (inductor) is
measured by the benchmarks, not here."""

from __future__ import annotations

import os

import portax
import pytest

os.environ.setdefault("PORTAX_RANDOM_COMPILE", "aot_eager")


@pytest.fixture(autouse=True)
def cheap_torch_compile():
    previous = portax.config.torch_compile_backend
    portax.config.update("torch_compile_backend", "aot_eager")
    yield
    portax.config.update("torch_compile_backend", previous)
