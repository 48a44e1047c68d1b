"""Generate portax.numpy's dispatching functions from jax.numpy's signatures.

portax.numpy promises JAX's names and signatures, so the declarations are derived from the pinned jax.numpy and
written out as plain Python (one fast dispatcher per function). Run after changing ``tools/api_names.py``:

    python tools/gen_numpy_api.py

The output is committed; jax is needed only to regenerate it.
"""

from __future__ import annotations

import inspect
import keyword
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import jax.numpy as jnp  # noqa: E402
from api_names import FFT, LINALG, NUMPY, Entry  # noqa: E402

OUT = pathlib.Path(__file__).parents[1] / "packages/core/src/portax/_src/numpy"

# Parameters to drop from jax.numpy's signatures (JAX internals).
DROP = {"_dot_general"}


def _annotation(param: inspect.Parameter, is_array: bool, is_sequence: bool) -> str:
    text = str(param.annotation)
    if is_sequence and param.kind is not param.VAR_POSITIONAL:
        return ": ArrayLike | Sequence[ArrayLike]"
    if is_array:
        return ": ArrayLike"
    if "DTypeLike" in text or "SupportsDType" in text:
        return ": DTypeLike | None" if param.default is None else ": DTypeLike"
    return ""


def _ufunc_signature(nin: int) -> inspect.Signature:
    # jax.numpy ufunc objects take (*args); the array API spells them (x, /) and (x1, x2, /).
    names = ["x"] if nin == 1 else [f"x{i + 1}" for i in range(nin)]
    return inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_ONLY, annotation="ArrayLike") for n in names]
    )


# jax.numpy's return annotations that portax states as they are (its Array is portax.Array; others stay unannotated).
_RETURNS = {"Array": " -> Array", "tuple[Array, ...]": " -> tuple[Array, ...]", "list[Array]": " -> list[Array]",
            "bool": " -> bool", "int": " -> int"}  # fmt: skip


def _return_annotation(func) -> str:
    annotation = inspect.signature(func).return_annotation
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else str(annotation)
    if isinstance(annotation, type) and annotation.__name__.rsplit(".", 1)[-1] == "Array" and "jax" in annotation.__module__:
        text = "Array"
    return _RETURNS.get(text or "", "")


def _render(module: str, name: str, func, entry: Entry) -> str:
    roles = entry.params
    sig = _ufunc_signature(func.nin) if isinstance(func, jnp.ufunc) else inspect.signature(func)
    params = [p for p in sig.parameters.values() if p.name not in DROP]
    declared = [p.name for p in params]
    arrays = [r.name for r in roles]
    if [a for a in declared if a in arrays] != arrays:
        raise ValueError(f"{module}.{name}: table lists {arrays}, jax's signature has {declared} (same names, same order)")
    sequences = [r.name for r in roles if r.seq]
    header, call = [], []
    star_done = False
    for p in params:
        ann = _annotation(p, p.name in arrays, p.name in sequences)
        if p.kind is p.VAR_POSITIONAL:
            header.append(f"*{p.name}{ann}")
            call.append(f"*{p.name}")
            star_done = True
        elif p.kind is p.VAR_KEYWORD:
            header.append(f"**{p.name}")
            call.append(f"**{p.name}")
        else:
            if p.kind is p.KEYWORD_ONLY and not star_done:
                header.append("*")
                star_done = True
            default = "" if p.default is p.empty else f" = {p.default!r}"
            header.append(f"{p.name}{ann}{default}")
            call.append(f"{p.name}={p.name}" if p.kind is p.KEYWORD_ONLY else p.name)
        if p.kind is p.POSITIONAL_ONLY and (
            params.index(p) == len(params) - 1 or params[params.index(p) + 1].kind is not p.POSITIONAL_ONLY
        ):
            header.append("/")
    table = f"_t_{name}"
    extra = ""
    if any(r.nested for r in roles):
        extra += f", nested=({', '.join(str(i) for i, r in enumerate(roles) if r.nested)},)"
    if any(r.raw for r in roles):
        extra += f", raw=({', '.join(str(i) for i, r in enumerate(roles) if r.raw)},)"
    # jax.numpy's check_arraylike: a list or tuple is refused there (checked in the slow path only).
    if any(not (r.raw or r.lists or r.nested) for r in roles):
        extra += f", arraylike=({', '.join(str(i) for i, r in enumerate(roles) if not (r.raw or r.lists or r.nested))},)"
    public = f"portax.{module}.{name}"
    # The name jax.numpy's check_arraylike puts in its TypeError (jax 0.10): "sin", "jnp.linalg.inv", "jax.numpy.fft.fft".
    shown = {"numpy": name, "numpy.linalg": f"jnp.linalg.{name}"}.get(module, f"jax.{module}.{name}")
    lines = [f"{table} = _new_table({module!r}, {name!r})"]
    if entry.native:
        lines.append(f"_n_{name}, _nd_{name} = _new_native_table({module!r}, {name!r})")
    lines += ["", ""]
    returns = _return_annotation(func) if not isinstance(func, jnp.ufunc) else " -> Array"
    lines.append(f"def {name}({', '.join(header)}){returns}:")
    lines.append(f'    """JAX-compatible ``{public}``, run by the backend that owns the arguments (see ``jax.{module}.{name}``)."""')
    if not arrays:
        lines.append(f"    return _current_impl({table})({', '.join(call)})")
    elif sequences or arrays[0] in sequences:
        seq_index = ", ".join(str(arrays.index(s)) for s in sequences)
        lines.append(f"    impl, ({', '.join(arrays)},) = _slow({table}, {shown!r}, {', '.join(arrays)}, sequences=({seq_index},){extra})")
        lines.append(f"    return impl({', '.join(call)})")
    else:
        if entry.native:
            lines.extend(_native_lines(module, name, params, arrays))
        first, rest = arrays[0], arrays[1:]
        cond = "impl is None"
        for other in rest:
            # ``type(other) is tp`` first: two arrays of one type is the common case and then needs no second
            # dict lookup (measured: add(x, y) dispatch 131 -> 87 ns; see docs/benchmarks.md).
            cond += f" or not ({other} is None or type({other}) is tp or type({other}) in _S or {table}.get(type({other})) is impl)"
        if rest:
            lines.append(f"    tp = type({first})")
            lines.append(f"    impl = {table}.get(tp)")
        else:
            lines.append(f"    impl = {table}.get(type({first}))")
        lines.append(f"    if {cond}:")
        lines.append(f"        impl, ({', '.join(arrays)},) = _slow({table}, {shown!r}, {', '.join(arrays)}{extra})")
        lines.extend(_call_lines(params, call))
    return "\n".join(_guarded(lines, table, arrays))


