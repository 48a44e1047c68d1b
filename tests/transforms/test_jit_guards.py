"""The per-call checks of a compiled function do not grow with portax's internal tables.

On torch, every compiled call first evaluates dynamo's guards. portax's dispatch tables (``type -> implementation``
per function) must not be among them: their entry for the backend's array type never changes meaning, and each
guarded table would add dict-key checks (some evaluated by Python lambdas) to every call. On JAX the compiled
function is looked up by argument signature alone, so there is nothing to guard; the results are checked there.
"""

from __future__ import annotations

import logging

import numpy as np
import portax
import portax.numpy as pnp
import pytest
from helpers import to_numpy


def _ops(n: int):
    ops = (pnp.sin, pnp.cos, pnp.exp, pnp.tanh, pnp.abs, pnp.sqrt)[:n]

    def f(x):
        y = pnp.add(x, pnp.sum(x))
        for op in ops:
            y = pnp.multiply(op(y), x)
        return y

    return f


@pytest.mark.parametrize("n", [1, 6])
def test_no_guard_on_dispatch_tables(backend_name, xp, monkeypatch, n):
    x = xp.asarray([0.5, 1.0, 2.0])
    expected = np.array([0.5, 1.0, 2.0]) + 3.5
    for op in (np.sin, np.cos, np.exp, np.tanh, np.abs, np.sqrt)[:n]:
        expected = op(expected) * np.array([0.5, 1.0, 2.0])
    if backend_name != "torch":
        np.testing.assert_allclose(to_numpy(portax.jit(_ops(n))(x)), expected, rtol=1e-5)
        return
    from portax_torch import transforms

    kept: list[str] = []
    original = transforms._keep_guards_but_user_constants

    def recording(guards):
        keep = original(guards)
        kept.extend(g.name for g, k in zip(guards, keep, strict=True) if k)
        return keep

    monkeypatch.setattr(transforms, "_keep_guards_but_user_constants", recording)
    np.testing.assert_allclose(to_numpy(portax.jit(_ops(n))(x)), expected, rtol=1e-5)
    assert kept, "the guard filter was not consulted"
    assert not [name for name in kept if "._t_" in name or "._n_" in name or "._nd_" in name], kept


def test_no_guard_on_portax_tracing_state(backend_name, xp):
    # The compiled function is the user's, not portax's wrapper around it: a jitted ``x + 1`` guards its argument,
    # not portax's thread-local tracing state (before: 32 guard lines more, one an alias check evaluated in Python
    # on every call).
    x = xp.asarray([0.5, 1.0, 2.0])
    if backend_name != "torch":
        np.testing.assert_allclose(to_numpy(portax.jit(lambda v: v + 1.0)(x)), [1.5, 2.0, 3.0])
        return
    import torch

    records: list[str] = []

    class Recorder(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger, recorder = logging.getLogger("torch._dynamo.guards.__guards"), Recorder()
    logger.addHandler(recorder)
    torch._logging.set_logs(guards=True)
    try:
        np.testing.assert_allclose(to_numpy(portax.jit(lambda v: v + 1.0)(x)), [1.5, 2.0, 3.0])
    finally:
        torch._logging.set_logs()
        logger.removeHandler(recorder)
    guards = "\n".join(records)
    assert "TENSOR_MATCH" in guards, "dynamo's guards were not recorded"
    assert "_tracing_state" not in guards and "LAMBDA_GUARD: G" not in guards, guards
