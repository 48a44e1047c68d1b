"""``portax.dtypes``: the parts of ``jax.dtypes`` programs use, accepting any backend's dtype objects.

Answers are NumPy dtypes (as ``jax.dtypes`` gives), so they compare equal across backends; ``bfloat16`` is
``ml_dtypes.bfloat16`` (what JAX uses) when ml_dtypes is installed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from portax._src import config as _config

_TO_32 = {
    np.dtype(np.float64): np.dtype(np.float32),
    np.dtype(np.int64): np.dtype(np.int32),
    np.dtype(np.uint64): np.dtype(np.uint32),
    np.dtype(np.complex128): np.dtype(np.complex64),
}


def _bfloat16() -> Any:
    try:
        import ml_dtypes
    except ImportError as error:  # pragma: no cover - ml_dtypes comes with jax
        raise ImportError("portax.dtypes.bfloat16 needs ml_dtypes: pip install ml_dtypes") from error
    return ml_dtypes.bfloat16


def to_numpy_dtype(dtype: Any) -> np.dtype:
    """Any dtype spelling (NumPy, torch, JAX, a name, a Python type, an array) as a NumPy dtype.

    Raises:
        TypeError: ``dtype`` names no dtype.
    """
    if hasattr(dtype, "dtype") and not isinstance(dtype, type):
        dtype = dtype.dtype
    if dtype is float:
        return np.dtype(np.float64 if _config.x64_enabled() else np.float32)
    if dtype is int:
        return np.dtype(np.int64 if _config.x64_enabled() else np.int32)
    if dtype is complex:
        return np.dtype(np.complex128 if _config.x64_enabled() else np.complex64)
    try:
        return np.dtype(dtype)
    except TypeError:
        pass
    name = str(getattr(dtype, "name", None) or dtype).rsplit(".", 1)[-1]  # torch.float32 -> "float32"
    if name == "bfloat16":
        return np.dtype(_bfloat16())
    try:
        return np.dtype(name)
    except TypeError:
        raise TypeError(f"cannot interpret {dtype!r} as a dtype; pass a dtype such as 'float32'") from None


def canonicalize_dtype(dtype: Any) -> np.dtype:
    """The dtype arrays of ``dtype`` get under the current x64 mode (``jax.dtypes.canonicalize_dtype``).

    Example:
        >>> canonicalize_dtype("float64")  # x64 off
        dtype('float32')
    """
    numpy_dtype = to_numpy_dtype(dtype)
    if _config.x64_enabled():
        return numpy_dtype
    return _TO_32.get(numpy_dtype, numpy_dtype)


def issubdtype(arg1: Any, arg2: Any) -> bool:
    """NumPy's ``issubdtype`` for any backend's dtypes; ``arg2`` may be an abstract type such as ``np.floating``."""
    first = to_numpy_dtype(arg1)
    if arg2 in _ABSTRACT:
        if first.name == "bfloat16":  # an ml_dtypes type NumPy does not place under np.floating
            return arg2 in (np.floating, np.inexact, np.number, np.generic)
        return bool(np.issubdtype(first, arg2))
    return bool(np.issubdtype(first, to_numpy_dtype(arg2)))


_ABSTRACT = (
    np.generic,
    np.number,
    np.inexact,
    np.floating,
    np.complexfloating,
    np.integer,
    np.signedinteger,
    np.unsignedinteger,
    np.bool_,
)


def finfo(dtype: Any) -> Any:
    """Machine limits of a floating dtype of any backend (``jax.dtypes.finfo``; bfloat16 through ml_dtypes)."""
    numpy_dtype = to_numpy_dtype(dtype)
    if numpy_dtype.name == "bfloat16":
        import ml_dtypes

        return ml_dtypes.finfo(numpy_dtype)
    return np.finfo(numpy_dtype)


def iinfo(dtype: Any) -> np.iinfo:
    """Machine limits of an integer dtype of any backend (``jax.dtypes.iinfo``)."""
    return np.iinfo(to_numpy_dtype(dtype))


def result_type(*args: Any) -> np.dtype:
    """The promoted dtype of ``args`` under the current x64 mode, as a NumPy dtype (via the current backend)."""
    from portax._src.numpy import api

    return to_numpy_dtype(api.result_type(*args))
