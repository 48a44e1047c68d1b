"""Backend discovery (entry points) and selection (arrays, context, global, environment, priority).

Nothing here imports an engine: entry points name light classes; an engine is imported when its backend is
instantiated, which happens only when one of its arrays shows up or the backend is selected.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import threading
from collections.abc import Iterator
from importlib.metadata import entry_points
from typing import ClassVar

from portax._src.backend import Backend
from portax._src.errors import BackendMismatchError, BackendNotFoundError

ENTRY_POINT_GROUP = "portax.backends"

# pip names of the first-party backends, for the "not installed" message when asked by name.
_KNOWN_DISTRIBUTIONS = {"jax": "portax-jax", "torch": "portax-torch"}

_lock = threading.RLock()
_classes: dict[str, type[Backend]] | None = None  # name -> class, from entry points (loaded once)
_instances: dict[str, Backend] = {}  # name -> loaded backend
_type_cache: dict[type, Backend | None] = {}  # array type -> backend (None: not an array of any backend)
_global_choice: Backend | None = None
_default: tuple[str | None, Backend] | None = None  # (PORTAX_BACKEND value it was computed for, backend)
_context_choice: contextvars.ContextVar[Backend | None] = contextvars.ContextVar("portax_backend", default=None)
# The backend whose compiler traces a ``portax.jit`` function in *this thread* (see ``tracing``). A thread-local, not
# a contextvar: torch dynamo (2.13) cannot trace ``ContextVar.get`` but traces an attribute read of a
# ``threading.local`` (guarding on its type), and compilers trace in the calling thread.
_tracing_state = threading.local()

#: Called with each newly loaded backend (the dispatcher fills its tables from it).
on_load: list = []


def _backend_classes() -> dict[str, type[Backend]]:
    global _classes
    if _classes is None:
        with _lock:
            if _classes is None:
                found: dict[str, type[Backend]] = {}
                for ep in entry_points(group=ENTRY_POINT_GROUP):
                    cls = ep.load()
                    if not (isinstance(cls, type) and issubclass(cls, Backend)):
                        raise TypeError(
                            f"entry point {ep.name!r} in group {ENTRY_POINT_GROUP!r} points to {cls!r}, "
                            "which is not a subclass of portax.Backend"
                        )
                    found[ep.name] = cls
                _classes = found
    return _classes


def register_backend(cls: type[Backend], *, name: str | None = None) -> None:
    """Register a backend class without an entry point (for tests and experiments)."""
    with _lock:
        _backend_classes()[name or cls.name] = cls
        _invalidate()


def _invalidate() -> None:
    global _default
    _default = None
    _type_cache.clear()


def backends() -> list[str]:
    """Names of the installed, usable backends, highest priority first.

    Returns:
        e.g. ``["jax", "torch"]``. A backend whose engine is not importable is left out.
    """
    classes = _backend_classes()
    usable = [cls for cls in classes.values() if cls.is_available()]
    usable.sort(key=lambda cls: -cls.priority)
    return [cls.name for cls in usable]


def get_backend(name: str | Backend | None = None) -> Backend:
    """The backend called ``name`` (loading it), or the current backend when ``name`` is None.

    Raises:
        BackendNotFoundError: no such backend is installed; the message names the pip package to install.
    """
    if name is None:
        return current_backend()
    if isinstance(name, Backend):
        return name
    backend = _instances.get(name)
    if backend is not None:
        return backend
    with _lock:
        backend = _instances.get(name)
        if backend is not None:
            return backend
        cls = _backend_classes().get(name)
        if cls is None:
            package = _KNOWN_DISTRIBUTIONS.get(name, f"the plugin that provides {name!r}")
            installed = ", ".join(backends()) or "none"
            raise BackendNotFoundError(
                f"portax backend {name!r} is not installed (installed: {installed}); "
                f"install it with `pip install {package}`"
                if name in _KNOWN_DISTRIBUTIONS
                else f"portax backend {name!r} is not installed (installed: {installed}); install {package}"
            )
        if not cls.is_available():
            missing = [m for m in cls.engine_modules if not _importable(m)]
            raise BackendNotFoundError(
                f"portax backend {name!r} is installed but its engine ({', '.join(missing)}) cannot be imported; "
                f"reinstall with `pip install {cls.distribution}`"
            )
        with _numpy_random_state_kept():
            backend = cls()
            _instances[name] = backend
            _type_cache.clear()
            for callback in on_load:
                callback(backend)
        return backend


@contextlib.contextmanager
def _numpy_random_state_kept() -> Iterator[None]:
    """Restore NumPy's global random state afterwards: importing an engine may draw from it (``import jax`` 0.10
    does), and a user's ``np.random.seed(0)`` data must not change because portax loaded a backend lazily."""
    numpy = sys.modules.get("numpy")  # not imported yet: nobody has seeded it
    state = numpy.random.get_state() if numpy is not None else None
    try:
        yield
    finally:
        if state is not None:
            numpy.random.set_state(state)


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def loaded_backends() -> list[Backend]:
    """Backends instantiated so far in this process."""
    return list(_instances.values())


def backend_of_type(tp: type) -> Backend | None:
    """The backend owning arrays of type ``tp`` or None; cached per type.

    Only engines already imported can own a type (a torch tensor cannot exist unless torch is in ``sys.modules``),
    so this never imports an engine that is not already loaded.
    """
    try:
        return _type_cache[tp]
    except KeyError:
        pass
    compiling = getattr(_tracing_state, "backend", None)
    if compiling is not None:
        # A backend compiler (torch dynamo) is tracing and cannot trace the MRO walk below; only its arrays exist.
        return compiling if issubclass(tp, compiling.array_types) else None
    owner: Backend | None = None
    roots = {klass.__module__.partition(".")[0] for klass in tp.__mro__}
    for name, cls in _backend_classes().items():
        if roots.intersection(cls.array_modules) and all(m in sys.modules for m in cls.array_modules[:1]):
            backend = get_backend(name)
            if issubclass(tp, backend.array_types):
                owner = backend
                break
    _type_cache[tp] = owner
    return owner


