"""Dispatch of ``portax.numpy`` calls to the backend that owns their arrays.

Each public function has a table ``type -> implementation``. The fast path is one ``dict.get`` on the type of the
first array argument (plus a cheap check of the other array arguments); everything else (Python scalars, NumPy
arrays, the first call with a new array type, creation functions) takes :func:`slow_path`, which resolves the
backend, converts array-likes where the backend needs it, and fills the table so the next call is fast.
Backends' implementation objects are stored in the same table under the backend instance as key.

Functions marked ``[native]`` in ``tools/api_names.py`` also have two native tables filled from
:attr:`Backend.native_functions`: ``array type -> engine function`` for an engine function registered for every
dtype, ``array type -> {dtype: engine function}`` for one registered for some dtypes. When the required array
arguments are all of one such type and one dtype (a listed one) and every other argument is at its default, the
dispatcher calls the engine function directly (``torch.add`` for two float32 tensors), skipping the implementation's
checks.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

from portax._src import config, registry
from portax._src.backend import Backend
from portax._src.errors import PortaxError, UnsupportedError

#: Python scalar types that pass the fast path in non-leading array positions (backends accept them there).
SCALAR_TYPES = frozenset({int, float, bool, complex})

# (module name, function name, table) of every dispatched function.
_TABLES: list[tuple[str, str, dict]] = []
#: ``id(table) -> (module, name)``, for the error path (``reraise_engine_error``).
_TABLE_NAMES: dict[int, tuple[str, str]] = {}
# Backends whose array types were already put into the tables.
_filled: dict[Backend, tuple[type, ...]] = {}
# (module name, function name, native tables) of every dispatcher with a direct engine call.
_NATIVE_TABLES: list[tuple[str, str, tuple[dict, dict]]] = []
# Backends whose native tables are emptied (an option, jax_debug_nans, wraps their implementations).
_natives_off: set[Backend] = set()


def new_table(module: str, name: str) -> dict:
    """Create (and remember) the dispatch table of ``module.name``."""
    table: dict = {}
    _TABLES.append((module, name, table))
    _TABLE_NAMES[id(table)] = (module, name)
    for backend in registry.loaded_backends():
        _fill_one(table, module, name, backend)
    return table


def new_native_table(module: str, name: str) -> tuple[dict, dict]:
    """Create (and remember) the native tables of ``module.name``: ``array type -> engine function`` (every dtype)
    and ``array type -> {dtype: engine function}`` (the dtypes a backend listed)."""
    tables: tuple[dict, dict] = ({}, {})
    _NATIVE_TABLES.append((module, name, tables))
    for backend in registry.loaded_backends():
        _fill_native(tables, module, name, backend)
    return tables


def _fill_native(tables: tuple[dict, dict], module: str, name: str, backend: Backend) -> None:
    every_dtype, some_dtypes = tables
    native = None if backend in _natives_off else backend.native_functions.get(f"{module}.{name}")
    for tp in backend.array_types:
        every_dtype.pop(tp, None)
        some_dtypes.pop(tp, None)
        if native is not None:
            fn, dtypes = native
            if dtypes is None:
                every_dtype[tp] = fn
            else:
                some_dtypes[tp] = dict.fromkeys(dtypes, fn)


def set_natives(backend: Backend, enabled: bool) -> None:
    """Turn ``backend``'s direct engine calls on or off (off while an option wraps its implementations)."""
    if enabled:
        _natives_off.discard(backend)
    else:
        _natives_off.add(backend)
    for module, name, table in _NATIVE_TABLES:
        _fill_native(table, module, name, backend)


def _on_config(backend: Backend, name: str, value: Any, handled: bool) -> None:
    # A backend's direct engine calls (Backend.native_functions) may depend on x64 mode: read them again.
    if name == "jax_enable_x64":
        for module, function, table in _NATIVE_TABLES:
            _fill_native(table, module, function, backend)


config.listeners.append(_on_config)


def _namespace(backend: Backend, module: str) -> Any:
    if module == "numpy":
        return backend.numpy
    if module == "numpy.linalg":
        return backend.numpy_linalg
    if module == "numpy.fft":
        return backend.numpy_fft
    raise ValueError(module)


