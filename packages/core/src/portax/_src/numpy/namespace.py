"""The non-function parts of ``portax.numpy``: constants, per-backend dtypes, namespace info."""

from __future__ import annotations

import math
from typing import Any

from portax._src import registry
from portax._src.backend import DTYPE_NAMES

__array_api_version__ = "2024.12"

e = math.e
pi = math.pi
inf = math.inf
nan = math.nan
euler_gamma = 0.5772156649015329
newaxis = None

_DTYPE_ALIASES = {"bool_": "bool", "double": "float64", "single": "float32", "half": "float16"}


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