def _guarded(lines: list[str], table: str, arrays: list[str]) -> list[str]:
    """The body after the docstring inside ``try``: an engine error (torch's ``RuntimeError`` for a shape mismatch,
    ...) is raised as JAX's class by ``_reraise`` (the backend's ``translate_engine_error``). A ``try`` costs nothing
    until something raises (Python 3.11); the wrapper function it replaces cost ~0.3 µs per eager call."""
    start = next(i for i, line in enumerate(lines) if line.startswith('    """')) + 1
    body = ["    " + line for line in lines[start:]]
    handler = [
        "    except _E as _error:",
        f"        _reraise({table}, _error{''.join(', ' + a for a in arrays)})",
        "        raise",
    ]
    return [*lines[:start], "    try:", *body, *handler]


def _native_lines(module: str, name: str, params: list[inspect.Parameter], arrays: list[str]) -> list[str]:
    """The direct call of a backend's engine function (``[native]`` in ``tools/api_names.py``).

    Taken when the array parameters without a default are all of one array type the backend registered and of one
    dtype it listed, and every other parameter is at its default: then the engine function gives what the
    backend's implementation gives, without the implementation's own checks (measured: ``add`` on two float32
    ``(8,)`` tensors +0.34 -> +0.2 µs over ``torch.add``; see docs/benchmarks.md).
    """
    required = [p.name for p in params if p.name in arrays and p.default is p.empty]
    optional = [p for p in params if p.name not in required]
    if not required or any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        raise ValueError(f"{module}.{name}: [native] needs array parameters without a default and no *args/**kwargs")
    if any(p.default is not None and p.default is not True and p.default is not False for p in optional):
        raise ValueError(f"{module}.{name}: [native] needs every other parameter to default to None, True or False")
    first, rest = required[0], required[1:]
    indent = "    "
    out = []
    if optional:
        out.append(f"    if {' and '.join(f'{p.name} is {p.default!r}' for p in optional)}:")
        indent += "    "
    # ``_n_{name}``: array type -> engine function, for every dtype (no dtype read beyond the same-dtype test);
    # ``_nd_{name}``: array type -> {dtype: engine function}, for a backend that lists dtypes (read first, only when
    # not empty: a backend registers a name in one of the two). Dict lookups and identity tests only: this path is the
    # whole per-call cost (the earlier ``(function, dtypes)`` tuples cost ~25 ns more per call on ``add``).
    args = ", ".join(required)
    out.append(f"{indent}_tp = type({first})")
    out.append(f"{indent}_native = _nd_{name}.get(_tp) if _nd_{name} else None")
    out.append(f"{indent}if _native is not None:")
    if rest:
        out.append(f"{indent}    _dtype = {first}.dtype")
        same = " and ".join(f"type({r}) is _tp and {r}.dtype is _dtype" for r in rest)
        out.append(f"{indent}    if {same}:")
        out.append(f"{indent}        _native = _native.get(_dtype)")
        out.append(f"{indent}        if _native is not None:")
        out.extend(_native_call(indent + "            ", args))
        out.append(f"{indent}else:")
        out.append(f"{indent}    _native = _n_{name}.get(_tp)")
        same = " and ".join(f"type({r}) is _tp and {first}.dtype is {r}.dtype" for r in rest)
        out.append(f"{indent}    if _native is not None and {same}:")
        out.extend(_native_call(indent + "        ", args))
    else:
        out.append(f"{indent}    _native = _native.get({first}.dtype)")
        out.append(f"{indent}else:")
        out.append(f"{indent}    _native = _n_{name}.get(_tp)")
        out.append(f"{indent}if _native is not None:")
        out.extend(_native_call(indent + "    ", args))
    return out