def _missing(backend: Backend, module: str, name: str) -> Callable[..., Any]:
    def unsupported(*args: Any, **kwargs: Any) -> Any:
        raise UnsupportedError(
            backend.name, f"portax.{module}.{name}", "use another backend for this call or ask its maintainers"
        )

    unsupported.__name__ = name
    return unsupported


#: The engine exception classes a backend's ``translate_engine_error`` may turn into JAX's class.
ENGINE_ERRORS = (RuntimeError, IndexError, NotImplementedError)

#: ``jax.numpy`` elementwise functions that promote ranks first (jnp's ``_promote_shapes``): operands of different
#: non-scalar ranks that do not broadcast raise ValueError("Incompatible shapes for broadcasting: shapes=[...]"); of
#: equal ranks, the ``lax`` op's TypeError. Checked against jax 0.10 by ``tests/errors/test_error_catalogue.py``.
_RANK_PROMOTING = frozenset({
    "add", "arctan2", "atan2", "bitwise_and", "bitwise_left_shift", "bitwise_or", "bitwise_right_shift",
    "bitwise_xor", "copysign", "divide", "divmod", "equal", "float_power", "floor_divide", "fmax", "fmin", "fmod",
    "greater", "greater_equal", "heaviside", "hypot", "ldexp", "left_shift", "less", "less_equal", "logaddexp",
    "logaddexp2", "logical_and", "logical_or", "logical_xor", "maximum", "minimum", "mod", "multiply", "nextafter",
    "not_equal", "pow", "power", "remainder", "right_shift", "subtract", "true_divide",
})


def _rank_promotion_error(module: str, name: str, values: Sequence[Any]) -> ValueError | None:
    """JAX's ValueError when the operands of a rank-promoting elementwise function have different ranks and no
    broadcast shape (the engine reported a shape mismatch), else None."""
    if module != "numpy" or name not in _RANK_PROMOTING:
        return None
    shapes = [tuple(getattr(value, "shape", ())) for value in values]
    if len({len(shape) for shape in shapes if shape}) < 2:
        return None
    return ValueError(f"portax.{module}.{name}: Incompatible shapes for broadcasting: shapes={shapes}")


def reraise_engine_error(table: dict, error: BaseException, *values: Any) -> None:
    """Raise JAX's exception for an engine error of the call ``table`` dispatched, the engine's error as ``__cause__``.

    Called from the ``except ENGINE_ERRORS`` clause around each dispatched call (a ``try`` costs nothing until
    something raises; a wrapper function around every implementation cost ~0.3 µs per eager call). Returns when the
    error is portax's own or the backend does not translate it; the caller then re-raises it unchanged.
    """
    if isinstance(error, PortaxError):
        return
    flat: list[object] = []
    for value in values:
        if isinstance(value, (list, tuple)):
            _flatten(value, flat)
        else:
            flat.append(value)
    module, name = _TABLE_NAMES.get(id(table), ("numpy", "?"))
    refused = _COMPLEX_REFUSED.get(name) if module == "numpy" else None
    if refused is not None:
        dtype = next((d for d in map(_complex_dtype, flat) if d is not None), None)
        if dtype is not None:  # JAX refuses complex input up front, with its class and text; engines fail somewhere
            raise refused[0](f"portax.numpy.{name}: {refused[1].format(dtype=dtype)}") from error
    backend = registry.backend_of_arrays(*flat) or registry.current_backend()
    translate = backend.translate_engine_error  # declared on Backend; None when the backend has none
    replacement = translate(module, name, error) if translate is not None else None
    if isinstance(replacement, TypeError):
        replacement = _rank_promotion_error(module, name, values) or replacement
    if replacement is not None:
        raise replacement from error


