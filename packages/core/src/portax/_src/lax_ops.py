"""What every ``portax.lax`` primitive shares: backend choice, native kernels, and JAX's dtype checks.

A primitive is written once here over ``portax.numpy`` (its *core formula*) and wrapped by :func:`primitive`: a call
finds the backend of its array arguments and runs the backend's own kernel when the backend's ``lax_module`` hook
module has one of that name (on JAX: ``jax.lax`` itself, so JAX programs cost nothing extra), else the core formula.
``jax.lax`` does not promote dtypes: the core formulas check arguments as JAX 0.10 does and raise its ``TypeError``
with its wording (``lax.add requires arguments to have the same dtypes, got float32, int32.``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import portax.numpy as pnp
from portax._src import config, registry
from portax._src.dispatch import SCALAR_TYPES
from portax._src.dtypes import canonicalize_dtype, to_numpy_dtype
from portax._src.errors import UnsupportedError
from portax._src.scipy._native import backend_for, creating_on, hook_module, native

Array = Any
F = TypeVar("F", bound=Callable[..., Any])

#: Abstract dtype classes of JAX's messages, and the kinds (NumPy's ``dtype.kind``) each one holds.
KINDS = {
    "bool": "b",
    "integer": "iu",
    "signedinteger": "i",
    "unsignedinteger": "u",
    "floating": "f",
    "complexfloating": "c",
    "number": "iufc",
}
NUMBER = ("integer", "floating", "complexfloating")
INEXACT = ("floating", "complexfloating")
INTEGER = ("integer",)
FLOATING = ("floating",)
LOGICAL = ("integer", "bool")
ORDERED = ("integer", "floating", "bool")
ANY = ("integer", "floating", "complexfloating", "bool")

_kinds: dict[Any, str] = {}
_names: dict[Any, str] = {}


def primitive(core: F) -> F:
    """Make ``core`` (checks, then a formula over ``portax.numpy``) a public primitive with native kernels.

    A backend's ``lax_module`` hook module provides either whole primitives (``WHOLE_PRIMITIVES = True``: JAX, whose
    ``jax.lax`` functions do their own checks) looked up here by name, or kernels that replace only the formula,
    after core's checks (torch), looked up by :func:`kernel`. The backend comes from the array arguments (items of
    list/tuple arguments included), else the current backend.
    """
    name = core.__name__
    # type of the first argument -> what runs, filled on the first call with that type (the dispatch of
    # portax.numpy: one dict lookup, plus a check that the other arguments are of that type or Python scalars).
    table: dict[type, Callable[..., Any]] = {}

    @functools.wraps(core)
    def public(*args: Any, **kwargs: Any) -> Any:
        if args and not kwargs:
            tp = type(args[0])
            chosen = table.get(tp)
            if chosen is not None:
                for other in args[1:]:
                    if type(other) is not tp and type(other) not in SCALAR_TYPES:
                        break
                else:
                    return chosen(*args)
        backend = backend_for(*_array_candidates(args), *kwargs.values())
        chosen = core
        if whole_primitives(backend):
            chosen = native(backend, name, "lax_module") or core
        if args and registry.backend_of_type(type(args[0])) is backend:
            table[type(args[0])] = chosen
        return chosen(*args, **kwargs)

    return public  # type: ignore[return-value]


_whole: dict[Any, bool] = {}


def whole_primitives(backend: Any) -> bool:
    """Whether ``backend``'s lax hook module provides whole primitives, checks included (JAX)."""
    try:
        return _whole[backend]
    except KeyError:
        module = hook_module(backend, "lax_module")
        whole = _whole[backend] = bool(getattr(module, "WHOLE_PRIMITIVES", False))
        return whole


_kernels: dict[tuple[str, type], Callable[..., Any]] = {}


def kernel(name: str, formula: Callable[..., Any], *values: Any) -> Callable[..., Any]:
    """The backend's kernel ``name`` replacing core's ``formula`` (arguments already checked), else ``formula``.

    Cached per name and type of the first value when that value is a backend array.
    """
    key = (name, type(values[0]))
    found = _kernels.get(key)
    if found is not None:
        return found
    backend = backend_for(*values)
    found = native(backend, name, "lax_module") or formula
    if registry.backend_of_type(type(values[0])) is backend:
        _kernels[key] = found
    return found


def _array_candidates(args: tuple) -> tuple:
    if not any(isinstance(a, (list, tuple)) for a in args):
        return args
    flat: list[Any] = []
    for a in args:
        if isinstance(a, (list, tuple)):
            flat.extend(a)
        else:
            flat.append(a)
    return tuple(flat)


def unsupported(name: str, *values: Any) -> UnsupportedError:
    """The error of a primitive that has no core formula and no kernel on the values' backend."""
    return UnsupportedError(
        backend_for(*values).name,
        f"portax.lax.{name}",
        "use another backend for this call, or add the kernel to the backend's lax_ops module",
    )


# -- dtypes ---------------------------------------------------------------------------------------------------------


def kind(dtype: Any) -> str:
    """NumPy's one-letter kind of any backend's dtype (``bfloat16`` is ``"f"``); cached per dtype object.

    Read from the dtype's own attributes (NumPy's ``kind``, torch's ``is_floating_point``/``is_complex``/
    ``is_signed``), so that it also works while torch dynamo traces, where NumPy cannot be asked about torch dtypes.
    """
    try:
        return _kinds[dtype]
    except (KeyError, TypeError):
        pass
    letter = getattr(dtype, "kind", None) if not isinstance(dtype, type) else None
    if not isinstance(letter, str) and hasattr(dtype, "is_floating_point"):
        if dtype.is_complex:
            letter = "c"
        elif dtype.is_floating_point:
            letter = "f"
        elif str(dtype).endswith("bool"):
            letter = "b"
        else:
            letter = "i" if dtype.is_signed else "u"
    if not isinstance(letter, str) or letter == "V":
        numpy_dtype = to_numpy_dtype(dtype)
        letter = "f" if numpy_dtype.name == "bfloat16" else numpy_dtype.kind
    _kinds[dtype] = letter
    return letter


