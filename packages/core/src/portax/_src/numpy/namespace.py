"""The non-function parts of ``portax.numpy``: constants, per-backend dtypes, namespace info."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from portax._src import registry
from portax._src.backend import DTYPE_NAMES
from portax._src.dtypes import to_numpy_dtype

__array_api_version__ = "2024.12"

e = math.e
pi = math.pi
inf = math.inf
nan = math.nan
euler_gamma = 0.5772156649015329
newaxis = None

# NumPy's aliases that jax.numpy keeps (``jnp.float_`` is float64, ``jnp.int_`` int64, ``jnp.csingle`` complex64).
_DTYPE_ALIASES = {"bool_": "bool", "double": "float64", "single": "float32", "half": "float16", "float_": "float64",
                  "int_": "int64", "uint": "uint64", "complex_": "complex128", "cdouble": "complex128",
                  "csingle": "complex64"}  # fmt: skip


def dtype_attribute(name: str) -> Any:
    """Resolve ``portax.numpy.<dtype name>`` to the current backend's dtype object."""
    canonical = _DTYPE_ALIASES.get(name, name)
    if canonical not in DTYPE_NAMES:
        raise AttributeError(name)
    backend = registry.current_backend()
    try:
        return backend.dtypes[canonical]
    except KeyError:
        raise AttributeError(f"the {backend.name!r} backend has no dtype {canonical!r}") from None


def __array_namespace_info__() -> Any:
    """The array API inspection object of the current backend (default dtypes, devices, capabilities)."""
    return registry.current_backend().numpy.__array_namespace_info__()


def dtype(dtype: Any, align: bool = False, copy: bool = False) -> np.dtype:
    """``jax.numpy.dtype`` (which is ``numpy.dtype``), also accepting torch dtypes and arrays of any backend.

    Args:
        dtype: a dtype of any backend (``torch.float32``, ``jnp.float32``), a name, a NumPy type, or an array.
        align, copy: as in ``numpy.dtype``.

    Returns:
        The NumPy dtype, so ``jnp.dtype(x.dtype).name == "float32"`` and ``jnp.dtype(x.dtype).itemsize`` are the same
        on every backend.

    Raises:
        TypeError: ``dtype`` names no dtype.

    Example:
        >>> import portax.numpy as pnp
        >>> pnp.dtype(pnp.ones(2).dtype).name
        'float32'
    """
    if not isinstance(dtype, (type, str, np.dtype)) and hasattr(dtype, "dtype"):
        dtype = dtype.dtype  # an array of any backend (numpy.dtype(array) is deprecated)
    try:
        return np.dtype(dtype, align, copy)
    except (TypeError, ValueError):
        return to_numpy_dtype(dtype)
