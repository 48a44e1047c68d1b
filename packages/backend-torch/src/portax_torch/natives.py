"""torch functions portax's dispatcher calls directly (``Backend.native_functions``): same-dtype tensor operands.

For tensors of one dtype, with every other argument at its default, each torch function here computes what the
namespace's implementation computes (no promotion is involved); the dispatcher then calls it without the
implementation's dtype checks (measured on (8,) float32 tensors: ``add`` +0.34 -> ~+0.2 µs over ``torch.add``).
``None`` would mean every dtype; each set here leaves out what the implementation treats apart (integer sums and
``int / int`` follow JAX's dtype rules there; bool and uint16/32/64 lack torch CPU kernels for some ops).
``tests/numpy/test_native_dispatch.py`` compares each entry with the implementation on every dtype: change both
together.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import torch

_INEXACT = frozenset({torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.complex64, torch.complex128})
_NUMERIC = _INEXACT | {torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8}

NATIVE_FUNCTIONS: Mapping[str, tuple[Callable[..., Any], Collection[Any] | None]] = {
    # bool and uint16/32/64 are left to the implementation (torch lacks some CPU kernels for them).
    "numpy.add": (torch.add, _NUMERIC),
    "numpy.subtract": (torch.subtract, _NUMERIC),
    "numpy.multiply": (torch.multiply, _NUMERIC),
    "numpy.divide": (torch.true_divide, _INEXACT),
    "numpy.matmul": (torch.matmul, _NUMERIC),
    # A whole-array sum of a float/complex tensor keeps its dtype on both engines.
    "numpy.sum": (torch.sum, _INEXACT),
}
