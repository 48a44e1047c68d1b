"""Helpers of the JAX backend's corrections to jax.numpy (see ``numpy.py``)."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp


def _kind(x: Any) -> str:
    dtype = getattr(x, "dtype", None)
    if dtype is not None:
        return dtype.kind
    if isinstance(x, bool):
        return "b"
    if isinstance(x, int):
        return "i"
    if isinstance(x, float):
        return "f"
    if isinstance(x, complex):
        return "c"
    return jnp.result_type(x).kind
