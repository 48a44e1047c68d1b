"""Fixtures of the image tests: the cheap torch compile backend, and real JAX as the reference engine."""

from __future__ import annotations

import warnings

import portax
import pytest


@pytest.fixture(autouse=True)
def cheap_torch_compile(request: pytest.FixtureRequest):
    """``aot_eager`` (0.1 s per graph) instead of inductor (~10 s cold) except in tests marked ``slow``."""
    if request.node.get_closest_marker("slow"):
        yield
        return
    previous = portax.config.torch_compile_backend
    portax.config.update("torch_compile_backend", "aot_eager")
    with warnings.catch_warnings():
        # jit of grad/vmap over a torch loop or cond runs uncompiled on purpose (docs/control-flow.md); the tests that
        # pin which path runs check the warning themselves.
        warnings.simplefilter("ignore", portax.errors.CompileFallbackWarning)
        yield
    portax.config.update("torch_compile_backend", previous)


@pytest.fixture(scope="session")
def jax_reference():
    """``(jax, jax.numpy)``: the reference engine (values only; the backend under test never supplies them)."""
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    return jax, jnp
