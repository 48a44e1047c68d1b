"""Dtype handling for the torch backend: normalising any dtype spelling to torch's, and JAX's default dtypes.

Default-dtype policy (documented in docs/backends.md): the torch backend follows JAX's defaults with x64 off, so the
same program makes the same dtypes on every backend: Python floats -> float32, Python ints -> int32, complex ->
complex64, and index-valued results (argmax, argsort, nonzero, searchsorted, ...) are int32. Native tensors passed
in keep their dtype (an int64 tensor stays int64).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

_BY_NAME = {
    "bool": torch.bool,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_NAME_OF = {dtype: name for name, dtype in _BY_NAME.items()}

DEFAULT_FLOAT = torch.float32
DEFAULT_INT = torch.int32
DEFAULT_COMPLEX = torch.complex64
INDEX_DTYPE = torch.int32

# JAX's x64 mode (``portax.config.update("jax_enable_x64", True)``) makes the defaults 64-bit. The backend's modules
# import these names as constants (no lookup on the hot path), so switching rebinds them in every portax_torch
# module that holds them; torch.compile guards those globals, so jitted functions retrace after a switch.
# ``SUM_ACCUMULATOR``: jnp.sum/prod's accumulation dtype for narrow integers (JAX widens to the default int of the
# same signedness: 32-bit with x64 off, 64-bit with x64 on); wider dtypes keep theirs.
_SUM_ACCUMULATOR_32 = {
    torch.bool: torch.int32,
    torch.int8: torch.int32,
    torch.int16: torch.int32,
    torch.uint8: torch.uint32,
    torch.uint16: torch.uint32,
}
_SUM_ACCUMULATOR_64 = {
    torch.bool: torch.int64,
    torch.int8: torch.int64,
    torch.int16: torch.int64,
    torch.int32: torch.int64,
    torch.uint8: torch.uint64,
    torch.uint16: torch.uint64,
    torch.uint32: torch.uint64,
}
_DEFAULTS = {
    False: {"DEFAULT_FLOAT": torch.float32, "DEFAULT_INT": torch.int32, "DEFAULT_COMPLEX": torch.complex64,
            "INDEX_DTYPE": torch.int32, "SUM_ACCUMULATOR": _SUM_ACCUMULATOR_32},
    True: {"DEFAULT_FLOAT": torch.float64, "DEFAULT_INT": torch.int64, "DEFAULT_COMPLEX": torch.complex128,
           "INDEX_DTYPE": torch.int64, "SUM_ACCUMULATOR": _SUM_ACCUMULATOR_64},
}
SUM_ACCUMULATOR = _SUM_ACCUMULATOR_32
_x64 = False


def x64_enabled() -> bool:
    """Whether the torch backend currently makes JAX's x64 defaults."""
    return _x64


def set_x64(enabled: bool) -> None:
    """Switch the default dtypes between JAX's x64-off (float32/int32) and x64-on (float64/int64) policies."""
    global _x64
    import sys

    enabled = bool(enabled)
    if enabled == _x64:
        return
    old, new = _DEFAULTS[_x64], _DEFAULTS[enabled]
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == "portax_torch" or module_name.startswith("portax_torch.")):
            continue
        namespace = vars(module)
        for name, value in new.items():
            if namespace.get(name, None) is old[name]:
                namespace[name] = value
    _x64 = enabled


def to_torch_dtype(dtype: Any) -> torch.dtype | None:
    """Any dtype spelling (torch, NumPy, JAX scalar type, string, Python type) as a torch dtype; None stays None.

    Python ``float``/``int``/``complex`` mean JAX's defaults (float32/int32/complex64), as in ``jnp.zeros(3, float)``.
    """
    if dtype is None or isinstance(dtype, torch.dtype):
        return dtype
    if dtype is float:
        return DEFAULT_FLOAT
    if dtype is int:
        return DEFAULT_INT
    if dtype is complex:
        return DEFAULT_COMPLEX
    if dtype is bool:
        return torch.bool
    if isinstance(dtype, str):
        name = dtype
    else:
        try:
            name = np.dtype(dtype).name
        except TypeError:
            name = getattr(dtype, "name", None) or getattr(dtype, "__name__", None) or str(dtype)
    try:
        return _BY_NAME[name]
    except KeyError:
        raise TypeError(f"cannot interpret {dtype!r} as a dtype of the torch backend") from None


def dtype_name(dtype: torch.dtype) -> str:
    """The array API name of a torch dtype (``torch.float32`` -> ``"float32"``)."""
    return _NAME_OF[dtype]


def default_dtype_for(value: Any) -> torch.dtype | None:
    """JAX's default dtype for a Python scalar (or None for anything else)."""
    if isinstance(value, bool):
        return torch.bool
    if isinstance(value, int):
        return DEFAULT_INT
    if isinstance(value, float):
        return DEFAULT_FLOAT
    if isinstance(value, complex):
        return DEFAULT_COMPLEX
    return None
