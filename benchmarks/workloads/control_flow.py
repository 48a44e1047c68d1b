"""Control flow (issue 5): ``scan`` over 1000 steps (and its gradient), a ``while_loop`` Newton iteration, a vmapped
``cond`` -- portax on torch vs portax on JAX vs native JAX (and native torch as the torch reference).

Each portax variant is the same jitted program. On torch, ``jit`` of a ``scan``/``while_loop``/``cond`` compiles
torch's own loop/cond operators; ``jit(grad(scan))`` runs uncompiled (eager Python loop under ``torch.func.grad``,
see docs/control-flow.md), which is why the torch reference for loops is eager autograd (DESIGN: the best native
torch for a 1000-step loop).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from benchmarks.registry import Context, Variant, workload

STEPS, WIDTH = 1000, 64


def _scan_inputs(ctx: Context, engine: str) -> tuple:
    rng = np.random.default_rng(0)
    c0 = rng.standard_normal(WIDTH).astype(np.float32)
    xs = (0.01 * rng.standard_normal((STEPS, WIDTH))).astype(np.float32)
    return ctx.native_array(engine, c0), ctx.native_array(engine, xs)


def _quiet(fn: Any) -> Any:
    """``fn`` with portax's CompileFallbackWarning silenced (the fallback is the documented path, not news)."""

    def call(*args: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args)

    return call


@workload(
    "control_flow",
    grid={"op": ["scan_1000"], "mode": ["forward", "grad"]},
    quick_grid={"op": ["scan_1000"], "mode": ["forward"]},
)
def scan_1000(ctx: Context, op: str, mode: str):
    """``scan`` of ``c -> 0.99 c + sin(x)`` over 1000 steps of 64 floats (``grad``: of the final carry's sum)."""

    def program(lax: Any, np_like: Any) -> Any:
        def run(c0: Any, xs: Any) -> Any:
            carry, ys = lax.scan(lambda c, x: (0.99 * c + np_like.sin(x), c), c0, xs)
            return carry.sum() + 0.001 * ys.sum()

        return run

    def portax_variant(engine: str) -> Any:
        def make() -> tuple:
            import portax
            import portax.numpy as jnp

            run = program(portax.lax, jnp)
            fn = portax.jit(run if mode == "forward" else portax.grad(run))
            return _quiet(fn), _scan_inputs(ctx, engine)

        return make

    for engine in ctx.engines:
        if engine == "jax":

            def native_jax() -> tuple:
                import jax
                import jax.numpy as jnp

                run = program(jax.lax, jnp)
                return jax.jit(run if mode == "forward" else jax.grad(run)), _scan_inputs(ctx, "jax")

            yield Variant("native jax", "jax", native_jax, reference=True)
        else:

            def native_torch() -> tuple:
                import torch

                def run(c0: Any, xs: Any) -> Any:
                    c, total = c0, 0.0
                    for x in xs:
                        total = total + c.sum()
                        c = 0.99 * c + torch.sin(x)
                    return c.sum() + 0.001 * total

                if mode == "forward":
                    return torch.no_grad()(run), _scan_inputs(ctx, "torch")
                return (lambda c0, xs: torch.func.grad(run)(c0, xs)), _scan_inputs(ctx, "torch")

            yield Variant("native torch (eager loop)", "torch", native_torch, reference=True)
        yield Variant("portax", engine, portax_variant(engine))


@workload("control_flow", grid={"op": ["while_newton"], "n": [1000]})
def while_newton(ctx: Context, op: str, n: int):
    """Newton's iteration for sqrt of ``n`` values in a ``while_loop`` until the largest residual is below 1e-5."""

    def program(lax: Any, np_like: Any) -> Any:
        def sqrt(a: Any) -> Any:
            def not_done(state: Any) -> Any:
                x, steps = state
                return (np_like.max(np_like.abs(x * x - a) / a) > 1e-5) & (steps < 100)

            def step(state: Any) -> Any:
                x, steps = state
                return 0.5 * (x + a / x), steps + 1

            return lax.while_loop(not_done, step, (0.5 * a + 0.5, 0))[0]

        return sqrt

    def inputs(engine: str) -> tuple:
        return (ctx.native_array(engine, np.linspace(0.5, 1e4, n, dtype=np.float32)),)

    def portax_variant(engine: str) -> Any:
        def make() -> tuple:
            import portax
            import portax.numpy as jnp

            return _quiet(portax.jit(program(portax.lax, jnp))), inputs(engine)

        return make

    for engine in ctx.engines:
        if engine == "jax":

            def native_jax() -> tuple:
                import jax
                import jax.numpy as jnp

                return jax.jit(program(jax.lax, jnp)), inputs("jax")

            yield Variant("native jax", "jax", native_jax, reference=True)
        else:

            def native_torch() -> tuple:

                def sqrt(a: Any) -> Any:
                    x, steps = 0.5 * a + 0.5, 0
                    while bool(((x * x - a).abs() / a).max() > 1e-5) and steps < 100:
                        x, steps = 0.5 * (x + a / x), steps + 1
                    return x

                return sqrt, inputs("torch")

            yield Variant("native torch (eager loop)", "torch", native_torch, reference=True)
        yield Variant("portax", engine, portax_variant(engine))


@workload("control_flow", grid={"op": ["vmap_cond"], "n": [10000]})
def vmapped_cond(ctx: Context, op: str, n: int):
    """``vmap`` of a ``cond`` with a per-row predicate over ``n`` rows of 16 floats (both branches + select)."""

    def program(t: Any, lax: Any, np_like: Any) -> Any:
        def row(x: Any) -> Any:
            return lax.cond(x.sum() > 0, lambda v: np_like.sin(v) * 2.0, lambda v: v * v - 1.0, x)

        return t.vmap(row)

    def inputs(engine: str) -> tuple:
        rng = np.random.default_rng(0)
        return (ctx.native_array(engine, rng.standard_normal((n, 16)).astype(np.float32)),)

    def portax_variant(engine: str) -> Any:
        def make() -> tuple:
            import portax
            import portax.numpy as jnp

            return _quiet(portax.jit(program(portax, portax.lax, jnp))), inputs(engine)

        return make

    for engine in ctx.engines:
        if engine == "jax":

            def native_jax() -> tuple:
                import jax
                import jax.numpy as jnp

                return jax.jit(program(jax, jax.lax, jnp)), inputs("jax")

            yield Variant("native jax", "jax", native_jax, reference=True)
        else:

            def native_torch() -> tuple:
                import torch

                def rows(x: Any) -> Any:
                    return torch.where(x.sum(1, keepdim=True) > 0, torch.sin(x) * 2.0, x * x - 1.0)

                return torch.compile(rows, fullgraph=True), inputs("torch")

            yield Variant("native torch (where, compiled)", "torch", native_torch, reference=True)
        yield Variant("portax", engine, portax_variant(engine))
