"""``portax.distributed``: local CPU processes (gloo over 127.0.0.1 on torch, jax.distributed on JAX) run one program
together and get the one-process result: a data-parallel ``pmap`` step (2 processes), and (2 and 4 processes)
every collective over a mesh axis spanning the processes and a (data x model) MLP training step with ``shard_map``
and with sharded ``jit``, against NumPy's values and full-batch gradient."""

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
from sharded_worker import collective_grads, collectives, mlp_step

WORKER = Path(__file__).with_name("distributed_worker.py")
SHARDED_WORKER = Path(__file__).with_name("sharded_worker.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(backend_name: str, world: int, worker: Path = WORKER) -> list[dict]:
    port = str(_free_port())
    procs = [
        subprocess.Popen(
            [sys.executable, str(worker), backend_name, str(rank), str(world), port],
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


def _collectives_numpy() -> dict:
    x = np.arange(16.0, dtype=np.float32) ** 1.5
    blocks = x.reshape(4, 4)  # shard i holds blocks[i]
    total = blocks.sum(0)
    return {
        "psum": np.tile(total, 4), "pmean": np.tile(total / 4, 4), "pmax": np.tile(blocks.max(0), 4),
        "pmin": np.tile(blocks.min(0), 4), "all_gather": np.tile(blocks, (4, 1)),
        "ppermute": np.roll(blocks, 1, axis=0).reshape(-1), "psum_scatter": total,
        "all_to_all": blocks.T.reshape(-1), "axis_index": np.arange(4.0),
    }  # fmt: skip


def _collective_grads_numpy() -> dict:
    """The gradient of ``sum(c * out)``, ``out`` the shard_map's global output: each collective's transpose applied to
    ``c`` by hand (shard i holds block i of 4 values)."""

    def c(n):
        return np.cos(np.arange(n, dtype=np.float32)).astype(np.float64)

    blocks4 = c(16).reshape(4, 4)  # c's block j for outputs of 4 values per shard
    gathered = c(64).reshape(4, 4, 4)  # shard j's all_gather output: (source i, 4 values)
    return {
        "psum": np.tile(blocks4.sum(0), 4), "pmean": np.tile(blocks4.sum(0) / 4, 4),
        "all_gather": gathered.sum(0).reshape(-1), "ppermute": np.roll(blocks4, -1, axis=0).reshape(-1),
        "psum_scatter": np.tile(c(4), 4), "all_to_all": blocks4.T.reshape(-1),
    }  # fmt: skip


def _mlp_numpy() -> tuple:
    rng = np.random.default_rng(7)  # the worker's data
    w1, b1, w2 = (rng.standard_normal(s).astype(np.float32).astype(np.float64) for s in ((3, 6), (6,), (6, 2)))
    x = rng.standard_normal((8, 3)).astype(np.float32).astype(np.float64)
    y = rng.standard_normal((8, 2)).astype(np.float32).astype(np.float64)
    h = np.tanh(x @ w1 + b1)
    out = h @ w2
    dout = 2 * (out - y) / 8
    dpre = (dout @ w2.T) * (1 - h**2)
    grads = (x.T @ dpre, dpre.sum(0), h.T @ dout)
    return ((out - y) ** 2).sum() / 8, grads, tuple(p - 0.1 * g for p, g in zip((w1, b1, w2), grads, strict=True))


@pytest.mark.slow  # each worker imports and traces on its own: 25-40 s for 2 processes at load 7 on 2 cores
@pytest.mark.parametrize("world", [2, 4])
def test_shard_map_and_sharded_jit_span_processes(backend_name, world):
    """The 4-device mesh over 2 processes (``data`` spans them) or 4 (both axes do): every process gets the
    one-process values, NumPy's collectives and their gradients taken from outside the shard_map, and NumPy's
    full-batch gradient of the MLP (taken inside the shard_map, by sharded jit, and from outside)."""
    if "distributed" not in portax.get_backend(backend_name).capabilities:
        pytest.skip(f"{backend_name} declares no multi-process support")
    with portax.use_backend(backend_name):  # this process has the suite's 4 devices
        single = {"collectives": collectives(), "grads": collective_grads(), "mlp": mlp_step()}
    want, want_grads = _collectives_numpy(), _collective_grads_numpy()
    loss, grads, updated = _mlp_numpy()
    for result in (single, *_run(backend_name, world, SHARDED_WORKER)):
        for name, value in want.items():
            np.testing.assert_allclose(result["collectives"][name], value, rtol=1e-5, err_msg=name)
        for name, value in want_grads.items():
            np.testing.assert_allclose(result["grads"][name], value, rtol=1e-5, atol=1e-6, err_msg=f"grad {name}")
        for how in ("shard_map", "sharded_jit", "grad_outside"):
            step = result["mlp"][how]
            np.testing.assert_allclose(step["loss"], loss, rtol=1e-5, err_msg=how)
            for got, expected in zip(step["grads"] + step["updated"], grads + updated, strict=True):
                np.testing.assert_allclose(got, expected, rtol=2e-4, atol=1e-5, err_msg=how)
