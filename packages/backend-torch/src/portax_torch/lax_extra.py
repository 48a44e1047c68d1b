"""torch kernels of the rarer ``portax.lax`` primitives (``portax._src.lax_extra`` / ``lax_implicit``).

``mulhi`` needs double-width integer products (int64 tensors, 32-bit limbs for int64), ``rng_uniform`` is torch's own
stateful generator, and ``primal_only`` is the context in which ``custom_root``/``custom_linear_solve`` run their
solver so that no reverse-mode transformation records it (``torch.no_grad``, which ``torch.func.grad`` respects).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

_LOW32 = 0xFFFFFFFF


def primal_only() -> Any:
    return torch.no_grad()


def _unsigned_high64(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The high 64 bits of the unsigned 128-bit product of int64 tensors read as unsigned (Hacker's Delight mulhu;
    int64 products wrap modulo 2**64, which is the unsigned arithmetic this needs)."""
    def logical_high(v: torch.Tensor) -> torch.Tensor:
        return (v >> 32) & _LOW32

    a_lo, a_hi, b_lo, b_hi = a & _LOW32, logical_high(a), b & _LOW32, logical_high(b)
    low = a_lo * b_lo
    middle = a_hi * b_lo + logical_high(low)
    middle2 = a_lo * b_hi + (middle & _LOW32)
    return a_hi * b_hi + logical_high(middle) + logical_high(middle2)


def mulhi(x: torch.Tensor, y: Any) -> torch.Tensor:
    y = torch.as_tensor(y, dtype=x.dtype, device=x.device)
    x, y = torch.broadcast_tensors(x, y)
    width = x.dtype.itemsize * 8
    if width < 32 or x.dtype == torch.int32:
        return ((x.to(torch.int64) * y.to(torch.int64)) >> width).to(x.dtype)
    if x.dtype == torch.uint32:
        a, b = x.to(torch.int64), y.to(torch.int64)
        return _high32_unsigned(a, b).to(torch.uint32)
    if x.dtype == torch.int64:
        high = _unsigned_high64(x, y)
        # signed from unsigned: subtract y where x < 0 and x where y < 0 (modulo 2**64)
        return high - torch.where(x < 0, y, torch.zeros_like(y)) - torch.where(y < 0, x, torch.zeros_like(x))
    from portax.errors import UnsupportedError

    raise UnsupportedError("torch", f"portax.lax.mulhi of {x.dtype}", "use the jax backend for this dtype")


def _high32_unsigned(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The high 32 bits of the product of two values below 2**32 (the product can pass 2**63: 16-bit limbs)."""
    a_hi, a_lo, b_hi, b_lo = a >> 16, a & 0xFFFF, b >> 16, b & 0xFFFF
    low = a_lo * b_lo
    middle = a_hi * b_lo + (low >> 16)
    middle2 = a_lo * b_hi + (middle & 0xFFFF)
    return a_hi * b_hi + (middle >> 16) + (middle2 >> 16)


def rng_uniform(a: torch.Tensor, b: torch.Tensor, shape: Sequence[int]) -> torch.Tensor:
    if a.dtype.is_floating_point:
        return torch.rand(tuple(shape), dtype=a.dtype, device=a.device) * (b - a) + a
    if a.dtype == torch.bool:
        return torch.randint(0, 2, tuple(shape), device=a.device).to(torch.bool)
    return torch.randint(int(a), int(b), tuple(shape), dtype=a.dtype, device=a.device)
