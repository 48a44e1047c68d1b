"""Eager dispatch overhead: the extra cost of one ``portax.numpy`` call over the same native call.

For small arrays the op itself costs a few µs, so the difference between variants is the per-call overhead of the
layer in front of the engine: portax's dispatch (a dict lookup on ``type(x)``), array_api_compat's wrappers, and
keras.ops when installed. Large shapes show that the overhead disappears in the op's own cost.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

from benchmarks.registry import Context, Variant, workload

OPS = ("sum", "sin", "add", "matmul")
SHAPES = ((8,), (1000,), (256, 256))
ARITY = {"sum": 1, "sin": 1, "add": 2, "matmul": 2}

# The bars of issue 2: portax's extra cost per eager op on a tiny array.
TINY_BARS = {"torch": 0.25e-6, "jax": 0.5e-6}


def _inputs(ctx: Context, engine: str, op: str, shape: tuple[int, ...]) -> tuple[Any, ...]:
    rng = np.random.default_rng(0)
    return tuple(ctx.native_array(engine, rng.standard_normal(shape, dtype=np.float32)) for _ in range(ARITY[op]))


def _native_namespace(engine: str) -> Any:
    if engine == "torch":
        import torch

        return torch
    import jax.numpy

    return jax.numpy


def _keras_ops(engine: str) -> Any:
    if importlib.util.find_spec("keras") is None:
        raise ImportError("keras is not installed")
    import keras

    if keras.backend.backend() != engine:
        raise ImportError(f"keras runs on {keras.backend.backend()!r} here (set KERAS_BACKEND={engine})")
    return keras.ops


def _array_api_compat_namespace(engine: str) -> Any:
    if engine != "torch":
        # jax arrays implement the standard themselves: array_api_compat hands back jax.numpy (the native row).
        raise ImportError("array_api_compat has no wrapper namespace for jax (it returns jax.numpy itself)")
    import array_api_compat.torch

    return array_api_compat.torch


@workload(
    "dispatch",
    grid={"op": list(OPS), "shape": list(SHAPES)},
    quick_grid={"shape": [(8,), (256, 256)]},
    bars=lambda op, shape: TINY_BARS if shape == (8,) else None,
)
def eager_op(ctx: Context, op: str, shape: tuple[int, ...]):
    """One eager op (float32): portax.numpy vs the native call, the backend's function, array_api_compat, keras.ops."""
    for engine in ctx.engines:

        def native(engine: str = engine) -> tuple:
            return getattr(_native_namespace(engine), op), _inputs(ctx, engine, op, shape)

        def portax(engine: str = engine) -> tuple:
            import portax.numpy as pnp

            return getattr(pnp, op), _inputs(ctx, engine, op, shape)

        def backend_function(engine: str = engine) -> tuple:
            # The function portax's dispatcher calls, called directly: separates the cost of dispatch (portax
            # minus this) from the cost of the backend's JAX-semantics implementation (this minus native).
            import portax

            return getattr(portax.get_backend(engine).numpy, op), _inputs(ctx, engine, op, shape)

        def array_api_compat(engine: str = engine) -> tuple:
            return getattr(_array_api_compat_namespace(engine), op), _inputs(ctx, engine, op, shape)

        def array_namespace_per_call(engine: str = engine) -> tuple:
            # What array-API library code writes: look the namespace up from the arguments on every call.
            from array_api_compat import array_namespace

            if ARITY[op] == 1:
                return (lambda x: getattr(array_namespace(x), op)(x)), _inputs(ctx, engine, op, shape)
            return (lambda x, y: getattr(array_namespace(x, y), op)(x, y)), _inputs(ctx, engine, op, shape)

        def keras(engine: str = engine) -> tuple:
            return getattr(_keras_ops(engine), op), _inputs(ctx, engine, op, shape)

        yield Variant("native", engine, native, reference=True)
        yield Variant("portax", engine, portax)
        yield Variant("backend fn, no dispatch", engine, backend_function)
        yield Variant("array_api_compat", engine, array_api_compat)
        yield Variant("array_namespace(x).op", engine, array_namespace_per_call)
        yield Variant("keras.ops", engine, keras)
