"""One process of the multi-process shard_map tests (tests/parallel/test_distributed.py): ``python
sharded_worker.py BACKEND RANK WORLD PORT``. With WORLD > 1 it joins the others through
``portax.distributed.initialize``; the 4-device mesh then spans the processes (4 // WORLD devices each) and every
process calls the same program on the same global arguments. Prints the results as JSON (NumPy lists)."""

from __future__ import annotations

import json
import os
import sys

DEVICES = 4
RING = [(0, 1), (1, 2), (2, 3), (3, 0)]


def _numpy(x):
    import numpy as np

    if hasattr(x, "is_fully_addressable") and not x.is_fully_addressable:  # a JAX array spanning processes
        from jax.experimental import multihost_utils

        x = multihost_utils.process_allgather(x, tiled=True)
    return np.asarray(x).tolist()


def collectives() -> dict:
    """Every collective over a mesh axis of the 4 devices, one shard per device."""
    import numpy as np
    import portax
    import portax.numpy as jnp
    from portax import lax
    from portax.sharding import PartitionSpec as P

    mesh = portax.make_mesh((DEVICES,), ("i",))
    x = jnp.asarray(np.arange(16.0, dtype=np.float32) ** 1.5)

    def body(b):  # b: this shard's 4 values
        return {
            "psum": lax.psum(b, "i"), "pmean": lax.pmean(b, "i"), "pmax": lax.pmax(b, "i"), "pmin": lax.pmin(b, "i"),
            "all_gather": lax.all_gather(b, "i"), "ppermute": lax.ppermute(b, "i", RING),
            "psum_scatter": lax.psum_scatter(b, "i")[None], "all_to_all": lax.all_to_all(b, "i", 0, 0),
            "axis_index": lax.axis_index("i")[None] * 1.0,
        }  # fmt: skip

    out = portax.shard_map(body, mesh=mesh, in_specs=P("i"), out_specs=P("i"), check_vma=False)(x)
    return {name: _numpy(value) for name, value in out.items()}


def collective_grads() -> dict:
    """The gradient of ``sum(c * shard_map(collective)(x))`` for each differentiable collective, taken from outside the
    shard_map (so across the processes where the axis spans them)."""
    import numpy as np
    import portax
    import portax.numpy as jnp
    from portax import lax
    from portax.sharding import PartitionSpec as P

    mesh = portax.make_mesh((DEVICES,), ("i",))
    x = jnp.asarray(np.arange(16.0, dtype=np.float32) ** 1.5)
    ops = {
        "psum": lambda b: lax.psum(b, "i"), "pmean": lambda b: lax.pmean(b, "i"),
        "all_gather": lambda b: lax.all_gather(b, "i"), "ppermute": lambda b: lax.ppermute(b, "i", RING),
        "psum_scatter": lambda b: lax.psum_scatter(b, "i")[None], "all_to_all": lambda b: lax.all_to_all(b, "i", 0, 0),
    }  # fmt: skip
    grads = {}
    for name, op in ops.items():
        mapped = portax.shard_map(op, mesh=mesh, in_specs=P("i"), out_specs=P("i"), check_vma=False)
        shape = tuple(mapped(x).shape)
        c = jnp.asarray(np.cos(np.arange(np.prod(shape), dtype=np.float32)).reshape(shape))
        grads[name] = _numpy(portax.grad(lambda v: jnp.sum(c * mapped(v)))(x))  # noqa: B023  (called at once)
    return grads


