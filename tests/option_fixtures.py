"""Shared fixtures for the areas that change process-wide options (config, debug, tree_util): a cheap torch compile
backend, and portax's options restored after every test. Each such area's conftest imports them."""

from __future__ import annotations

import portax
import pytest


@pytest.fixture(autouse=True)
def cheap_torch_compile_and_restored_options():
    """``aot_eager`` instead of inductor (~10 s cold); x64 and debug_nans back to what they were, so nothing leaks."""
    saved = {
        name: getattr(portax.config, name) for name in ("torch_compile_backend", "jax_enable_x64", "jax_debug_nans")
    }
    portax.config.update("torch_compile_backend", "aot_eager")
    yield
    for name, value in saved.items():
        portax.config.update(name, value)


@pytest.fixture(scope="session")
def jax_reference():
    """``(jax, jax.numpy)``: the reference engine (values only; the backend under test never supplies them)."""
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    return jax, jnp
