"""Per-backend native paths of ``portax.scipy`` (and the few ``portax.nn`` fast paths).

A backend class names its hook modules in the declared class attributes ``Backend.scipy_module``
(``"portax_jax.scipy"``) for ``portax.scipy``/``portax.nn`` and ``Backend.lax_module`` for the primitives of
``portax.lax``. A module is imported the first time one of its functions is needed and cached per backend, so looking a function up costs
two dict lookups. A function missing from a backend's hook module is a declared missing feature: the caller either
has a core formula (``None`` is returned) or raises :class:`portax.errors.UnsupportedError`.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from portax._src import registry
from portax._src.backend import Backend
from portax._src.errors import UnsupportedError

#: The class attributes naming a backend's hook modules.
HOOK_ATTRIBUTES = ("scipy_module", "lax_module")
_modules: dict[tuple[Backend, str], Any] = {}


def _adopt_imported_hook(backend: Backend) -> None:
    # A backend whose compiler traces Python (torch dynamo cannot trace importlib) imports its hook modules in its
    # own __init__; adopting them here keeps the first lookup inside a compiled function a plain dict hit.
    for attribute in HOOK_ATTRIBUTES:
        name = getattr(backend, attribute)  # a declared Backend attribute (HOOK_ATTRIBUTES)
        if name and name in sys.modules:
            _modules[backend, attribute] = sys.modules[name]


registry.on_load.append(_adopt_imported_hook)
for _backend in registry.loaded_backends():
    _adopt_imported_hook(_backend)


def backend_for(*values: Any) -> Backend:
    """The backend owning the arrays among ``values``, else the current backend."""
    return registry.backend_of_arrays(*values) or registry.current_backend()


def hook_module(backend: Backend, attribute: str = "scipy_module") -> Any:
    """The backend's hook module named by ``attribute`` (None when it declares none)."""
    try:
        return _modules[backend, attribute]
    except KeyError:
        pass
    name = getattr(backend, attribute)  # a declared Backend attribute (HOOK_ATTRIBUTES)
    module = importlib.import_module(name) if name else None
    _modules[backend, attribute] = module
    return module


def native(backend: Backend, name: str, attribute: str = "scipy_module") -> Any:
    """The backend's native implementation of ``name``, or None when it has none (core then computes it)."""
    module = hook_module(backend, attribute)
    return getattr(module, name, None) if module is not None else None


def required(backend: Backend, name: str, public: str) -> Any:
    """The backend's native ``name``; raises :class:`UnsupportedError` (before any work) when it has none."""
    function = native(backend, name)
    if function is None:
        raise UnsupportedError(
            backend.name, public, "use another backend for this call or implement it in the backend's scipy module"
        )
    return function


#: A context making a backend current for creation functions (a no-op while a backend compiler traces).
creating_on = registry.running_on
