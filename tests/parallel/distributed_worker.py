"""One process of the data-parallel test (tests/parallel/test_distributed.py): ``python distributed_worker.py
BACKEND RANK WORLD PORT``. With WORLD > 1 it joins the others through ``portax.distributed.initialize`` and runs its
share of the 4 shards on its local (virtual) devices; ``pmean`` over the pmap axis then spans every process.
Prints the averaged gradient as JSON."""

from __future__ import annotations

import json
import os
import sys

SHARDS = 4


def data_parallel_step(rank: int, world: int) -> dict:
    """This process's share of the step: averaged gradients and axis indices of its devices (as lists)."""
    import numpy as np
    import portax
    import portax.numpy as jnp
    from portax import lax

    rng = np.random.default_rng(1)
    w = rng.standard_normal(3).astype(np.float32)
    xs = rng.standard_normal((SHARDS, 8, 3)).astype(np.float32)
    ys = rng.standard_normal((SHARDS, 8)).astype(np.float32)
    local = slice(rank * SHARDS // world, (rank + 1) * SHARDS // world)

    def loss(w, x, y):
        return jnp.mean((x @ w - y) ** 2)

    def step(w, x, y):
        return lax.pmean(portax.grad(loss)(w, x, y), "batch"), lax.axis_index("batch")

    grads, index = portax.pmap(step, axis_name="batch", in_axes=(None, 0, 0))(
        jnp.asarray(w), jnp.asarray(xs[local]), jnp.asarray(ys[local])
    )
    return {"grads": np.asarray(grads).tolist(), "index": np.asarray(index).tolist()}


def main() -> None:
    backend, rank, world, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    os.environ["PORTAX_VIRTUAL_DEVICES"] = str(SHARDS // world)
    os.environ.pop("XLA_FLAGS", None)
    import portax

    with portax.use_backend(backend):
        portax.distributed.initialize(f"127.0.0.1:{port}", num_processes=world, process_id=rank)
        print(json.dumps(data_parallel_step(rank, world)), flush=True)
        portax.distributed.shutdown()


if __name__ == "__main__":
    main()
