"""portax.nn / portax.scipy workloads (issue 9's bar): softmax-family reductions and a likelihood gradient.

``softmax``/``log_softmax``/``logsumexp`` over the last axis of a (1024, 1024) float32 array, and the gradient of
a normal log-likelihood (``norm.logpdf`` of 10^5 points) in ``(loc, scale)``; each eager and jitted, portax vs the
native spelling on the same engine (``jax.nn``/``jax.scipy`` on JAX; ``torch.softmax``/``torch.log_softmax``/
``torch.logsumexp`` and a hand-written log density under ``torch.func.grad`` on torch). Bars: within 5% eagerly,
2% under jit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.registry import Context, Variant, workload
from benchmarks.workloads.transforms import JIT_BAR, portax_jit, torch_compile

EAGER_BAR = 1.05
OPS = ("softmax", "log_softmax", "logsumexp")
_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def _portax_op(op: str) -> Callable[[Any], Any]:
    import portax.nn

    fn = getattr(portax.nn, op)
    return lambda x: fn(x, axis=-1)


def _native_op(engine: str, op: str) -> Callable[[Any], Any]:
    if engine == "jax":
        import jax

        fn = getattr(jax.nn, op)
        return lambda x: fn(x, axis=-1)
    import torch

    fn = {"softmax": torch.softmax, "log_softmax": torch.log_softmax, "logsumexp": torch.logsumexp}[op]
    return lambda x: fn(x, -1)


def _jit_native(ctx: Context, engine: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    if engine == "jax":
        import jax

        return jax.jit(fn)
    return torch_compile(ctx, fn)


def softmax_family(ctx: Context, op: str, mode: str):
    """portax.nn.{softmax, log_softmax, logsumexp}(x, axis=-1) on (1024, 1024) float32 vs the native call."""
    x = np.random.default_rng(0).standard_normal((1024, 1024), dtype=np.float32) * 10
    for engine in ctx.engines:

        def native(engine: str = engine) -> tuple:
            fn = _native_op(engine, op)
            return (fn if mode == "eager" else _jit_native(ctx, engine, fn)), (ctx.native_array(engine, x),)

        def portax(engine: str = engine) -> tuple:
            fn = _portax_op(op)
            return (fn if mode == "eager" else portax_jit(ctx, fn)), (ctx.native_array(engine, x),)

        yield Variant("native", engine, native, reference=True)
        yield Variant("portax", engine, portax)


def _portax_likelihood_grad() -> Callable[..., Any]:
    import portax
    import portax.numpy as pnp
    import portax.scipy.stats as stats

    def nll(loc, scale, data):
        return -pnp.sum(stats.norm.logpdf(data, loc, scale))

    return portax.grad(nll, argnums=(0, 1))


def _native_likelihood_grad(engine: str) -> Callable[..., Any]:
    if engine == "jax":
        import jax

        def nll_jax(loc, scale, data):
            return -jax.scipy.stats.norm.logpdf(data, loc, scale).sum()

        return jax.grad(nll_jax, argnums=(0, 1))
    import torch

    def nll_torch(loc, scale, data):
        z = (data - loc) / scale
        return -(-0.5 * z * z - torch.log(scale) - _LOG_SQRT_2PI).sum()

    return torch.func.grad(nll_torch, argnums=(0, 1))


def likelihood_grad(ctx: Context, mode: str):
    """grad of -sum(norm.logpdf(data, loc, scale)) in (loc, scale), 10^5 float32 points."""
    data = np.random.default_rng(1).standard_normal(100_000).astype(np.float32) * 2 + 0.5
    for engine in ctx.engines:

        def inputs(engine: str) -> tuple:
            return tuple(ctx.native_array(engine, np.asarray(v, np.float32)) for v in (0.3, 1.7, data))

        def native(engine: str = engine) -> tuple:
            fn = _native_likelihood_grad(engine)
            return (fn if mode == "eager" else _jit_native(ctx, engine, fn)), inputs(engine)

        def portax(engine: str = engine) -> tuple:
            fn = _portax_likelihood_grad()
            return (fn if mode == "eager" else portax_jit(ctx, fn)), inputs(engine)

        yield Variant("native", engine, native, reference=True)
        yield Variant("portax", engine, portax)


def _register(family: str, build: Callable[..., Any], grid: dict[str, list[Any]], quick_grid: dict | None) -> None:
    for mode, bar in (("eager", EAGER_BAR), ("jit", JIT_BAR)):

        def build_mode(ctx: Context, mode: str = mode, **params: Any) -> Any:
            return build(ctx, mode=mode, **params)

        build_mode.__doc__ = f"{build.__doc__} ({mode})"
        workload(f"{family}/{mode}", grid=grid, quick_grid=quick_grid, ratio_bar=bar)(build_mode)


_register("nn/softmax", softmax_family, {"op": list(OPS)}, {"op": ["softmax"]})
_register("nn/norm_logpdf_grad", likelihood_grad, {}, None)
