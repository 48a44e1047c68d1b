"""torch kernels of ``portax.lax`` primitives, where torch has a faster or more exact one than core's formula.

Each replaces only the formula: core has already checked the arguments with ``jax.lax``'s rules (see
``portax._src.lax_ops.kernel``), so ``x`` is a tensor and ``y`` a tensor or a Python scalar of the same dtype.
"""

from __future__ import annotations

from typing import Any

import torch
from portax.backend import to_numpy_dtype

from portax_torch._dtypes import to_torch_dtype
from portax_torch.lax_conv import (  # noqa: F401  (portax.lax's conv/dot/window/linalg kernels)
    conv_general_dilated,
    dot_general,
    linalg_cholesky,
    linalg_eigh,
    linalg_lu,
    linalg_qr,
    linalg_svd,
    linalg_triangular_solve,
    reduce_window_add,
    reduce_window_max,
    reduce_window_min,
)
from portax_torch.lax_extra import mulhi, primal_only, rng_uniform  # noqa: F401  (rarer portax.lax kernels)


def _integer(x: torch.Tensor) -> bool:
    return not (x.dtype.is_floating_point or x.dtype.is_complex or x.dtype == torch.bool)


def _safe_divisor(y: Any, like: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(y with 0 and -1 replaced by 1, y == 0, y == -1)``: the CPU traps INT_MIN / -1 (XLA wraps it)."""
    y = torch.as_tensor(y, dtype=like.dtype, device=like.device)
    zero, minus_one = y == 0, (y == -1) if like.dtype.is_signed else torch.zeros_like(y, dtype=torch.bool)
    return torch.where(zero | minus_one, torch.ones_like(y), y), zero, minus_one


def div(x: torch.Tensor, y: Any) -> torch.Tensor:
    if not _integer(x):
        return torch.div(x, y)
    safe, zero, minus_one = _safe_divisor(y, x)
    out = torch.where(minus_one, -x, torch.div(x, safe, rounding_mode="trunc"))
    # XLA's integer division by zero sets every bit: -1 signed, the maximum unsigned.
    return torch.where(zero, torch.full_like(out, -1 if x.dtype.is_signed else torch.iinfo(x.dtype).max), out)


def rem(x: torch.Tensor, y: Any) -> torch.Tensor:
    if not _integer(x):
        return torch.fmod(x, y)
    safe, zero, minus_one = _safe_divisor(y, x)
    out = torch.where(minus_one, torch.zeros_like(x), torch.fmod(x, safe))
    return torch.where(zero, x, out)  # XLA: x % 0 == x


def rsqrt(x: torch.Tensor) -> torch.Tensor:
    return torch.rsqrt(x)


def complex(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:  # noqa: A001 (jax.lax's name)
    # torch.complex keeps infinities (x + 1j * y would turn inf * 1j into nan + inf j).
    x, y = torch.broadcast_tensors(x, y)
    return torch.complex(x, y)


def cummax(x: torch.Tensor, axis: int) -> torch.Tensor:
    return torch.cummax(x, axis).values


def cummin(x: torch.Tensor, axis: int) -> torch.Tensor:
    return torch.cummin(x, axis).values


def cumlogsumexp(x: torch.Tensor, axis: int) -> torch.Tensor:
    return torch.logcumsumexp(x, axis)


def bitcast_convert_type(operand: torch.Tensor, new_dtype: Any) -> torch.Tensor:
    # JAX: a narrower dtype adds a trailing axis of the size ratio, a wider one consumes such an axis.
    target = to_torch_dtype(new_dtype)
    old_size, new_size = operand.dtype.itemsize, target.itemsize
    if old_size == new_size:
        return operand.view(target)
    if old_size > new_size:
        return operand.unsqueeze(-1).view(target)
    ratio = new_size // old_size
    if operand.ndim == 0 or operand.shape[-1] != ratio:
        raise ValueError(
            f"Attempting to convert array of shape {tuple(operand.shape)} from {to_numpy_dtype(operand.dtype).name} "
            f"of size {8 * old_size} bits to {to_numpy_dtype(target).name} of size {8 * new_size}, bits but "
            f"{operand.shape[-1] if operand.ndim else 1} * {8 * old_size} != {8 * new_size}"
        )
    return operand.view(target).squeeze(-1)


# -- special functions: torch.special's kernels for the values (core supplies JAX's derivative rules) ---------------


def igamma(a: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return torch.special.gammainc(a, x)


def igammac(a: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return torch.special.gammaincc(a, x)


def zeta(x: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    return torch.special.zeta(x, q)