def mlp_step() -> dict:
    """A (data x model) 2D-mesh MLP training step, with shard_map and with sharded jit."""
    import numpy as np
    import portax
    import portax.numpy as jnp
    from portax import lax
    from portax.sharding import NamedSharding, PartitionSpec as P

    rng = np.random.default_rng(7)
    batch, d_in, hidden, d_out = 8, 3, 6, 2
    params = tuple(jnp.asarray(rng.standard_normal(s).astype(np.float32)) for s in ((d_in, hidden), (hidden,), (hidden, d_out)))
    x = jnp.asarray(rng.standard_normal((batch, d_in)).astype(np.float32))
    y = jnp.asarray(rng.standard_normal((batch, d_out)).astype(np.float32))
    mesh = portax.make_mesh((2, 2), ("data", "model"))

    def local_step(params, x, y):
        """This shard's gradient, taken inside the shard_map, then summed over the data axis: a data-parallel step
        with the hidden units split over model."""

        def shard_loss(params):
            w1, b1, w2 = params
            out = lax.psum(jnp.tanh(x @ w1 + b1) @ w2, "model")  # the hidden units are split over "model"
            once = jnp.where(lax.axis_index("model") == 0, 1.0, 0.0)  # the loss counted once along "model"
            return once * jnp.sum((out - y) ** 2) / batch

        value, grads = portax.value_and_grad(shard_loss)(params)
        return lax.psum(value, ("data", "model")), lax.psum(grads, "data")

    param_specs = (P(None, "model"), P("model"), P("model", None))
    sharded_step = portax.shard_map(
        local_step, mesh=mesh, in_specs=(param_specs, P("data", None), P("data", None)), out_specs=(P(), param_specs),
        check_vma=False,
    )  # fmt: skip

    def global_loss(params, x, y):
        """The full-batch loss as one shard_map; its gradient is taken from outside (across the processes)."""
        w1, b1, w2 = params
        out = lax.psum(jnp.tanh(x @ w1 + b1) @ w2, "model")
        return lax.psum(jnp.sum((out - y) ** 2), "data") / batch

    loss_map = portax.shard_map(
        global_loss, mesh=mesh, in_specs=(param_specs, P("data", None), P("data", None)), out_specs=P()
    )

    def grad_outside_step(params, x, y):
        value, grads = portax.value_and_grad(loss_map)(params, x, y)
        return value, grads, tuple(p - 0.1 * g for p, g in zip(params, grads, strict=True))

    def full_loss(params, x, y):
        w1, b1, w2 = params
        h = lax.with_sharding_constraint(jnp.tanh(x @ w1 + b1), NamedSharding(mesh, P("data", "model")))
        return jnp.sum((h @ w2 - y) ** 2) / batch

    def shard_map_step(params, x, y):  # (jit of it: tests/parallel/test_collectives.py, in one process)
        value, grads = sharded_step(params, x, y)
        return value, grads, tuple(p - 0.1 * g for p, g in zip(params, grads, strict=True))

    @portax.jit
    def sharded_jit_step(params, x, y):
        value, grads = portax.value_and_grad(full_loss)(params, x, y)
        return value, grads, tuple(p - 0.1 * g for p, g in zip(params, grads, strict=True))

    placed = (
        tuple(portax.device_put(p, NamedSharding(mesh, s)) for p, s in zip(params, (P(None, "model"), P("model"), P("model", None)), strict=True)),
        portax.device_put(x, NamedSharding(mesh, P("data"))),
        portax.device_put(y, NamedSharding(mesh, P("data"))),
    )  # fmt: skip
    results = {}
    steps = (("shard_map", shard_map_step, (params, x, y)), ("sharded_jit", sharded_jit_step, placed),
             ("grad_outside", grad_outside_step, (params, x, y)))  # fmt: skip
    for name, step, args in steps:
        value, grads, updated = step(*args)
        results[name] = {"loss": _numpy(value), "grads": [_numpy(g) for g in grads], "updated": [_numpy(p) for p in updated]}
    return results


def main() -> None:
    backend, rank, world, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    os.environ["PORTAX_VIRTUAL_DEVICES"] = str(DEVICES // world)
    os.environ["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={DEVICES // world}"
    import portax

    portax.config.update("torch_compile_backend", "aot_eager")
    with portax.use_backend(backend):
        portax.distributed.initialize(f"127.0.0.1:{port}", num_processes=world, process_id=rank)
        assert len(portax.devices()) == DEVICES and len(portax.local_devices()) == DEVICES // world
        print(json.dumps({"collectives": collectives(), "grads": collective_grads(), "mlp": mlp_step()}), flush=True)
        portax.distributed.shutdown()


if __name__ == "__main__":
    main()
