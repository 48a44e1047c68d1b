"""Dtype functions of portax.numpy on torch (``astype``, ``result_type``, ``finfo``, ``__array_namespace_info__``, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from portax_torch._common import (
    Tensor,
    dtype_of,
    is_python_scalar,
    kind_of_dtype,
    promote_strong,
    result_dtype,
    saturating_float_to_int,
)
from portax_torch._dtypes import (
    _BY_NAME,
    DEFAULT_COMPLEX,
    DEFAULT_FLOAT,
    DEFAULT_INT,
    INDEX_DTYPE,
    dtype_name,
    to_torch_dtype,
)


def astype(x, dtype, /, *, copy=False, device=None):
    dtype = to_torch_dtype(dtype)
    x = x if isinstance(x, Tensor) else torch.asarray(x)
    if x.dtype.is_floating_point and dtype is not None and not (
        dtype.is_floating_point or dtype.is_complex or dtype is torch.bool
    ):
        return saturating_float_to_int(x, dtype).to(device=device)
    out = x.to(dtype=dtype, device=device)
    return out.clone() if copy and out is x else out


def result_type(*args):
    return result_dtype(*args)


def promote_types(a, b):
    return promote_strong(to_torch_dtype(_dtype_arg(a)), to_torch_dtype(_dtype_arg(b)))


def _dtype_arg(value: Any) -> Any:
    if isinstance(value, Tensor):
        return value.dtype
    if is_python_scalar(value):
        return type(value)
    return value


def _as_dtype(value: Any) -> torch.dtype:
    return dtype_of(_dtype_arg(value))[0]


_SIGNED = (torch.int8, torch.int16, torch.int32, torch.int64)


_UNSIGNED = (torch.uint8, torch.uint16, torch.uint32, torch.uint64)


def can_cast(from_, to, casting="safe"):
    source, target = _as_dtype(from_), _as_dtype(to)
    if casting == "unsafe":
        return True
    if casting in ("no", "equiv"):
        return source is target
    if casting == "same_kind":
        return kind_of_dtype(source) <= kind_of_dtype(target) and not (
            source in _SIGNED and target in _UNSIGNED)
    if casting != "safe":
        raise ValueError(f"casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe', got {casting!r}")
    if source is target:
        return True
    if torch.bfloat16 in (source, target):
        safe_to_bf16 = (torch.bool, torch.int8, torch.uint8, torch.bfloat16)
        if target is torch.bfloat16:
            return source in safe_to_bf16
        return target in (torch.float32, torch.float64, torch.complex64, torch.complex128)
    return bool(np.can_cast(np.dtype(dtype_name(source)), np.dtype(dtype_name(target)), "safe"))


_KIND_SETS = {
    "bool": lambda d: d is torch.bool,
    "signed integer": lambda d: d in _SIGNED,
    "unsigned integer": lambda d: d in _UNSIGNED,
    "integral": lambda d: d in _SIGNED or d in _UNSIGNED,
    "real floating": lambda d: d.is_floating_point,
    "complex floating": lambda d: d.is_complex,
    "numeric": lambda d: d is not torch.bool,
}


def isdtype(dtype, kind):
    dtype = to_torch_dtype(dtype)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    for k in kinds:
        if isinstance(k, str):
            if k not in _KIND_SETS:
                raise ValueError(f"Unrecognized data type kind: {k!r}")
            if _KIND_SETS[k](dtype):
                return True
        elif to_torch_dtype(k) is dtype:
            return True
    return False


_ABSTRACT = {
    np.generic: lambda d: True,
    np.number: lambda d: d is not torch.bool,
    np.inexact: lambda d: d.is_floating_point or d.is_complex,
    np.floating: lambda d: d.is_floating_point,
    np.complexfloating: lambda d: d.is_complex,
    np.integer: lambda d: d in _SIGNED or d in _UNSIGNED,
    np.signedinteger: lambda d: d in _SIGNED,
    np.unsignedinteger: lambda d: d in _UNSIGNED,
    np.bool_: lambda d: d is torch.bool,
}


def issubdtype(arg1, arg2):
    dtype = _as_dtype(arg1)
    if isinstance(arg2, type) and arg2 in _ABSTRACT:
        return _ABSTRACT[arg2](dtype)
    abstract = getattr(arg2, "__name__", None)
    for cls, test in _ABSTRACT.items():
        if abstract is not None and cls.__name__ == abstract and not _is_concrete(arg2):
            return test(dtype)
    if arg2 in (float, int, complex, bool):
        return {float: _ABSTRACT[np.floating], int: _ABSTRACT[np.integer], complex: _ABSTRACT[np.complexfloating],
                bool: _ABSTRACT[np.bool_]}[arg2](dtype)
    return dtype is _as_dtype(arg2)


def _is_concrete(value: Any) -> bool:
    try:
        return to_torch_dtype(value) is not None
    except TypeError:
        return False


@dataclass(frozen=True)
class finfo_object:  # noqa: N801 (mirrors numpy.finfo's attribute names)
    """Machine limits of a floating dtype (array API ``finfo``), with the torch dtype as ``dtype``."""

    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    tiny: float
    resolution: float
    dtype: torch.dtype


@dataclass(frozen=True)
class iinfo_object:  # noqa: N801
    """Machine limits of an integer dtype (array API ``iinfo``), with the torch dtype as ``dtype``."""

    bits: int
    max: int
    min: int
    dtype: torch.dtype


def finfo(dtype):
    dtype = _as_dtype(dtype)
    if dtype.is_complex:
        dtype = torch.float32 if dtype is torch.complex64 else torch.float64
    if not dtype.is_floating_point:
        raise ValueError(f"finfo needs a floating point dtype, got {dtype}")
    info = torch.finfo(dtype)
    return finfo_object(info.bits, info.eps, info.max, info.min, info.smallest_normal, info.tiny, info.resolution, dtype)


def iinfo(int_type):
    dtype = _as_dtype(int_type)
    if dtype.is_floating_point or dtype.is_complex or dtype is torch.bool:
        raise ValueError(f"iinfo needs an integer dtype, got {dtype}")
    info = torch.iinfo(dtype)
    return iinfo_object(info.bits, info.max, info.min, dtype)


def iscomplexobj(x):
    if isinstance(x, Tensor):
        return x.dtype.is_complex
    return bool(np.iscomplexobj(x))


def isrealobj(x):
    return not iscomplexobj(x)


def isscalar(element):
    # jnp.isscalar: Python/NumPy scalars and 0-d arrays (of any library) are scalars.
    if isinstance(element, (Tensor, np.ndarray)):
        return element.ndim == 0
    return bool(np.isscalar(element)) and not isinstance(element, (str, bytes))


class ArrayNamespaceInfo:
    """The array API inspection object of portax.numpy on torch (``__array_namespace_info__()``)."""

    __module__ = "portax.numpy"

    def capabilities(self) -> dict[str, Any]:
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self) -> torch.device:
        return torch.device("cpu")

    def devices(self) -> list[torch.device]:
        devices = [torch.device("cpu")]
        if torch.cuda.is_available():
            devices += [torch.device("cuda", i) for i in range(torch.cuda.device_count())]
        return devices

    def default_dtypes(self, device: Any = None) -> dict[str, torch.dtype]:
        return {
            "real floating": DEFAULT_FLOAT,
            "complex floating": DEFAULT_COMPLEX,
            "integral": DEFAULT_INT,
            "indexing": INDEX_DTYPE,
        }

    def dtypes(self, *, device: Any = None, kind: Any = None) -> dict[str, torch.dtype]:
        # The standard's dtypes only: "the returned dictionary must only contain data types defined in this
        # specification", so float16/bfloat16 (which portax.numpy still supports) are not listed.
        standard = {name: dtype for name, dtype in _BY_NAME.items() if name not in _NOT_STANDARD}
        if kind is None:
            return standard
        return {name: dtype for name, dtype in standard.items() if isdtype(dtype, kind)}


_NOT_STANDARD = frozenset({"float16", "bfloat16"})


_INFO = ArrayNamespaceInfo()


def __array_namespace_info__() -> ArrayNamespaceInfo:
    return _INFO
