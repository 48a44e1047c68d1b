"""Tracing state is per thread: a torch-jitted function running in one thread never changes dispatch in another.

torch dynamo cannot trace ``contextvars``, so while it traces a ``portax.jit`` function the registry answers the
tracing backend from a thread-local (``registry.tracing``); before, a process global did, and every other thread's
calls went to torch for as long as any compiled call ran (issue 13: 960 of 1,920 results on the wrong backend).
"""

from __future__ import annotations

import threading
import time
import warnings

import numpy as np
import portax
import portax.numpy as pnp
import pytest
from portax._src import registry

# Bounded in count and in time: each worker stops after this many rounds or seconds, whichever comes first.
_ROUNDS = 60
_SECONDS = 3.0


@pytest.fixture
def jax_and_torch():
    """Both backends loaded (the test needs arrays of both), and the cheap torch compile backend."""
    names = portax.backends()
    if not {"jax", "torch"} <= set(names):
        pytest.skip("needs both the jax and the torch backends")
    jax_backend, torch_backend = portax.get_backend("jax"), portax.get_backend("torch")
    previous = portax.config.torch_compile_backend
    portax.config.update("torch_compile_backend", "aot_eager")
    yield jax_backend, torch_backend
    portax.config.update("torch_compile_backend", previous)


def test_tracing_is_a_thread_local_context(jax_and_torch):
    jax_backend, torch_backend = jax_and_torch
    seen_elsewhere = []
    assert registry.tracing_backend() is None
    with registry.tracing(torch_backend):
        assert registry.tracing_backend() is torch_backend
        assert portax.current_backend() is torch_backend
        with registry.tracing(jax_backend):
            assert registry.tracing_backend() is jax_backend
        assert registry.tracing_backend() is torch_backend
        thread = threading.Thread(target=lambda: seen_elsewhere.append(registry.tracing_backend()))
        thread.start()
        thread.join(timeout=30)
    assert registry.tracing_backend() is None
    assert seen_elsewhere == [None]


def test_mixed_threads_get_their_own_backend_while_torch_jit_runs(jax_and_torch):
    import jax
    import torch

    jax_array = jax.numpy.linspace(0.0, 1.0, 64, dtype=jax.numpy.float32)
    torch_tensor = torch.linspace(0.0, 1.0, 64)
    wrong: list[str] = []
    errors: list[BaseException] = []
    torch_calls = [0]
    start = threading.Barrier(8)

    @portax.jit
    def torch_step(x):
        y = x
        for _ in range(4):
            y = pnp.tanh(y @ x.T) @ x + pnp.ones(x.shape[1])  # a creation function inside: must be torch's
        return y

    matrix = torch.rand(96, 96)
    torch_step(matrix)  # compiled once before the threads start
    pnp.sin(jax_array), pnp.zeros(3)  # and the jax backend warm
    stop = time.monotonic() + _SECONDS  # every worker runs at least one round, then stops at this time

    def check(kind: str, value: object, expected: type) -> None:
        if not isinstance(value, expected):
            wrong.append(f"{kind}: {type(value).__module__}.{type(value).__name__}")

    def torch_worker(retrace: bool) -> None:
        start.wait(timeout=30)
        for round_ in range(_ROUNDS * 4):
            if round_ and time.monotonic() > stop:
                break
            if retrace and round_ % 10 == 0:  # a fresh jit traces again while the other threads dispatch
                check("fresh torch jit", portax.jit(lambda v: pnp.sin(v) + pnp.zeros(()))(torch_tensor), torch.Tensor)
            check("torch jit", torch_step(matrix), torch.Tensor)
            torch_calls[0] += 1

    def jax_worker(kind: str) -> None:
        start.wait(timeout=30)
        for round_ in range(_ROUNDS):
            if round_ and time.monotonic() > stop:
                break
            if kind == "sin":
                check("jnp.sin(jax array)", pnp.sin(jax_array), jax.Array)
            elif kind == "grad":
                check("grad(jax array)", portax.grad(lambda v: pnp.sum(pnp.sin(v)))(jax_array), jax.Array)
            elif kind == "mixed":
                try:
                    result = pnp.add(jax_array, torch_tensor)
                except portax.errors.BackendMismatchError:
                    continue
                wrong.append(f"jnp.add(jax, torch) returned {type(result).__name__} instead of raising")
            elif kind == "create-jax":
                with portax.use_backend("jax"):
                    check("zeros under use_backend('jax')", pnp.zeros(3) + pnp.arange(3.0), jax.Array)
            else:
                with portax.use_backend("torch"):
                    check("zeros under use_backend('torch')", pnp.zeros(3), torch.Tensor)

    def guarded(target, *args):
        def run():
            try:
                target(*args)
            except BaseException as e:  # reported by the main thread
                errors.append(e)

        return run

    workers = [guarded(torch_worker, False), guarded(torch_worker, True)] + [
        guarded(jax_worker, kind) for kind in ("sin", "grad", "mixed", "create-jax", "create-torch", "sin")
    ]
    threads = [threading.Thread(target=w) for w in workers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", portax.errors.CompileFallbackWarning)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    assert torch_calls[0] > 0
    assert wrong == [], f"{len(wrong)} results on the wrong backend, e.g. {wrong[:5]}"
    np.testing.assert_allclose(np.asarray(pnp.sin(jax_array)), np.sin(np.linspace(0, 1, 64)), rtol=1e-6)
