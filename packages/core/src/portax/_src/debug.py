"""``portax.debug`` (print, callback), ``jax_debug_nans`` on backends without it, ``device_get`` and ``make_jaxpr``.

A backend provides ``Backend.debug``, a module with ``callback(fn, args, kwargs, ordered)`` (run ``fn`` on concrete
NumPy-convertible values eagerly, inside its jit, per lane under vmap as JAX 0.10 does, and with primal values under
grad) and ``make_jaxpr(fun, static_argnums)``.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from portax._src import config as config_module, dispatch, registry, tree as tree_util
from portax._src.backend import Backend, DebugHooks
from portax._src.errors import UnsupportedError


def _debug_module(backend: Backend, feature: str) -> DebugHooks:
    module = backend.debug
    if module is None:
        raise UnsupportedError(backend.name, feature, "use another backend for debugging this program")
    return module


def _to_numpy(value: Any) -> Any:
    backend = registry.backend_of(value)
    if backend is None:
        return value
    hooks = backend.debug
    return hooks.to_numpy(value) if hooks is not None else np.asarray(value)


def callback(callback: Callable[..., Any], *args: Any, ordered: bool = False, **kwargs: Any) -> None:
    """Call ``callback(*args, **kwargs)`` with concrete NumPy values, also inside ``jit``/``vmap``/``grad``.

    As ``jax.debug.callback``: under ``vmap`` the callback runs once per lane with that lane's values; under
    ``grad`` it sees the primal values; its return value is ignored. On torch under ``jit`` the callback must be
    defined outside the jitted function (it becomes a constant of the compiled graph).

    Args:
        callback: a Python function; called with ``args``/``kwargs`` whose arrays are NumPy arrays.
        ordered: keep the order of effects with other ordered callbacks (JAX); torch runs callbacks in program
            order always.

    Example:
        >>> import portax.numpy as jnp
        >>> seen = []
        >>> callback(seen.append, jnp.arange(3.0))
        >>> seen
        [array([0., 1., 2.], dtype=float32)]
    """
    arrays: list[Any] = []
    spec = _spec((args, kwargs), arrays)
    backend = registry.backend_of_arrays(*arrays) or registry.current_backend()
    _debug_module(backend, "portax.debug.callback").callback(callback, spec, arrays, ordered)


def invoke(callback: Callable[..., Any], spec: Any, arrays: Sequence[Any]) -> None:
    """Rebuild the arguments described by ``spec`` around ``arrays`` (as NumPy) and call ``callback`` (for backends)."""
    call_args, call_kwargs = _rebuild(spec, iter([_to_numpy(a) for a in arrays]))
    callback(*call_args, **call_kwargs)


# The structure of a callback's arguments as nested tuples of constants (not a treedef object): torch dynamo folds
# it to a constant of the compiled graph, so the callback can be registered once at trace time.
def _spec(tree: Any, arrays: list[Any]) -> Any:
    if registry.backend_of(tree) is not None:
        arrays.append(tree)
        return ("array",)
    if tree is None:
        return ("none",)
    tp = type(tree)
    if tp in tree_util._custom_nodes:
        children, aux = tree_util._custom_nodes[tp][0](tree)
        return ("custom", tp, aux, tuple(_spec(child, arrays) for child in children))
    if isinstance(tree, (tuple, list)):
        return ("sequence", tp, tuple(_spec(child, arrays) for child in tree))
    if isinstance(tree, dict):
        keys = tuple(tree)
        return ("dict", tp, keys, tuple(_spec(tree[key], arrays) for key in keys))
    return ("constant", tree)


def _rebuild(spec: Any, arrays: Any) -> Any:
    kind = spec[0]
    if kind == "array":
        return next(arrays)
    if kind == "none":
        return None
    if kind == "constant":
        return spec[1]
    if kind == "custom":
        return tree_util._custom_nodes[spec[1]][1](spec[2], [_rebuild(child, arrays) for child in spec[3]])
    if kind == "sequence":
        values = [_rebuild(child, arrays) for child in spec[2]]
        return spec[1](*values) if hasattr(spec[1], "_fields") else spec[1](values)
    return spec[1](zip(spec[2], [_rebuild(child, arrays) for child in spec[3]], strict=True))


def _print_formatted(fmt: str, *args: Any, **kwargs: Any) -> None:
    import builtins

    builtins.print(fmt.format(*args, **kwargs))


def print(fmt: str, *args: Any, ordered: bool = False, **kwargs: Any) -> None:  # noqa: A001
    """Print ``fmt.format(*args, **kwargs)`` with concrete values, also inside ``jit``/``vmap``/``grad``.

    As ``jax.debug.print``: arrays print as NumPy prints them; under ``vmap`` one line per lane.

    Example:
        >>> import portax.numpy as jnp
        >>> print("x = {}", jnp.arange(3.0))
        x = [0. 1. 2.]
    """
    _check_format(fmt)
    callback(_print_formatted, fmt, *args, ordered=ordered, **kwargs)


def _check_format(fmt: str) -> None:
    if not isinstance(fmt, str):
        raise TypeError(
            f"portax.debug.print: the format must be a str, got {type(fmt).__name__}; "
            "write portax.debug.print('{}', x)"
        )
    if registry.tracing_backend() is None:  # (torch dynamo cannot trace the C formatter parser)
        list(string.Formatter().parse(fmt))  # raises ValueError for a malformed format now, not later in a callback


# -- jax_debug_nans on backends that do not check themselves ----------------------------------------------------


def _nan_checking(backend: Any, name: str, impl: Callable[..., Any]) -> Callable[..., Any]:
    has_nan = _debug_module(backend, "jax_debug_nans").has_nan

    @functools.wraps(impl)
    def checked(*args: Any, **kwargs: Any) -> Any:
        result = impl(*args, **kwargs)
        if registry.tracing_backend() is not None:  # traced values: the jit's outputs are checked instead
            return result
        for leaf in tree_util.leaves(result):
            if has_nan(leaf):
                raise FloatingPointError(
                    f"invalid value (nan) encountered in portax.numpy.{name} on {backend.name} "
                    "(jax_debug_nans is on; turn it off with portax.config.update('jax_debug_nans', False))"
                )
        return result

    checked.__wrapped_for_nans__ = impl  # type: ignore[attr-defined]
    return checked


_nan_checked_backends: set[Any] = set()


def _check_transform_output(backend: Any, out: Any) -> None:
    if backend not in _nan_checked_backends:
        return
    has_nan = _debug_module(backend, "jax_debug_nans").has_nan
    for leaf in tree_util.leaves(out):
        if has_nan(leaf):
            raise FloatingPointError(
                f"invalid value (nan) encountered in the output of a portax transformation (jit/grad/vmap/...) on "
                f"{backend.name} (jax_debug_nans is on; turn it off with portax.config.update('jax_debug_nans', False))"
            )


def _on_config(backend: Any, name: str, value: Any, handled: bool) -> None:
    if name != "jax_debug_nans" or handled:
        return
    from portax._src import transforms

    if value:
        _nan_checked_backends.add(backend)
        if _check_transform_output not in transforms.output_checks:
            transforms.output_checks.append(_check_transform_output)
    else:
        _nan_checked_backends.discard(backend)
        if not _nan_checked_backends and _check_transform_output in transforms.output_checks:
            transforms.output_checks.remove(_check_transform_output)
    # Wrap (or unwrap) this backend's entries of the dispatch tables: no cost at all while the option is off. Direct
    # engine calls would skip the wrapper: off while it is on.
    dispatch.set_natives(backend, not value)
    for module, function, table in dispatch._TABLES:
        impl = table.get(backend)
        if impl is None:
            continue
        original = getattr(impl, "__wrapped_for_nans__", impl)
        new = (
            _nan_checking(backend, function if module == "numpy" else f"{module[6:]}.{function}", original)
            if value
            else original
        )
        for key, entry in list(table.items()):
            if entry is impl:
                table[key] = new


config_module.listeners.append(_on_config)


def _on_backend_loaded(backend: Any) -> None:
    # Registered after dispatch's own hook (this module imports dispatch), so the backend's tables are filled.
    if debug_nans_enabled():
        _on_config(backend, "jax_debug_nans", True, False)


registry.on_load.append(_on_backend_loaded)


def debug_nans_enabled() -> bool:
    """Whether ``jax_debug_nans`` is on."""
    return config_module.config._values["jax_debug_nans"]


# -- utilities -----------------------------------------------------------------------------------------------------


def device_get(x: Any) -> Any:
    """Copy the arrays of pytree ``x`` to NumPy arrays on the host (``jax.device_get``); other leaves pass through.

    Example:
        >>> import portax.numpy as jnp
        >>> device_get({"w": jnp.ones(2)})
        {'w': array([1., 1.], dtype=float32)}
    """
    return tree_util.map(_to_numpy, x)


class TracedProgram:
    """What :func:`make_jaxpr` returns on a backend without jaxprs: the traced graph, printable."""

    def __init__(self, backend_name: str, graph: Any, text: str) -> None:
        self.backend = backend_name
        self.graph = graph
        self.text = text

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


def make_jaxpr(fun: Callable[..., Any], static_argnums: int | Sequence[int] = ()) -> Callable[..., Any]:
    """A function returning ``fun``'s traced program for given arguments (``jax.make_jaxpr``).

    On JAX this is JAX's ``ClosedJaxpr``; on torch a :class:`TracedProgram` holding the ``torch.fx`` graph made by
    ``make_fx`` (``str()`` prints its code). The two print differently: use it to look, not to compare.

    Raises:
        UnsupportedError: the backend cannot show a traced program.
    """
    statics = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    @functools.wraps(fun)
    def traced(*args: Any, **kwargs: Any) -> Any:
        backend = registry.backend_of_arrays(*tree_util.leaves((args, kwargs))) or registry.current_backend()
        module = _debug_module(backend, "portax.make_jaxpr")
        with registry.use_backend(backend):
            return module.make_jaxpr(fun, statics)(*args, **kwargs)

    return traced