def bits(dtype: Any) -> int:
    """The width in bits of a dtype of any backend."""
    return 8 * int(dtype.itemsize)


def dtype_name(dtype: Any) -> str:
    """The NumPy name of any backend's dtype (``torch.float32`` -> ``"float32"``), as JAX's messages print it."""
    try:
        return _names[dtype]
    except KeyError:
        name = _names[dtype] = to_numpy_dtype(dtype).name
        return name


def dtype_of(value: Any) -> Any:
    """The dtype ``value`` has as a lax operand: its own, else JAX's for a Python scalar (``2.0`` -> float32)."""
    dtype = getattr(value, "dtype", None)
    if dtype is not None:
        if type(value).__module__ == "numpy":
            return canonicalize_dtype(dtype)
        return dtype
    if isinstance(value, bool):
        return to_numpy_dtype("bool")
    if isinstance(value, int):
        return to_numpy_dtype("int64" if config.x64_enabled() else "int32")
    if isinstance(value, float):
        return to_numpy_dtype("float64" if config.x64_enabled() else "float32")
    if isinstance(value, complex):
        return to_numpy_dtype("complex128" if config.x64_enabled() else "complex64")
    raise TypeError(
        f"Error interpreting argument as a JAX value: the problematic value is of type {type(value)}; "
        "pass an array or a Python scalar"
    )


@functools.cache
def letters(accepted: tuple[str, ...]) -> str:
    """The kinds (NumPy's ``dtype.kind`` letters) of the abstract dtype classes in ``accepted``."""
    return "".join(KINDS.get(k, "") for k in accepted)


def check_accepts(name: str, accepted: tuple[str, ...], *values: Any, positional: bool | None = None) -> None:
    """JAX's check of the dtypes an operation accepts (``exp does not accept dtype int32. ...``).

    ``accepted`` holds abstract classes (keys of :data:`KINDS`) or dtype names (``"float32"``); messages name the
    argument's position when the operation takes several (``positional``, default: more than one value given).
    """
    accepted_kinds = letters(accepted)
    for position, value in enumerate(values):
        dtype = dtype_of(value)
        if kind(dtype) in accepted_kinds or any(k not in KINDS and dtype_name(dtype) == k for k in accepted):
            continue
        where = f" at position {position}" if (len(values) > 1 if positional is None else positional) else ""
        raise TypeError(
            f"{name} does not accept dtype {dtype_name(dtype)}{where}. Accepted dtypes{where} are subtypes "
            f"of {', '.join(accepted)}."
        )


def check_same_dtypes(name: str, *values: Any) -> None:
    """JAX's ``lax.<name> requires arguments to have the same dtypes`` check (one dtype comparison when they agree)."""
    first = getattr(values[0], "dtype", None)
    if first is not None and all(getattr(v, "dtype", None) == first for v in values[1:]):
        if type(values[0]).__module__ != "numpy":
            return
    names = [dtype_name(dtype_of(v)) for v in values]
    if len(set(names)) > 1:
        raise TypeError(
            f"lax.{name} requires arguments to have the same dtypes, got {', '.join(names)}."
            + (f" (Tip: jnp.{_NUMPY_NAMES.get(name, name)} is a similar function that does automatic type promotion "
               "on inputs)." if name in _NUMPY_NAMES else "")
        )


#: lax names whose same-dtype error tips at the promoting ``jax.numpy`` function (JAX 0.10's wording).
_NUMPY_NAMES = {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "div": "divide",
    "max": "maximum",
    "min": "minimum",
    "atan2": "arctan2",
    "eq": "equal",
    "ne": "not_equal",
    "nextafter": "nextafter",
    "shift_left": "left_shift",
    "shift_right_arithmetic": "right_shift",
    "shift_right_logical": "right_shift",
    "concatenate": "concatenate",
    "select": "where",
}


def check_shapes(name: str, *values: Any) -> None:
    """JAX's shape check: equal ranks (or scalars) whose sizes broadcast; one tuple comparison when shapes agree."""
    shapes = [tuple(getattr(v, "shape", ())) for v in values]
    if all(s == shapes[0] for s in shapes[1:]):
        return
    ranks = {len(s) for s in shapes if s}
    if len(ranks) > 1:
        raise TypeError(f"{name}: arrays must have the same number of dimensions, got {ranks}")
    rank = max(len(s) for s in shapes)
    padded = [(1,) * (rank - len(s)) + s for s in shapes]
    for sizes in zip(*padded, strict=True):
        if len({n for n in sizes if n != 1}) > 1:
            raise TypeError(f"{name} got incompatible shapes for broadcasting: {', '.join(map(str, shapes))}.")


def as_array(value: Any, like: Any = None) -> Array:
    """``value`` as an array of the backend of ``like`` (or the current one); Python scalars get JAX's dtypes."""
    if registry.backend_of_type(type(value)) is not None:
        return value  # a backend array already (a mix of backends is refused by the operation itself)
    backend = backend_for(value, like)
    with creating_on(backend):
        if type(value).__module__ == "numpy":
            return pnp.asarray(value, dtype=canonicalize_dtype(value.dtype))
        if isinstance(value, (bool, int, float, complex)):
            return pnp.asarray(value, dtype=dtype_of(value))
        return pnp.asarray(value)


def current_backend_name() -> str:
    """The name of the backend a call without arrays runs on."""
    return registry.current_backend().name
