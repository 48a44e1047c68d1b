"""A global NumPy array read inside ``jit`` (a weight table, a stencil): a constant of the trace, as in JAX.

On torch 2.13, dynamo traces a NumPy array as a tensor but not its ``.dtype``, and with the guard filter portax
passes it crashed building guards (``Boolean value of Tensor with more than one value is ambiguous``)."""

from __future__ import annotations

import warnings

import numpy as np
import portax
import portax.numpy as jnp
from portax.errors import CompileFallbackWarning

WEIGHTS = np.array([0.5, -1.0, 2.0])  # float64: JAX's x64-off default makes it float32
STENCIL = np.arange(3)  # int64 -> int32


def _weighted(x):
    return jnp.sum(jnp.multiply(x, WEIGHTS)) + jnp.asarray(STENCIL)[2] * x[0]


def test_jit_reads_a_global_numpy_array_as_a_constant(xp):
    f = portax.jit(_weighted)
    for value in (1.0, -2.5):
        x = np.full(3, value, dtype=np.float32)
        with warnings.catch_warnings():
            warnings.simplefilter("error", CompileFallbackWarning)  # compiled, not run eagerly
            out = f(xp.asarray(x))
        assert str(out.dtype).endswith("float32")
        np.testing.assert_allclose(np.asarray(out), float(np.sum(x * WEIGHTS) + 2 * x[0]), rtol=1e-6)


def test_jit_of_an_operator_with_a_global_numpy_operand(xp):
    # x * WEIGHTS is the engine's own operator (torch: float64 by torch's promotion, see docs/sharp-bits.md)
    f = portax.jit(lambda x: jnp.sum(x * WEIGHTS))
    x = np.arange(3, dtype=np.float32)
    np.testing.assert_allclose(np.asarray(f(xp.asarray(x))), float(np.sum(x * WEIGHTS)), rtol=1e-6)
