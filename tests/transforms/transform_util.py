"""Helpers of the transformation tests: NumPy views of results and finite differences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import portax
from helpers import to_numpy


def npy(tree: Any) -> Any:
    """The pytree ``tree`` with every leaf as a NumPy array."""
    return portax.tree.map(to_numpy, tree)


def assert_close(actual: Any, expected: Any, rtol: float = 2e-5, atol: float = 1e-5) -> None:
    """Same structure and values (float32 tolerance); leaves may be native arrays or NumPy."""
    a_leaves, a_def = portax.tree.flatten(npy(actual))
    e_leaves, e_def = portax.tree.flatten(npy(expected))
    assert a_def == e_def, f"structure {a_def} != {e_def}"
    for a, e in zip(a_leaves, e_leaves, strict=False):
        assert np.shape(a) == np.shape(e), f"shape {np.shape(a)} != {np.shape(e)}"
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)


def finite_difference_grad(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of scalar ``f`` at ``x``, in float64."""
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        out[index] = (f(x + step) - f(x - step)) / (2 * eps)
    return out