_QUANTILE_COMPLEX = (ValueError, "quantile does not support complex input, as the operation is poorly defined.")
_FLOATING_ONLY = "{name} does not accept dtype {{dtype}}. Accepted dtypes are subtypes of floating."
#: ``jax.numpy`` functions that refuse complex input, with jax 0.10's class and message; an engine error of one of
#: them with a complex argument is raised as JAX's (checked against jax by ``tests/errors/test_error_catalogue.py``).
_COMPLEX_REFUSED: dict[str, tuple[type[Exception], str]] = {
    "unwrap": (ValueError, "jnp.unwrap does not support complex inputs."),
    "hypot": (ValueError, "jnp.hypot is not well defined for complex-valued inputs. Please convert to real values "
              "first, such as by using jnp.real or jnp.abs"),
    "i0": (ValueError, "Unsupported input type to jax.numpy.i0: {dtype}"),
    "interp": (ValueError, "jnp.interp: complex x values not supported."),
    **dict.fromkeys(["median", "nanmedian", "quantile", "nanquantile", "percentile", "nanpercentile"],
                    _QUANTILE_COMPLEX),
    "spacing": (ValueError, "jnp.spacing is not defined for complex inputs."),
    "signbit": (ValueError, "jax.numpy.signbit is not well defined for {dtype}"),
    "isneginf": (ValueError, "isposinf/isneginf are not well defined for complex types"),
    "isposinf": (ValueError, "isposinf/isneginf are not well defined for complex types"),
    "frexp": (TypeError, "frexp does not support complex-valued inputs"),
    **{name: (TypeError, _FLOATING_ONLY.format(name=name)) for name in ("cbrt", "floor", "ceil", "trunc")},
}


def _complex_dtype(value: Any) -> str | None:
    """The name of ``value``'s complex dtype (``complex64``), or None (real arrays, non-arrays)."""
    if isinstance(value, complex):
        return "complex128"
    name = str(getattr(value, "dtype", "")).rpartition(".")[2]
    return name if name.startswith("complex") else None


def _fill_one(table: dict, module: str, name: str, backend: Backend) -> None:
    namespace = _namespace(backend, module)
    impl = getattr(namespace, name, None) if namespace is not None else None
    if impl is None:
        impl = _missing(backend, module, name)
    table[backend] = impl
    # The backend's own array types go in up front: a table that learns ``torch.Tensor`` during the first
    # torch.compile trace changes a guarded global and makes every jitted function compile twice.
    for tp in backend.array_types:
        table[tp] = impl


def _on_backend_loaded(backend: Backend) -> None:
    for module, name, table in _TABLES:
        _fill_one(table, module, name, backend)
    for module, name, table in _NATIVE_TABLES:
        _fill_native(table, module, name, backend)


registry.on_load.append(_on_backend_loaded)


def _learn_type(tp: type, backend: Backend) -> None:
    """Put array type ``tp`` of ``backend`` into every table, so its calls take the fast path from now on."""
    for _module, _name, table in _TABLES:
        table[tp] = table[backend]


def np_dtype_types() -> tuple[type, ...]:
    """``numpy.dtype`` (a dtype argument, never an array), without importing NumPy before it is in use."""
    import sys

    numpy = sys.modules.get("numpy")
    return (numpy.dtype,) if numpy is not None else ()


def _is_array_like(value: object) -> bool:
    """A value the dispatcher converts to a backend array: NumPy arrays/scalars and nested lists/tuples."""
    if isinstance(value, (list, tuple)):
        return True
    if isinstance(value, type):
        return False  # a scalar type such as np.int8 (in finfo/iinfo/issubdtype) is a dtype, not an array
    tp = type(value)
    return tp.__module__ == "numpy" and not isinstance(value, np_dtype_types()) or hasattr(value, "__array__") or hasattr(value, "__array_interface__")


def _convert(backend: Backend, value: object, like: object) -> object:
    """Make ``value`` (a scalar or array-like in an array position) a backend array."""
    xp = backend.numpy
    if type(value) in SCALAR_TYPES:
        if like is None:
            return xp.asarray(value)
        # JAX's weak typing: a Python scalar takes the kind-compatible dtype of the array beside it; a Python int is
        # parsed as the default int first (OverflowError outside its range) and then converted, wrapping
        # (``jnp.add(255, int8_array)`` adds -1, where ``asarray(255, dtype=int8)`` raises).
        dtype = xp.result_type(like, value)
        if type(value) is int:
            return xp.astype(xp.asarray(value), dtype)
        return xp.asarray(value, dtype=dtype)
    return xp.asarray(value)