#: ``known_backend_of_type(tp)``: the cached owner of array type ``tp`` (None when not seen yet or not an array);
#: a dict lookup for hot paths, which fall back to ``backend_of_type``.
known_backend_of_type = _type_cache.get


def backend_of(x: object) -> Backend | None:
    """The backend owning array ``x``, or None for Python scalars, NumPy arrays and other non-backend values."""
    return backend_of_type(type(x))


def backend_of_arrays(*values: object) -> Backend | None:
    """The one backend owning the arrays among ``values`` (None if there are none).

    Raises:
        BackendMismatchError: arrays of two backends are mixed; names both types.
    """
    found: Backend | None = None
    found_value: object = None
    for value in values:
        backend = backend_of_type(type(value))
        if backend is None:
            continue
        if found is None:
            found, found_value = backend, value
        elif backend is not found:
            raise BackendMismatchError(
                f"arrays of two backends in one call: {_type_name(found_value)} ({found.name}) and "
                f"{_type_name(value)} ({backend.name}); convert one side first, e.g. with "
                f"portax.numpy.asarray(portax.device_get(x)) under `portax.use_backend({found.name!r})`"
            )
    return found


def _type_name(value: object) -> str:
    tp = type(value)
    return f"{tp.__module__}.{tp.__qualname__}"


# -- selection ---------------------------------------------------------------------------------------------------


def current_backend() -> Backend:
    """The backend used when no array decides: context, then ``set_backend``, then ``PORTAX_BACKEND``, then priority."""
    compiling = getattr(_tracing_state, "backend", None)
    if compiling is not None:
        return compiling
    backend = _context_choice.get()
    if backend is not None:
        return backend
    if _global_choice is not None:
        return _global_choice
    return _default_backend()


def _default_backend() -> Backend:
    global _default
    env = os.environ.get("PORTAX_BACKEND") or None
    cached = _default
    if cached is not None and cached[0] == env:
        return cached[1]
    if env is not None:
        backend = get_backend(env)
    else:
        names = backends()
        if not names:
            raise BackendNotFoundError(
                "no portax backend is installed; install one with `pip install portax-jax` or `pip install portax-torch`"
            )
        backend = get_backend(names[0])
    _default = (env, backend)
    return backend


def set_backend(name: str | Backend | None) -> None:
    """Set the process-wide default backend (None restores the environment/priority default)."""
    global _global_choice
    _global_choice = None if name is None else get_backend(name)


@contextlib.contextmanager
def use_backend(name: str | Backend) -> Iterator[Backend]:
    """Use backend ``name`` inside the ``with`` block for calls whose arrays do not decide.

    The choice lives in a :mod:`contextvars` variable, so threads and asyncio tasks each see their own.

    Example:
        >>> import portax, portax.numpy as pnp
        >>> with portax.use_backend(portax.backends()[0]) as backend:
        ...     x = pnp.zeros(3)
    """
    backend = get_backend(name)
    token = _context_choice.set(backend)
    try:
        yield backend
    finally:
        _context_choice.reset(token)


def running_on(backend: Backend) -> contextlib.AbstractContextManager:
    """A context making ``backend`` current for the code inside it, unless a backend compiler traces this thread.

    The one place for the dynamo workaround: torch dynamo cannot trace ``contextvars``, and while a compiler traces
    (``tracing_backend()``) the compiling backend is current anyway, so nothing is entered then.
    """
    if getattr(_tracing_state, "backend", None) is not None:
        return contextlib.nullcontext()
    return use_backend(backend)


def enter_backend(backend: Backend) -> contextvars.Token:
    """Make ``backend`` current in this context (the fast form of ``use_backend``); undo with ``exit_backend``."""
    return _context_choice.set(backend)


def exit_backend(token: contextvars.Token) -> None:
    """Undo one ``enter_backend``."""
    _context_choice.reset(token)


# -- tracing by a backend compiler ---------------------------------------------------------------------------------


def tracing_backend() -> Backend | None:
    """The backend whose compiler traces portax code in this thread right now (None when none does).

    While it is set, every array is that backend's and it is the current backend, whatever ``use_backend`` says;
    other threads are unaffected. Readable from code torch dynamo traces (a thread-local attribute).
    """
    return getattr(_tracing_state, "backend", None)


class tracing:  # noqa: N801  (used as a context manager, like contextlib's)
    """``with registry.tracing(backend):`` -- ``backend``'s compiler may trace portax code in this thread.

    A backend wraps calls into its compiled code with it when its compiler cannot trace ``contextvars`` (torch
    dynamo cannot); nesting restores the outer value. A class rather than a generator: it sits on the hot path of
    every compiled call.
    """

    __slots__ = ("_backend", "_previous")

    #: The thread-local whose ``backend`` attribute this sets: a backend's hot path may set and restore it inline
    #: (``previous = getattr(tracing.state, "backend", None)``, ...), without the frames of a context manager.
    state: ClassVar[threading.local] = _tracing_state

    def __init__(self, backend: Backend | None) -> None:
        self._backend = backend

    def __enter__(self) -> Backend | None:
        self._previous = getattr(_tracing_state, "backend", None)
        _tracing_state.backend = self._backend
        return self._backend

    def __exit__(self, *exc_info: object) -> None:
        _tracing_state.backend = self._previous
