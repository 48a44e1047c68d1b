"""Creation, elementwise, reductions and manipulation functions of portax.numpy on torch."""

from __future__ import annotations

import torch

from portax_torch._dtypes import default_dtype_for, to_torch_dtype

__all__ = ["sin", "cos", "add", "multiply", "asarray", "result_type"]

sin = torch.sin
cos = torch.cos
add = torch.add
multiply = torch.multiply


def asarray(a, dtype=None, order=None, *, copy=None, device=None, out_sharding=None):
    dtype = to_torch_dtype(dtype)
    if dtype is None:
        dtype = default_dtype_for(a)
    return torch.asarray(a, dtype=dtype, copy=copy, device=device)


def result_type(*args):
    return torch.result_type(*args)