def _flatten(value: Any, into: list[object]) -> None:
    """Append the leaves of a (nested) list/tuple of arrays to ``into`` (``block([[a, b], [c, d]])``)."""
    for item in value:
        if isinstance(item, (list, tuple)):
            _flatten(item, into)
        else:
            into.append(item)


def slow_path(
    table: dict,
    name: str,
    *values: Any,
    sequences: Sequence[int] = (),
    nested: Sequence[int] = (),
    raw: Sequence[int] = (),
    arraylike: Sequence[int] = (),
) -> tuple[Any, tuple]:
    """Resolve the backend for a call, convert array-likes, and return ``(implementation, values)``.

    ``values`` are the call's array arguments in declaration order; positions listed in ``sequences`` hold a
    sequence (``concat(arrays)``) or a varargs tuple (``meshgrid(*xi)``) of arrays, whose items are converted (an
    item that is a list becomes one array); those also in ``nested`` hold nested lists whose structure is kept and
    whose leaves are converted (``block([[a, 1], [c, d]])``). Positions listed in ``raw`` are passed to the backend
    unconverted: they are the data of a creation function (``asarray(a, dtype)``, ``full(shape, fill_value,
    dtype)``), which the backend must see as given, since converting ``16777217.0`` to a default-dtype (float32)
    array first would round it before ``dtype=float64`` is applied. Positions listed in ``arraylike`` refuse a list
    or tuple (for a sequence position: as an item) with JAX's TypeError, where jax.numpy does (its
    ``check_arraylike``: ``jnp.sin([1.0])``); checked here only, off the fast path taken by arrays. ``name`` is the
    function's name as jax.numpy's message gives it.
    """
    for index in arraylike:
        value = values[index]
        if not isinstance(value, (list, tuple)):
            continue
        if index in sequences:  # the items of a sequence of arrays (JAX counts the position among them)
            index, value = next(((i, v) for i, v in enumerate(value) if isinstance(v, (list, tuple))), (index, None))
            if value is None:
                continue
        raise TypeError(
            f"{name} requires ndarray or scalar arguments, got {type(value)} at position {index}. Convert it with "
            "portax.numpy.asarray first (jax.numpy takes no lists or tuples here)"
        )
    flat: list[object] = []
    for index, value in enumerate(values):
        if index in sequences and isinstance(value, (list, tuple)):
            _flatten(value, flat)
        else:
            flat.append(value)
    backend = registry.backend_of_arrays(*flat)
    if backend is None:
        backend = registry.current_backend()
    else:
        for value in flat:
            tp = type(value)
            if tp not in table and registry.backend_of_type(tp) is backend:
                _learn_type(tp, backend)
    impl = table[backend]
    if backend.accepts_array_likes:
        return impl, values
    like = next((v for v in flat if registry.backend_of_type(type(v)) is backend), None)
    converted = []
    for index, value in enumerate(values):
        if index in raw:
            converted.append(value)
        elif index in nested and isinstance(value, (list, tuple)):
            converted.append(_convert_nested(backend, value, like, index == 0))
        elif index in sequences and isinstance(value, (list, tuple)):
            converted.append(type(value)(_convert_one(backend, v, like, index == 0) for v in value))
        else:
            converted.append(_convert_one(backend, value, like, index == 0))
    return impl, tuple(converted)


def _convert_nested(backend: Backend, value: list | tuple, like: object, leading: bool) -> list | tuple:
    # Nested lists stay lists (block's structure); only their leaves are converted.
    return type(value)(
        _convert_nested(backend, v, like, leading)
        if isinstance(v, (list, tuple))
        else _convert_one(backend, v, like, leading)
        for v in value
    )


def _convert_one(backend: Backend, value: object, like: object, leading: bool) -> object:
    if value is None or registry.backend_of_type(type(value)) is backend:
        return value
    if type(value) in SCALAR_TYPES or isinstance(value, numbers.Number) and not _is_array_like(value):
        # Scalars stay scalars in non-leading positions (backends accept them there, with weak typing);
        # a leading scalar becomes an array so that method-style implementations work.
        return _convert(backend, value, like) if leading else value
    if _is_array_like(value):
        return _convert(backend, value, like)
    return value


def current_impl(table: dict) -> Any:
    """The implementation of the current backend (calls with no array arguments)."""
    return table[registry.current_backend()]
