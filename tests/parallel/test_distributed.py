"""``portax.distributed``: two local CPU processes run a data-parallel gradient step (``pmap`` + ``pmean`` spanning
both processes: gloo over 127.0.0.1 on torch, jax.distributed on JAX) and get the one-process result."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import portax
import pytest
from distributed_worker import data_parallel_step

WORKER = Path(__file__).with_name("distributed_worker.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(backend_name: str, world: int) -> list[dict]:
    port = str(_free_port())
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), backend_name, str(rank), str(world), port],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rank in range(world)
    ]
    results = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            for other in procs:
                other.kill()
            raise
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_two_processes_match_one_process(backend_name):
    if "distributed" not in portax.get_backend(backend_name).capabilities:
        with pytest.raises(portax.errors.UnsupportedError):
            portax.distributed.initialize("127.0.0.1:1", 2, 0, backend=backend_name)
        return
    rng = np.random.default_rng(1)  # the worker's data
    w = rng.standard_normal(3)
    X = rng.standard_normal((4, 8, 3)).astype(np.float32).reshape(-1, 3).astype(np.float64)
    Y = rng.standard_normal((4, 8)).astype(np.float32).reshape(-1).astype(np.float64)
    w = w.astype(np.float32).astype(np.float64)
    full = 2 * X.T @ (X @ w - Y) / len(Y)

    with portax.use_backend(backend_name):  # this process has the suite's 4 devices
        single = data_parallel_step(0, 1)
    first, second = _run(backend_name, 2)
    assert single["index"] == [0, 1, 2, 3]
    assert first["index"] + second["index"] == [0, 1, 2, 3]  # the pmap axis spans both processes
    for result in (single, first, second):
        np.testing.assert_allclose(result["grads"], np.broadcast_to(full, (len(result["index"]), 3)), rtol=1e-5)


def test_initialize_needs_an_address_on_torch():
    if "torch" not in portax.backends():
        pytest.skip("torch backend not installed")
    with pytest.raises(ValueError, match="coordinator_address"):
        portax.distributed.initialize(backend="torch")
