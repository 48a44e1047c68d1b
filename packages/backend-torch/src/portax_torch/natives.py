"""torch functions portax's dispatcher calls directly (``Backend.native_functions``): same-dtype tensor operands.

For tensors of one dtype, with every other argument at its default, each torch function here computes what the
namespace's implementation computes (no promotion is involved); the dispatcher then calls it without the
implementation's dtype checks (measured on (8,) float32 tensors: ``add`` +0.34 -> ~+0.2 µs over ``torch.add``).
``None`` means every dtype (no set lookup per call); a set leaves out what the implementation treats apart (integer
sums and ``int / int`` follow JAX's dtype rules there). An engine error falls through to the implementation.
``tests/numpy/test_native_dispatch.py`` compares each entry with the implementation on every dtype: change both
together.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import torch

_INEXACT = frozenset({torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.complex64, torch.complex128})
_REAL_FLOAT = frozenset({torch.float16, torch.bfloat16, torch.float32, torch.float64})

#: portax.numpy name -> torch function, for the float-valued unary functions.
_FLOAT_VALUED = {
    "sin": "sin", "cos": "cos", "tan": "tan", "arcsin": "asin", "asin": "asin", "arctan": "atan", "atan": "atan",
    "arcsinh": "asinh", "asinh": "asinh", "arccosh": "acosh", "acosh": "acosh", "arctanh": "atanh", "atanh": "atanh",
    "exp2": "exp2", "log": "log", "log2": "log2", "log10": "log10", "sqrt": "sqrt", "sinc": "sinc",
}  # fmt: skip
_SPECIAL_COMPLEX = {
    "exp": "exp", "expm1": "expm1", "log1p": "log1p", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "acos": "acos",
    "arccos": "acos",
}  # fmt: skip

NATIVE_FUNCTIONS: Mapping[str, tuple[Callable[..., Any], Collection[Any] | None]] = {
    # Every dtype (None: no set lookup on the hot path, ~40 ns of a ~200 ns dispatch): for two tensors of one dtype the
    # implementation is this torch function itself (elementwise._binary's exact_op, products.matmul's fast path).
    # Where torch has no CPU kernel (bool matmul, uint16/32/64) it raises, and the dispatcher falls through to the
    # implementation, which computes those in int64 (a failed first attempt, on those dtypes only).
    "numpy.add": (torch.add, None),
    "numpy.subtract": (torch.subtract, None),
    "numpy.multiply": (torch.multiply, None),
    "numpy.divide": (torch.true_divide, _INEXACT),
    "numpy.matmul": (torch.matmul, None),
    # A whole-array sum of a float/complex tensor keeps its dtype on both engines.
    "numpy.sum": (torch.sum, _INEXACT),
    # Float-valued unary functions: torch's own for float and complex tensors (the implementation adds JAX's result
    # dtype for integers with x64 on, see elementwise._float_valued); torch's complex exp/expm1/log1p/sinh/cosh/tanh/
    # acos miss the array API's special values, which the implementation adds: real floats only for those.
    **{f"numpy.{name}": (getattr(torch, torch_name), _INEXACT) for name, torch_name in _FLOAT_VALUED.items()},
    **{f"numpy.{name}": (getattr(torch, torch_name), _REAL_FLOAT) for name, torch_name in _SPECIAL_COMPLEX.items()},
}

#: With x64 off (the default), torch's float-valued unary functions give JAX's result dtype for every input dtype
#: (integers and bool -> float32, as jax.numpy 0.10.2 with x64 off; checked dtype by dtype by
#: tests/numpy/test_native_dispatch.py): no dtype set, so no ``x.dtype`` read and set lookup per call (~0.2 µs of
#: ``sin`` on (8,)). Core refills the direct-call tables when ``jax_enable_x64`` changes.
NATIVE_FUNCTIONS_X64_OFF: Mapping[str, tuple[Callable[..., Any], Collection[Any] | None]] = {
    **NATIVE_FUNCTIONS,
    **{f"numpy.{name}": (getattr(torch, torch_name), None) for name, torch_name in _FLOAT_VALUED.items()},
}
