"""Small helpers shared by the torch backend's indexing, linalg and fft modules (JAX's x64-off dtype rules)."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import torch

from portax_torch._base_common import inexact_of_int, result_dtype
from portax_torch._dtypes import DEFAULT_FLOAT, INDEX_DTYPE, default_dtype_for, to_torch_dtype

__all__ = [
    "as_tensor",
    "promote",
    "to_inexact",
    "is_inexact",
    "normalize_axis",
    "INDEX_DTYPE",
    "to_torch_dtype",
    "complex_of",
    "default_fill",
]


def as_tensor(value: Any, dtype: torch.dtype | None = None, device: Any = None) -> torch.Tensor:
    """``value`` as a tensor; Python scalars, lists and NumPy arrays get JAX's x64-off default dtypes."""
    if isinstance(value, torch.Tensor):
        return value if dtype is None else value.to(dtype)
    if dtype is None:
        dtype = default_dtype_for(value)
    if dtype is None:
        arr = np.asarray(value)
        if arr.dtype == np.float64:
            dtype = DEFAULT_FLOAT
        elif arr.dtype == np.int64:
            dtype = torch.int32
        elif arr.dtype == np.complex128:
            dtype = torch.complex64
        elif arr.dtype == np.uint64:
            dtype = torch.uint32
        return torch.as_tensor(arr, dtype=dtype, device=device)
    return torch.as_tensor(value, dtype=dtype, device=device)


def promote(*values: Any) -> list[torch.Tensor]:
    """Tensors of one result dtype; Python scalars are weakly typed, as in JAX (``int32 + 1.5`` is float32)."""
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    if not tensors:
        tensors = [as_tensor(values[0])]
        values = (tensors[0],) + tuple(values[1:])
    device = tensors[0].device
    dtype = tensors[0].dtype
    if builtins.any(t.dtype is not dtype for t in tensors) or builtins.any(
        not isinstance(v, torch.Tensor) for v in values
    ):
        # JAX's lattice (torch.promote_types refuses uint16/32/64 with other dtypes and differs for uint64 + int).
        dtype = result_dtype(*(v if isinstance(v, (torch.Tensor, bool, int, float, complex)) else as_tensor(v)
                               for v in values))
    return [v.to(dtype) if isinstance(v, torch.Tensor) else as_tensor(v, dtype=dtype, device=device) for v in values]


def is_inexact(dtype: torch.dtype) -> bool:
    return dtype.is_floating_point or dtype.is_complex


def to_inexact(x: torch.Tensor) -> torch.Tensor:
    """Integer and bool tensors become float32 (JAX's default float); inexact tensors are unchanged."""
    return x if is_inexact(x.dtype) else x.to(inexact_of_int(x.dtype))


def complex_of(dtype: torch.dtype) -> torch.dtype:
    if dtype.is_complex:
        return dtype
    return torch.complex128 if dtype == torch.float64 else torch.complex64


def normalize_axis(axis: int, ndim: int) -> int:
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim if ndim else 0


def default_fill(dtype: torch.dtype) -> Any:
    """JAX's default fill for out-of-bounds gathers: NaN, the most negative int, the largest unsigned, True."""
    if is_inexact(dtype):
        return float("nan")
    if dtype == torch.bool:
        return True
    info = torch.iinfo(dtype)
    return info.max if info.min == 0 else info.min
