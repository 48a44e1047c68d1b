"""Products of portax.numpy on torch (``matmul``, ``dot``, ``einsum``, ``tensordot``, ...)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from portax.errors import UnsupportedError

from portax_torch._common import _UNSIGNED_WIDE, as_tensor, normalize_axis, promote
from portax_torch._dtypes import (
    to_torch_dtype,
)


def matvec(x1: Any, x2: Any, /) -> torch.Tensor:
    x1, x2 = as_tensor(x1), as_tensor(x2)
    return matmul(x1, x2.unsqueeze(-1)).squeeze(-1)


def vecmat(x1: Any, x2: Any, /) -> torch.Tensor:
    x1, x2 = as_tensor(x1), as_tensor(x2)
    x1 = torch.conj(x1) if x1.dtype.is_complex else x1
    return matmul(x1.unsqueeze(-2), x2).squeeze(-2)


def _cast_result(x: torch.Tensor, preferred_element_type: Any) -> torch.Tensor:
    dtype = to_torch_dtype(preferred_element_type)
    return x if dtype is None else x.to(dtype)


# Dtypes torch.matmul/tensordot have no CPU kernels for ("addmm_impl_cpu_" not implemented for 'UInt16').
_NO_MATMUL = frozenset({torch.bool, torch.uint16, torch.uint32, torch.uint64})


_Tensor = torch.Tensor


_torch_matmul = torch.matmul


def _int64_product(fn: Any, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    # Integer products and sums modulo 2**64 in int64 give the same bits as uint16/32/64; bool is "any of ands".
    out = fn(a.to(torch.int64), b.to(torch.int64))
    return out != 0 if a.dtype is torch.bool else out.to(a.dtype)


def matmul(a, b, precision=None, preferred_element_type=None, out_sharding=None):
    # Fast path: two tensors of one dtype need no promotion (torch.matmul never promotes: mixed dtypes raise).
    # Cheapest tests first; torch.matmul bound to a module global (no attribute lookup on ``torch`` per call).
    if preferred_element_type is None and type(a) is _Tensor and type(b) is _Tensor and a.dtype is b.dtype:
        try:
            return _torch_matmul(a, b)
        except NotImplementedError:
            pass  # bool or uint16/32/64 (no CPU kernel): the int64 path below
    a, b = promote(a, b)
    if a.dtype in _NO_MATMUL:
        return _cast_result(_int64_product(torch.matmul, a, b), preferred_element_type)
    return _cast_result(torch.matmul(a, b), preferred_element_type)


def dot(a, b, *, precision=None, preferred_element_type=None, out_sharding=None):
    a, b = promote(a, b)
    if a.dtype in _NO_MATMUL and a.ndim and b.ndim:
        return _cast_result(_int64_product(lambda x, y: dot(x, y), a, b), preferred_element_type)
    if a.ndim == 0 or b.ndim == 0:
        out = a * b
    elif b.ndim == 1:
        out = torch.tensordot(a, b, dims=([a.ndim - 1], [0]))
    else:
        out = torch.tensordot(a, b, dims=([a.ndim - 1], [b.ndim - 2]))
    return _cast_result(out, preferred_element_type)


def vdot(a, b, *, precision=None, preferred_element_type=None):
    a, b = promote(a, b)
    # tensordot keeps the promoted dtype (int32 . int32 -> int32) and has the uint16/32/64 and bool paths.
    return tensordot(a.conj().reshape(-1), b.reshape(-1), 1, preferred_element_type=preferred_element_type)


def inner(a, b, *, precision=None, preferred_element_type=None):
    a, b = promote(a, b)
    if a.ndim == 0 or b.ndim == 0:
        out = a * b
    else:
        if a.shape[-1] != b.shape[-1]:
            raise TypeError(f"portax.numpy.inner: the last axes must have the same size, got shapes {tuple(a.shape)} "
                            f"and {tuple(b.shape)} (as jax.numpy.inner)")
        return tensordot(a, b, ([a.ndim - 1], [b.ndim - 1]), preferred_element_type=preferred_element_type)
    return _cast_result(out, preferred_element_type)


def outer(a, b, out=None):
    a, b = promote(a, b)
    return a.reshape(-1, 1) * b.reshape(1, -1)


def tensordot(a, b, axes=2, *, precision=None, preferred_element_type=None, out_sharding=None):
    a, b = promote(a, b)
    if isinstance(axes, torch.Tensor):
        axes = axes.tolist()
    if not isinstance(axes, int):
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, int) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, int) else list(axes_b)
        axes = ([normalize_axis(i, a.ndim) for i in axes_a], [normalize_axis(i, b.ndim) for i in axes_b])
    if a.dtype in _UNSIGNED_WIDE:
        # No uint16/32/64 "dot" kernel in torch; int64 arithmetic gives the same bits modulo 2**64.
        out = torch.tensordot(a.to(torch.int64), b.to(torch.int64), dims=axes).to(a.dtype)
    elif a.dtype is torch.bool:  # no bool "dot" kernel; JAX's bool dot is "any of the ands"
        out = torch.tensordot(a.to(torch.int64), b.to(torch.int64), dims=axes) != 0
    else:
        out = torch.tensordot(a, b, dims=axes)
    return _cast_result(out, preferred_element_type)


def vecdot(x1, x2, /, *, axis=-1, precision=None, preferred_element_type=None):
    x1, x2 = promote(x1, x2)
    x1, x2 = torch.broadcast_tensors(x1, x2)
    dtype = x1.dtype
    if dtype in _UNSIGNED_WIDE:
        # No uint16/32/64 sum kernel in torch: products and sums modulo 2**64 in int64 are the same bits.
        x1, x2 = x1.to(torch.int64), x2.to(torch.int64)
    # torch.sum widens integers to int64; jnp.vecdot keeps the promoted dtype (uint8 . uint8 -> uint8).
    out = torch.sum(x1.conj() * x2, dim=axis).to(dtype)
    return _cast_result(out, preferred_element_type)


def kron(a, b):
    a, b = promote(a, b)
    if a.dtype is torch.bool:
        raise TypeError("portax.numpy.kron does not accept bool arrays (as jax.numpy: mul of bools); cast first")
    return torch.kron(a, b)


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    a, b = promote(a, b)
    if axis is not None:
        axisa = axisb = axisc = axis
    a = torch.movedim(a, axisa, -1)
    b = torch.movedim(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    if a.shape[-1] == 2:
        a = torch.cat([a, torch.zeros_like(a[..., :1])], dim=-1)
    if b.shape[-1] == 2:
        b = torch.cat([b, torch.zeros_like(b[..., :1])], dim=-1)
    a, b = torch.broadcast_tensors(a, b)
    a0, a1, a2 = a.unbind(-1)
    b0, b1, b2 = b.unbind(-1)
    out = torch.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], dim=-1)
    return torch.movedim(out, -1, axisc)


def einsum(
    subscripts, /, *operands, out=None, optimize="auto", precision=None, preferred_element_type=None, out_sharding=None
):
    if not isinstance(subscripts, str):
        raise UnsupportedError("torch", "portax.numpy.einsum in the interleaved (operand, axes, ...) form",
                               "pass a subscripts string, e.g. einsum('ij,jk->ik', a, b)")
    operands = promote(*operands)
    return _cast_result(torch.einsum(subscripts, *operands), preferred_element_type)


def einsum_path(subscripts, /, *operands, optimize="auto"):
    shapes = [np.empty(tuple(as_tensor(op).shape), dtype=np.float32) for op in operands]
    # JAX returns opt_einsum's path (a list of contraction pairs, no leading "einsum_path" marker) and a report.
    path, report = np.einsum_path(subscripts, *shapes, optimize="greedy" if optimize in ("auto", True) else optimize)
    return [tuple(step) for step in path[1:]], report
