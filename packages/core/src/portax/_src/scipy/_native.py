"""Per-backend native paths of ``portax.scipy`` (and the few ``portax.nn`` fast paths).

A backend class names its hook module in the class attribute ``scipy_module`` (``"portax_jax.scipy"``); the module
is imported the first time one of its functions is needed and cached per backend, so looking a function up costs
two dict lookups. A function missing from a backend's hook module is a declared missing feature: the caller either
has a core formula (``None`` is returned) or raises :class:`portax.errors.UnsupportedError`.
"""

from __future__ import annotations

import importlib
from typing import Any

from portax._src import registry
from portax._src.backend import Backend
from portax._src.errors import UnsupportedError

_modules: dict[Backend, Any] = {}


def backend_for(*values: Any) -> Backend:
    """The backend owning the arrays among ``values``, else the current backend."""
    return registry.backend_of_arrays(*values) or registry.current_backend()


def hook_module(backend: Backend) -> Any:
    """The backend's ``scipy`` hook module (None when it declares none)."""
    try:
        return _modules[backend]
    except KeyError:
        pass
    name = getattr(backend, "scipy_module", None)
    module = importlib.import_module(name) if name else None
    _modules[backend] = module
    return module


def native(backend: Backend, name: str) -> Any:
    """The backend's native implementation of ``name``, or None when it has none (core then computes it)."""
    module = hook_module(backend)
    return getattr(module, name, None) if module is not None else None


def required(backend: Backend, name: str, public: str) -> Any:
    """The backend's native ``name``; raises :class:`UnsupportedError` (before any work) when it has none."""
    function = native(backend, name)
    if function is None:
        raise UnsupportedError(
            backend.name, public, "use another backend for this call or implement it in the backend's scipy module"
        )
    return function
