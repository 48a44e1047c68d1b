"""portax.lax convolutions and windowed reductions vs the same op called natively (issue 15's bar: within 1.5x).

``conv_general_dilated`` on a (8, 32, 32, 32) float32 input with a 3x3 kernel to 64 features, in NCHW/OIHW and in
NHWC/HWIO layout (native torch: ``F.conv2d``, with the two ``permute`` calls a torch user writes for NHWC data);
``reduce_window`` max 2x2/2 (native torch: ``F.max_pool2d``) and sum 2x2/2 (``F.avg_pool2d(divisor_override=1)``)
on (8, 32, 64, 64); ``conv_transpose`` 2x upsampling (native torch: ``F.conv_transpose2d``). Native JAX is
``jax.lax`` itself. Each eager and jitted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.registry import Context, Variant, workload
from benchmarks.workloads.transforms import portax_jit, torch_compile

RATIO_BAR = 1.5
_RNG = np.random.default_rng(5)


def _ops(lax: Any, numpy: Any) -> dict[str, Callable[..., Any]]:
    maximum = getattr(lax, "max", None) or numpy.maximum
    add = getattr(lax, "add", None) or numpy.add
    return {
        "conv2d_nchw": lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "SAME"),
        "conv2d_nhwc": lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "SAME",
                                                             dimension_numbers=("NHWC", "HWIO", "NHWC")),
        "max_pool": lambda x: lax.reduce_window(x, -np.inf, maximum, (1, 1, 2, 2), (1, 1, 2, 2), "VALID"),
        "sum_pool": lambda x: lax.reduce_window(x, 0.0, add, (1, 1, 2, 2), (1, 1, 2, 2), "VALID"),
        "conv_transpose": lambda x, w: lax.conv_transpose(x, w, (2, 2), "SAME",
                                                          dimension_numbers=("NCHW", "OIHW", "NCHW")),
    }


def _torch_ops() -> dict[str, Callable[..., Any]]:
    import torch.nn.functional as F  # noqa: N812

    return {
        "conv2d_nchw": lambda x, w: F.conv2d(x, w, padding=1),
        "conv2d_nhwc": lambda x, w: F.conv2d(x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1), padding=1).permute(
            0, 2, 3, 1),
        "max_pool": lambda x: F.max_pool2d(x, 2),
        "sum_pool": lambda x: F.avg_pool2d(x, 2, divisor_override=1),
        # lax.conv_transpose(..., "SAME") pads (2, 1) and does not flip the kernel: torch's transposed convolution of
        # the flipped, swapped kernel, cropped by one at the end.
        "conv_transpose": lambda x, w: F.conv_transpose2d(x, w.flip(2, 3).transpose(0, 1), stride=2)[:, :, :-1, :-1],
    }


def _inputs(op: str) -> tuple[np.ndarray, ...]:
    def normal(*shape: int) -> np.ndarray:
        return _RNG.standard_normal(shape).astype(np.float32)

    return {
        "conv2d_nchw": lambda: (normal(8, 32, 32, 32), normal(64, 32, 3, 3)),
        "conv2d_nhwc": lambda: (normal(8, 32, 32, 32), normal(3, 3, 32, 64)),
        "max_pool": lambda: (normal(8, 32, 64, 64),),
        "sum_pool": lambda: (normal(8, 32, 64, 64),),
        "conv_transpose": lambda: (normal(8, 32, 16, 16), normal(16, 32, 3, 3)),
    }[op]()


def lax_window_op(ctx: Context, op: str, mode: str):
    """portax.lax convolution / reduce_window vs jax.lax and torch.nn.functional."""
    values = _inputs(op)
    for engine in ctx.engines:

        def native(engine: str = engine) -> tuple:
            if engine == "jax":
                import jax
                import jax.numpy as jnp

                fn = _ops(jax.lax, jnp)[op]
                fn = jax.jit(fn) if mode == "jit" else fn
            else:
                fn = _torch_ops()[op]
                fn = torch_compile(ctx, fn) if mode == "jit" else fn
            return fn, tuple(ctx.native_array(engine, v) for v in values)

        def portax(engine: str = engine) -> tuple:
            import portax.lax
            import portax.numpy

            fn = _ops(portax.lax, portax.numpy)[op]
            fn = portax_jit(ctx, fn) if mode == "jit" else fn
            return fn, tuple(ctx.native_array(engine, v) for v in values)

        yield Variant("native", engine, native, reference=True)
        yield Variant("portax", engine, portax)


for _mode in ("eager", "jit"):

    def _build(ctx: Context, mode: str = _mode, **params: Any) -> Any:
        return lax_window_op(ctx, mode=mode, **params)

    _build.__doc__ = f"{lax_window_op.__doc__} ({_mode})"
    workload(f"lax/window/{_mode}", grid={"op": ["conv2d_nchw", "conv2d_nhwc", "max_pool", "sum_pool",
                                                  "conv_transpose"]},
             quick_grid={"op": ["conv2d_nchw", "max_pool"]}, ratio_bar=RATIO_BAR)(_build)