def _native_call(indent: str, args: str) -> list[str]:
    # An engine error (shape mismatch, ...) falls through to the implementation path, which raises it as JAX's class
    # (the backend's translate_engine_error); a try block costs nothing until something raises (Python 3.11).
    return [f"{indent}try:", f"{indent}    return _native({args})", f"{indent}except Exception:", f"{indent}    pass"]


def _call_lines(params: list[inspect.Parameter], call: list[str]) -> list[str]:
    """The implementation call; keyword-only arguments are passed only when one differs from its default.

    Passing ``precision=None, preferred_element_type=None, out_sharding=None`` to ``jax.numpy.matmul`` (a ``jit``
    with static argnames) costs ~0.7 µs per call more than ``matmul(a, b)`` (measured on a 16-core Xeon, jax 0.11.2,
    see docs/benchmarks.md); the defaults are the same on both sides because the signatures are generated from
    jax.numpy, so leaving them out changes nothing but the cost.
    """
    keyword_only = [p for p in params if p.kind is p.KEYWORD_ONLY]
    full = [f"    return impl({', '.join(call)})"]
    # Identity tests only (``0 == False`` would let ``fill_value=0`` through as ``is False``).
    if not keyword_only or not all(p.default is None or p.default is True or p.default is False for p in keyword_only):
        return full
    short = [c for c in call if not any(c == f"{p.name}={p.name}" for p in keyword_only)]
    test = " and ".join(f"{p.name} is {p.default!r}" for p in keyword_only)
    return [f"    if {test}:", f"        return impl({', '.join(short)})", *full]


def generate(module: str, namespace, table: dict[str, Entry], path: pathlib.Path) -> list[str]:
    """Write the dispatchers of ``portax.<module>`` for the names of ``table`` to ``path``."""
    chunks, emitted = [], []
    for name in sorted(table):
        func = getattr(namespace, name, None)
        if func is None or not callable(func) or keyword.iskeyword(name):
            raise ValueError(f"jax.{module}.{name} is not a function: remove it from tools/api_names.py")
        chunks.append(_render(module, name, func, table[name]))
        emitted.append(name)
    names = "".join(f"    \"{name}\",\n" for name in emitted)
    head = f'''"""Dispatching functions of ``portax.{module}`` (generated by ``tools/gen_numpy_api.py``; do not edit)."""

# ruff: noqa
from __future__ import annotations

from collections.abc import Sequence

from portax._src.dispatch import ENGINE_ERRORS as _E, SCALAR_TYPES as _S, current_impl as _current_impl, new_native_table as _new_native_table, new_table as _new_table, reraise_engine_error as _reraise, slow_path as _slow
from portax._src.typing import Array, ArrayLike, DTypeLike

__all__ = [
{names}]

'''
    path.write_text(head + "\n\n\n".join(chunks) + "\n")
    return emitted


def main(out: pathlib.Path = OUT) -> None:
    """Write ``api.py``, ``linalg_api.py`` and ``fft_api.py`` into ``out``."""
    generate("numpy", jnp, NUMPY, out / "api.py")
    generate("numpy.linalg", jnp.linalg, LINALG, out / "linalg_api.py")
    generate("numpy.fft", jnp.fft, FFT, out / "fft_api.py")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
