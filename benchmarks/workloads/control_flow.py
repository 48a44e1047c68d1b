"""Control flow (issue 5): ``scan`` over 1000 steps (and its gradient), a ``while_loop`` Newton iteration, a vmapped
``cond`` -- portax on torch vs portax on JAX vs native JAX (and native torch as the torch reference).

Each portax variant is the same jitted program. On torch, ``jit`` of a ``scan``/``while_loop``/``cond`` compiles
torch's own loop/cond operators, and ``jit(grad(scan))`` compiles too (reverse mode by autograd in the graph: a
compiled reverse scan, see docs/control-flow.md). The torch reference stays eager autograd; the best native torch
for a long reverse loop is the extra variant "scan op, autograd in graph" (the "x best" column compares with the
fastest native variant of the engine; "first call" is the compile time).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.registry import Context, Variant, workload
from benchmarks.workloads.transforms import fresh, torch_compile

STEPS, WIDTH = 1000, 64


def _scan_inputs(ctx: Context, engine: str) -> tuple:
    rng = np.random.default_rng(0)
    c0 = rng.standard_normal(WIDTH).astype(np.float32)
    xs = (0.01 * rng.standard_normal((STEPS, WIDTH))).astype(np.float32)
    return ctx.native_array(engine, c0), ctx.native_array(engine, xs)


def torch_scan_grad(ctx: Context, loss: Callable[..., Any]) -> Callable[..., Any]:
    """``grad`` (first argument) of ``loss``, a function written with torch's ``scan`` operator, compiled the best
    way native torch has for a long reverse loop: ``torch.compile(fullgraph=True)`` of a graph that calls
    ``torch.autograd.grad`` (dynamo's ``trace_autograd_ops``), whose backward AOTAutograd builds as a compiled
    reverse scan. The option is needed while dynamo traces only (a call that fails without it traces again with it,
as portax does)."""
    import torch

    def grad(first: Any, *rest: Any) -> Any:
        watched = first.detach().requires_grad_()
        with torch.enable_grad():
            return torch.autograd.grad(loss(watched, *rest), watched)[0]

    compiled = torch_compile(ctx, grad)
    if ctx.torch_compile_backend == "inductor":  # its C++ wrapper: ~2.4x cheaper loop steps (as portax uses)
        compiled = torch.compile(fresh(grad), fullgraph=True, backend="inductor", options={"cpp_wrapper": True})

    def call(*args: Any) -> Any:
        try:
            return compiled(*args)
        except torch._dynamo.exc.Unsupported as e:  # a (re)trace: needs the option
            if "trace_autograd_ops" not in str(e):
                raise
        with torch._dynamo.config.patch(trace_autograd_ops=True):
            return compiled(*args)

    return call


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
            if mode == "grad":

                def native_torch_scan() -> tuple:
                    import torch
                    from torch._higher_order_ops import scan

                    def run(c0: Any, xs: Any) -> Any:
                        carry, ys = scan(lambda c, x: (0.99 * c + torch.sin(x), c.clone()), c0.clone(), xs)
                        return carry.sum() + 0.001 * ys.sum()

                    return torch_scan_grad(ctx, run), _scan_inputs(ctx, "torch")

                yield Variant("native torch (scan op, autograd in graph)", "torch", native_torch_scan)
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
