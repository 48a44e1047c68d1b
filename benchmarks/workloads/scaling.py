"""Scaling sweeps: how cost grows with problem size (MLP width; ODE steps from 10 to 10^4).

``scaling/mlp_width``: the jitted SGD step of ``jit/mlp_sgd_step`` with hidden width 64 to 4096 (portax vs native
on each engine, as there).

``scaling/ode_steps``: ``grad`` of the seed's Euler ODE with 10 to 10^4 steps. Long loops need a real loop
construct: native JAX writes ``jax.lax.fori_loop`` (the JAX reference); on torch the reference is what torch users
write, eager autograd over a Python loop (DESIGN: compiling an unrolled loop costs ~2 s per step under inductor);
the other native torch variants are torch.compile of the unrolled loop (10 steps) and torch's ``scan`` operator
differentiated by autograd in the compiled graph (the best native compiled reverse loop; "x best" compares with
the fastest native torch variant, "first call" is the compile time). portax uses ``portax.lax.fori_loop`` under ``jit`` when it exists;
without it the loop is a Python loop, unrolled by tracing, so jitted portax runs only where unrolling is bearable
(JAX: up to 100 steps, since ``jit(grad)`` of a loop unrolled past ~200 steps gets exponentially slower to run on
XLA:CPU; torch: 10 steps) and the larger points are skipped with that reason. ``portax grad (eager)`` runs every
size on torch (the Python loop, op by op, as the native reference does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks.registry import Context, Variant, workload
from benchmarks.workloads.control_flow import torch_scan_grad
from benchmarks.workloads.transforms import (
    _ode_inputs,
    _ode_torch_eager,
    mlp_step_variants,
    ode_loss,
    portax_jit,
    torch_compile,
)

ODE_STEPS = [10, 100, 1000, 10_000]
UNROLL_LIMIT = {"jax": 100, "torch": 10}  # jitted unrolled loops beyond these take minutes to compile or to run


@workload(
    "scaling/mlp_width",
    grid={"width": [64, 256, 1024, 4096]},
    quick_grid={"width": [64, 256]},
)
def mlp_width(ctx: Context, width: int):
    """Jitted SGD step of a 784-width-10 ReLU MLP, batch 128, width 64 to 4096."""
    yield from mlp_step_variants(ctx, (784, width, 10), 128)


def _has_fori_loop() -> bool:
    import portax

    return hasattr(portax.lax, "fori_loop")


def ode_loss_fori(fori_loop: Callable[..., Any], stack: Callable[[list], Any], steps: int) -> Callable[..., Any]:
    """The seed's ODE loss with the Euler loop as ``fori_loop`` (a real loop in the compiled program)."""

    def step(i, state):
        x, v = state[0], state[1]
        return state + stack([v, -0.5 * x]) * 0.1

    def loss_fn(initial_state, target_x):
        state = fori_loop(0, steps, step, initial_state)
        return (state[0] - target_x) ** 2

    return loss_fn


def _portax_ode_loss(steps: int) -> Callable[..., Any]:
    import portax
    import portax.numpy as jnp

    if _has_fori_loop():
        return ode_loss_fori(portax.lax.fori_loop, jnp.stack, steps)
    return ode_loss(jnp, jnp.stack, steps)


@workload("scaling/ode_steps", grid={"steps": ODE_STEPS}, quick_grid={"steps": [10, 100]})
def ode_steps(ctx: Context, steps: int):
    """grad of the seed's Euler ODE, 10 to 10^4 steps: jitted fori_loop (JAX), eager autograd (torch), portax."""
    for engine in ctx.engines:
        if engine == "jax":

            def native_jax() -> tuple:
                import jax
                import jax.numpy as jnp

                return jax.jit(jax.grad(ode_loss_fori(jax.lax.fori_loop, jnp.stack, steps))), _ode_inputs(ctx, "jax")

            yield Variant("native fori_loop", "jax", native_jax, reference=True)
        else:
            yield Variant("native eager autograd", "torch", lambda: _ode_torch_eager(ctx, steps), reference=True)

            def native_compiled() -> tuple:
                import torch

                if steps > UNROLL_LIMIT["torch"]:
                    raise NotImplementedError(
                        f"torch.compile of a {steps}-step unrolled loop: ~2 s of inductor compile per step"
                    )
                return torch_compile(ctx, torch.func.grad(ode_loss(torch, torch.stack, steps))), _ode_inputs(ctx, "torch")

            yield Variant(f"native torch.compile({ctx.torch_compile_backend})", "torch", native_compiled)

            def native_compiled_scan() -> tuple:
                import torch
                from torch._higher_order_ops import scan

                def loss_fn(initial_state: Any, target_x: Any) -> Any:
                    def step(state: Any, _: Any) -> tuple:
                        new = state + torch.stack([state[1], -0.5 * state[0]]) * 0.1
                        return new, new.new_zeros(())  # autograd through torch's scan needs an output

                    state, _ = scan(step, initial_state.clone(), torch.zeros(steps))
                    return (state[0] - target_x) ** 2

                return torch_scan_grad(ctx, loss_fn), _ode_inputs(ctx, "torch")

            yield Variant(f"native scan op + autograd, torch.compile({ctx.torch_compile_backend})", "torch",
                          native_compiled_scan)

            def portax_eager() -> tuple:
                import portax

                return portax.grad(_portax_ode_loss(steps)), _ode_inputs(ctx, "torch")

            yield Variant("portax grad (eager)", "torch", portax_eager)

        def portax_jitted(engine: str = engine) -> tuple:
            import portax

            if not _has_fori_loop() and steps > UNROLL_LIMIT[engine]:
                raise NotImplementedError(
                    f"no portax.lax.fori_loop yet: jit(grad) of a {steps}-step Python loop unrolls "
                    f"(limit here {UNROLL_LIMIT[engine]} steps on {engine})"
                )
            return portax_jit(ctx, portax.grad(_portax_ode_loss(steps))), _ode_inputs(ctx, engine)

        yield Variant("portax jit" + ("" if _has_fori_loop() else " (unrolled)"), engine, portax_jitted)
