"""A ``pmap`` data-parallel training step (issue 5): portax on torch vs portax on JAX vs native ``jax.pmap``.

One SGD step of a 2-layer tanh MLP, the batch split over the devices, gradients averaged with ``pmean``. The
device count is what the process has: run with ``PORTAX_VIRTUAL_DEVICES=4`` (set before the engines are imported:
``PORTAX_VIRTUAL_DEVICES=4 python -m benchmarks --only parallel``) for 4 virtual CPU devices on both engines. On
torch, portax's pmap is one ``torch.func.vmap`` over the devices with the collective as a batching rule, eager
(collectives are not compiled on torch); its torch reference is the same step written with ``torch.func``
(``vmap(grad)`` then a mean over the device axis). A second torch native, ``torch autograd, one backward``, is the
fastest torch form of the step (every device's loss in one batched forward, one backward of their mean: the mean of
the per-device gradients without a per-device backward); it is the ``x best`` column.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks.registry import Context, Variant, workload

FEATURES, HIDDEN = 128, 256
LEARNING_RATE = 0.01


def _data(ctx: Context, engine: str, devices: int, batch: int) -> tuple:
    rng = np.random.default_rng(0)
    values = (
        rng.standard_normal((FEATURES, HIDDEN)) / np.sqrt(FEATURES),
        rng.standard_normal((HIDDEN,)) / np.sqrt(HIDDEN),
        rng.standard_normal((devices, batch, FEATURES)),
        rng.standard_normal((devices, batch)),
    )
    return tuple(ctx.native_array(engine, np.asarray(v, dtype=np.float32)) for v in values)


def _placed_for_jax(data: tuple) -> tuple:
    """JAX arrays where the program wants them, as a JAX user places them before a parallel step: the weights
    replicated and the batch (``pmap``: its leading device axis) split over every device. JAX 0.10's ``pmap``
    refuses inputs committed to one device."""
    import jax
    from jax.sharding import NamedSharding, PartitionSpec as P

    mesh = jax.make_mesh((jax.local_device_count(),), ("batch",), (jax.sharding.AxisType.Auto,))
    w1, w2, x, y = data
    replicated, split = NamedSharding(mesh, P()), NamedSharding(mesh, P("batch"))
    return (*(jax.device_put(v, replicated) for v in (w1, w2)), *(jax.device_put(v, split) for v in (x, y)))


def _torch_one_backward(devices: int) -> Any:
    """The data-parallel step as a torch user writes it without ``torch.func``: every device's loss in one batched
    forward (the devices a leading dimension), then one ``torch.autograd.grad`` of their mean. The gradient of the
    mean of the per-device losses is the mean of the per-device gradients (what ``pmean`` of the gradients gives),
    with one backward pass instead of a vectorized one per device."""
    import torch

    def step(w1, w2, x, y):
        p1, p2 = w1.detach().requires_grad_(), w2.detach().requires_grad_()
        x, y = x.reshape(devices, -1, x.shape[-1]), y.reshape(devices, -1)
        per_device = torch.mean((torch.tanh(x @ p1) @ p2 - y) ** 2, dim=1)
        g1, g2 = torch.autograd.grad(per_device.mean(), (p1, p2))
        return w1 - LEARNING_RATE * g1, w2 - LEARNING_RATE * g2

    return step


def _device_count(engine: str) -> int:
    import portax

    return portax.local_device_count(engine)


@workload("parallel", grid={"batch": [32, 512]}, quick_grid={"batch": [32]})
def pmap_step(ctx: Context, batch: int):
    """One data-parallel SGD step (MLP 128-256-1, ``batch`` examples per device) with ``pmean`` of the gradients."""

    def portax_variant(engine: str) -> Any:
        def make() -> tuple:
            import portax
            import portax.numpy as jnp
            from portax import lax

            def loss(w1, w2, x, y):
                return jnp.mean((jnp.tanh(x @ w1) @ w2 - y) ** 2)

            def step(w1, w2, x, y):
                g1, g2 = lax.pmean(portax.grad(loss, argnums=(0, 1))(w1, w2, x, y), "batch")
                return w1 - LEARNING_RATE * g1, w2 - LEARNING_RATE * g2

            pstep = portax.pmap(step, axis_name="batch", in_axes=(None, None, 0, 0))
            data = _data(ctx, engine, _device_count(engine), batch)
            return pstep, (_placed_for_jax(data) if engine == "jax" else data)

        return make

    for engine in ctx.engines:
        if engine == "jax":

            def native_jax() -> tuple:
                import jax
                import jax.numpy as jnp

                def loss(w1, w2, x, y):
                    return jnp.mean((jnp.tanh(x @ w1) @ w2 - y) ** 2)

                def step(w1, w2, x, y):
                    g1, g2 = jax.lax.pmean(jax.grad(loss, argnums=(0, 1))(w1, w2, x, y), "batch")
                    return w1 - LEARNING_RATE * g1, w2 - LEARNING_RATE * g2

                pstep = jax.pmap(step, axis_name="batch", in_axes=(None, None, 0, 0))
                return pstep, _placed_for_jax(_data(ctx, "jax", jax.local_device_count(), batch))

            yield Variant("native jax.pmap", "jax", native_jax, reference=True)
        else:

            def native_torch() -> tuple:
                import torch

                def loss(w1, w2, x, y):
                    return torch.mean((torch.tanh(x @ w1) @ w2 - y) ** 2)

                per_device_grads = torch.func.vmap(torch.func.grad(loss, argnums=(0, 1)), in_dims=(None, None, 0, 0))

                def step(w1, w2, x, y):
                    g1, g2 = per_device_grads(w1, w2, x, y)
                    n = x.shape[0]
                    new1 = (w1 - LEARNING_RATE * g1.mean(0)).expand(n, *w1.shape)
                    return new1, (w2 - LEARNING_RATE * g2.mean(0)).expand(n, *w2.shape)

                return step, _data(ctx, "torch", _device_count("torch"), batch)

            def native_torch_autograd() -> tuple:
                one_backward = _torch_one_backward(_device_count("torch"))

                def step(w1, w2, x, y):  # pmap's outputs: the new weights on every device
                    new1, new2 = one_backward(w1, w2, x, y)
                    n = x.shape[0]
                    return new1.expand(n, *new1.shape), new2.expand(n, *new2.shape)

                return step, _data(ctx, "torch", _device_count("torch"), batch)

            yield Variant("native torch.func vmap(grad)+mean", "torch", native_torch, reference=True)
            yield Variant("native torch autograd, one backward", "torch", native_torch_autograd)
        yield Variant("portax.pmap", engine, portax_variant(engine))


@workload("parallel/shard_map", grid={"batch": [32, 512]}, quick_grid={"batch": [32]})
def shard_map_step(ctx: Context, batch: int):
    """The same data-parallel SGD step with ``shard_map`` over a 1D mesh (``batch`` examples per device), against
    ``jax.shard_map`` written by hand and, on torch, ``torch.func`` ``vmap(grad)`` over the blocks then a mean
    (in one process torch's DTensor/functional collectives have a world of one: the vectorized form is torch's own).

    On JAX both variants are jitted, as JAX programs run a shard_map step (JAX 0.10's eager ``shard_map`` of this step
    takes ~4 s per call, tracing and compiling op by op); on torch both run eagerly."""

    def step_body(grad: Any, pmean: Any, tanh: Any, mean: Any) -> Any:
        def loss(w1, w2, x, y):
            return mean((tanh(x @ w1) @ w2 - y) ** 2)

        def step(w1, w2, x, y):
            g1, g2 = pmean(grad(loss, argnums=(0, 1))(w1, w2, x, y), "batch")
            return w1 - LEARNING_RATE * g1, w2 - LEARNING_RATE * g2

        return step

    def flat(data: tuple) -> tuple:
        w1, w2, x, y = data
        return w1, w2, x.reshape(-1, x.shape[-1]), y.reshape(-1)

    def portax_variant(engine: str) -> Any:
        def make() -> tuple:
            import portax
            import portax.numpy as jnp
            from portax import lax
            from portax.sharding import PartitionSpec as P

            devices = _device_count(engine)
            mesh = portax.make_mesh((devices,), ("batch",), devices=portax.devices(engine))
            step = step_body(portax.grad, lax.pmean, jnp.tanh, jnp.mean)
            sstep = portax.shard_map(step, mesh=mesh, in_specs=(P(), P(), P("batch"), P("batch")), out_specs=P())
            data = flat(_data(ctx, engine, devices, batch))
            if engine == "jax":  # as JAX programs run a shard_map step (eager: seconds of tracing per call)
                return portax.jit(sstep), _placed_for_jax(data)
            return sstep, data

        return make

    for engine in ctx.engines:
        if engine == "jax":

            def native_jax() -> tuple:
                import jax
                import jax.numpy as jnp
                from jax.sharding import PartitionSpec as P

                devices = jax.local_device_count()
                auto = (jax.sharding.AxisType.Auto,)
                mesh = jax.make_mesh((devices,), ("batch",), auto)
                step = step_body(jax.grad, jax.lax.pmean, jnp.tanh, jnp.mean)
                sstep = jax.shard_map(step, mesh=mesh, in_specs=(P(), P(), P("batch"), P("batch")), out_specs=P())
                return jax.jit(sstep), _placed_for_jax(flat(_data(ctx, "jax", devices, batch)))

            yield Variant("native jax.shard_map", "jax", native_jax, reference=True)
        else:

            def native_torch() -> tuple:
                import torch

                def loss(w1, w2, x, y):
                    return torch.mean((torch.tanh(x @ w1) @ w2 - y) ** 2)

                per_block_grads = torch.func.vmap(torch.func.grad(loss, argnums=(0, 1)), in_dims=(None, None, 0, 0))
                devices = _device_count("torch")

                def step(w1, w2, x, y):
                    g1, g2 = per_block_grads(w1, w2, x.reshape(devices, -1, x.shape[-1]), y.reshape(devices, -1))
                    return w1 - LEARNING_RATE * g1.mean(0), w2 - LEARNING_RATE * g2.mean(0)

                return step, flat(_data(ctx, "torch", devices, batch))

            def native_torch_autograd() -> tuple:
                devices = _device_count("torch")
                return _torch_one_backward(devices), flat(_data(ctx, "torch", devices, batch))

            yield Variant("native torch.func vmap(grad)+mean", "torch", native_torch, reference=True)
            yield Variant("native torch autograd, one backward", "torch", native_torch_autograd)
        yield Variant("portax.shard_map", engine, portax_variant(engine))
