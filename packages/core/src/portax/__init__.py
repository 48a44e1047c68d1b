"""portax: write JAX-style array code once, run it on JAX/XLA or PyTorch with native arrays.

``import portax as jax`` gives JAX's public names; submodules load lazily, and no engine (jax, torch) is imported
until an array or a backend is needed.
"""

from __future__ import annotations

import importlib
from typing import Any

from portax import errors as errors
from portax._src.backend import Backend as Backend
from portax._src.registry import (
    backend_of as backend_of,
    backends as backends,
    current_backend as current_backend,
    get_backend as get_backend,
    register_backend as register_backend,
    set_backend as set_backend,
    use_backend as use_backend,
)

__version__ = "0.1.0"

_LAZY_SUBMODULES = ("numpy", "typing")


def __getattr__(name: str) -> Any:
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"portax.{name}")
    raise AttributeError(f"module 'portax' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY_SUBMODULES])
