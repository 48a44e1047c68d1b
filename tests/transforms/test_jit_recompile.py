"""``jit`` recompiles for every new input signature, as JAX does, however many there are (issue 13).

torch dynamo keeps at most 8 graphs per code object (``recompile_limit``) and then raised
``FailOnRecompileLimitHit`` at the 9th rank; portax moves further graphs to fresh code objects. A new ``portax.jit``
of the same function finds the graph already compiled instead of tracing again (before: ~118 KB and 73 ms each).
"""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import to_numpy


def test_jit_recompiles_past_torchs_recompile_limit(xp):
    double = portax.jit(lambda x: x * 2.0)
    for sweep in range(2):  # the second sweep revisits signatures compiled before the limit was hit
        for rank in range(11):
            shape = (2,) * rank
            out = double(xp.ones(shape))
            assert tuple(out.shape) == shape, (sweep, rank)
            np.testing.assert_array_equal(to_numpy(out), np.full(shape, 2.0, np.float32))


def test_jit_recompiles_past_the_limit_with_static_arguments(xp):
    power = portax.jit(lambda x, n: x**n, static_argnums=1)
    for n in range(10):
        np.testing.assert_allclose(to_numpy(power(xp.asarray([2.0]), n)), [2.0**n])
    for rank in range(10):
        assert tuple(power(xp.ones((1,) * rank), 2).shape) == (1,) * rank


def test_new_jit_objects_of_one_function_reuse_its_compiled_graph(backend_name, xp):
    if backend_name != "torch":
        pytest.skip("counts torch.compile graphs")
    import torch

    x = xp.asarray([1.0, 2.0])

    def make():
        return portax.jit(lambda v: v * 3.0 + 1.0)

    np.testing.assert_array_equal(to_numpy(make()(x)), [4.0, 7.0])
    graphs = torch._dynamo.utils.counters["stats"]["unique_graphs"]
    for _ in range(12):  # more jit objects than torch's recompile limit
        np.testing.assert_array_equal(to_numpy(make()(x)), [4.0, 7.0])
    assert torch._dynamo.utils.counters["stats"]["unique_graphs"] == graphs


def test_jit_objects_of_one_code_with_different_closures_stay_correct(xp):
    """Closures over different values share the code object; each value is its own graph (dynamo guards on it)."""
    for scale in range(12):
        scaled = portax.jit(lambda v, scale=float(scale): v * scale)
        np.testing.assert_array_equal(to_numpy(scaled(xp.asarray([1.0, 2.0]))), [scale, 2.0 * scale])
