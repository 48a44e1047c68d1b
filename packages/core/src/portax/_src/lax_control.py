"""``portax.lax`` control flow: ``cond``, ``switch``, ``select``, ``while_loop``, ``fori_loop``, ``scan``, ``map``,
``associative_scan`` with JAX's names, signatures, argument checks and errors.

The fronts here check arguments the same way on every backend (raising the kind of error ``jax.lax`` raises, with
its wording), pick the backend from the arrays among the arguments (else the current one), and call the backend's
control-flow primitives (``backend.lax``, a :class:`ControlFlow`). ``map`` and ``associative_scan`` are written once
here from ``scan``/``vmap`` and the backend's NumPy namespace; a backend with a native version provides it instead.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from typing import Any

from portax._src import registry, tree
from portax._src.backend import Backend
from portax._src.errors import TransformTypeError, UnsupportedError
from portax._src.transforms import _backend_for, _is_array_like, _run, _to_arrays

_NO_OPERAND = object()


class ControlFlow(abc.ABC):
    """The control-flow primitives a backend executes (``backend.lax``); arguments are already checked by core.

    ``operands`` are tuples; ``pred``/``index`` are scalar (a Python value or a backend array). Each primitive must
    raise JAX's ``TypeError`` for branch/carry outputs of different structure, shape or dtype (see
    :func:`check_same_types`) and JAX's ``ValueError`` for reverse-mode differentiation through ``while_loop``.
    """

    @abc.abstractmethod
    def cond(self, pred: Any, true_fun: Callable[..., Any], false_fun: Callable[..., Any], operands: tuple) -> Any:
        """``jax.lax.cond``."""

    @abc.abstractmethod
    def switch(self, index: Any, branches: Sequence[Callable[..., Any]], operands: tuple) -> Any:
        """``jax.lax.switch`` (the index is clamped into range)."""

    @abc.abstractmethod
    def select(self, pred: Any, on_true: Any, on_false: Any) -> Any:
        """``jax.lax.select`` of arrays of equal shape and dtype."""

    @abc.abstractmethod
    def while_loop(self, cond_fun: Callable[..., Any], body_fun: Callable[..., Any], init_val: Any) -> Any:
        """``jax.lax.while_loop``."""

    @abc.abstractmethod
    def fori_loop(self, lower: Any, upper: Any, body_fun: Callable[..., Any], init_val: Any, unroll: Any) -> Any:
        """``jax.lax.fori_loop``; a static trip count (Python ints) must stay reverse-differentiable."""

    @abc.abstractmethod
    def scan(
        self, f: Callable[..., Any], init: Any, xs: Any, length: int, reverse: bool, unroll: Any
    ) -> tuple[Any, Any]:
        """``jax.lax.scan`` with ``length`` already resolved."""

    def associative_scan(self, fn: Callable[..., Any], elems: Any, reverse: bool, axis: int) -> Any:
        """``jax.lax.associative_scan``; the default is JAX's algorithm on the backend's NumPy namespace."""
        return _associative_scan(registry.current_backend().numpy, fn, elems, reverse, axis)

    def map(self, f: Callable[..., Any], xs: Any, batch_size: int | None) -> Any:
        """``jax.lax.map``; the default is a ``scan`` (over ``vmap``-ed batches when ``batch_size`` is given)."""
        return _map_by_scan(self, f, xs, batch_size)


# -- shared helpers (also used by backends) ------------------------------------------------------------------------


def _control_flow(backend: Backend, feature: str) -> ControlFlow:
    primitives = backend.lax
    if primitives is None or "control_flow" not in backend.capabilities:
        raise UnsupportedError(backend.name, feature, "run this program on another backend (portax.use_backend)")
    return primitives


def _describe(leaf: Any) -> tuple[tuple[int, ...], str]:
    """``(shape, dtype name)`` of a leaf; Python scalars are JAX's weak types (``int`` -> int32, ``float`` ->
    float32)."""
    if isinstance(leaf, bool):
        return (), "bool"
    if isinstance(leaf, int):
        return (), "int32"
    if isinstance(leaf, float):
        return (), "float32"
    if isinstance(leaf, complex):
        return (), "complex64"
    if type(leaf).__name__ == "SymInt":  # a Python int torch dynamo made symbolic (a closure int that changed)
        return (), "int32"
    shape = tuple(int(n) for n in getattr(leaf, "shape", ()))
    return shape, str(getattr(leaf, "dtype", type(leaf).__name__)).rpartition(".")[2]


def _type_text(shape: tuple[int, ...], dtype: str) -> str:
    return f"{dtype}[{','.join(str(n) for n in shape)}]"


def _structure_key(treedef: Any) -> Any:
    """A comparable form of a tree structure; the pure-Python one used while a compiler traces has no ``==``."""
    if not isinstance(treedef, tree._PyTreeDef):
        return treedef
    return (treedef.kind, treedef.node_type, treedef.aux, tuple(_structure_key(c) for c in treedef.children()))


def check_same_types(what: str, first_name: str, first: Any, second_name: str, second: Any, hint: str) -> None:
    """Raise JAX's ``TypeError`` unless pytrees ``first`` and ``second`` have the same structure, shapes and dtypes.

    Python scalars count as JAX's weak types: one matches an array of the same shape and kind.
    """
    first_leaves, first_def = tree.flatten(first)
    second_leaves, second_def = tree.flatten(second)
    if _structure_key(first_def) != _structure_key(second_def):
        raise TransformTypeError(
            f"{what} must have the same pytree structure, but they differ: {first_name} output is {first_def} but "
            f"{second_name} output is {second_def}. {hint}"
        )
    for index, (a, b) in enumerate(zip(first_leaves, second_leaves, strict=True)):
        (a_shape, a_dtype), (b_shape, b_dtype) = _describe(a), _describe(b)
        weak = _is_array_like(a) and not hasattr(a, "shape") or _is_array_like(b) and not hasattr(b, "shape")
        same_kind = a_dtype.rstrip("0123456789") == b_dtype.rstrip("0123456789")
        if a_shape != b_shape or not (a_dtype == b_dtype or weak and same_kind):
            problem = "shapes" if a_shape != b_shape else "dtypes"
            raise TransformTypeError(
                f"{what} must have equal types, but they differ: output {index} of {first_name} has type "
                f"{_type_text(a_shape, a_dtype)} but the corresponding output of {second_name} has type "
                f"{_type_text(b_shape, b_dtype)}, so the {problem} do not match. {hint}"
            )


def _check_scalar(value: Any, what: str, integer: bool) -> None:
    shape = tuple(getattr(value, "shape", ()))
    if shape != ():
        label = "Branch index" if integer else "Pred"
        raise TransformTypeError(f"{label} must be a scalar, got {value!r} of shape {shape}.")
    dtype = _describe(value)[1]
    if integer and not dtype.startswith(("int", "uint")):
        raise TransformTypeError(
            f"Index type must be an integer, got {value!r} as {dtype}; convert it with .astype(int) ({what})"
        )
    if not integer and not dtype.startswith(("bool", "int", "uint", "float", "bfloat")):
        raise TransformTypeError(f"Pred type must be either boolean or number, got {dtype} ({what})")


def _operands(operands: tuple, operand: Any) -> tuple:
    if operand is _NO_OPERAND:
        return operands
    if operands:
        raise TransformTypeError(
            f"if 'operand' keyword is passed then no positional operands can be passed, got operand={operand!r} "
            f"and positional operands {operands!r}"
        )
    return (operand,)


def _backend_and_primitives(values: Any, feature: str) -> tuple[Backend, ControlFlow]:
    backend = _backend_for(values)
    return backend, _control_flow(backend, feature)


# -- the public functions ---------------------------------------------------------------------------------------


def cond(
    pred: Any, true_fun: Callable[..., Any], false_fun: Callable[..., Any], *operands: Any, operand: Any = _NO_OPERAND
) -> Any:
    """``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)``, traceable and differentiable
    (``jax.lax.cond``).

    Both branches must return the same pytree structure, shapes and dtypes. Under ``vmap`` with a batched
    predicate both branches run and the results are selected (JAX's rule).

    Args:
        pred: a scalar boolean (or number: non-zero is true).
        true_fun, false_fun: the branches, called with the operands.
        operands: the branches' arguments (or one ``operand=`` keyword, JAX's older form, ``None`` allowed).

    Raises:
        TypeError: ``pred`` not a scalar; branch outputs of different structure, shape or dtype.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> float(portax.lax.cond(jnp.asarray(2.0) > 1, lambda x: x * 10, lambda x: x, jnp.asarray(2.0)))
        20.0
    """
    if not callable(true_fun) or not callable(false_fun):
        raise TransformTypeError("lax.cond: true_fun and false_fun arguments should be callable.")
    operands = _operands(operands, operand)
    _check_scalar(pred, "lax.cond", integer=False)
    backend, primitives = _backend_and_primitives((pred, operands), "portax.lax.cond")
    return _run(backend, primitives.cond, pred, true_fun, false_fun, operands)


def switch(index: Any, branches: Sequence[Callable[..., Any]], *operands: Any, operand: Any = _NO_OPERAND) -> Any:
    """``branches[clamp(index, 0, len(branches) - 1)](*operands)`` (``jax.lax.switch``).

    Raises:
        ValueError: no branches. TypeError: a non-integer or non-scalar index; branches of different output types.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> float(portax.lax.switch(5, [lambda x: x, lambda x: -x], jnp.asarray(3.0)))  # index clamped to 1
        -3.0
    """
    branches = tuple(branches)
    if not branches:
        raise ValueError("Empty branch sequence: lax.switch needs at least one branch")
    if not all(callable(branch) for branch in branches):
        raise TransformTypeError(f"lax.switch: branches must be callables, got {[type(b).__name__ for b in branches]}")
    operands = _operands(operands, operand)
    _check_scalar(index, "lax.switch", integer=True)
    backend, primitives = _backend_and_primitives((index, operands), "portax.lax.switch")
    return _run(backend, primitives.switch, index, branches, operands)


def select(pred: Any, on_true: Any, on_false: Any) -> Any:
    """Elementwise ``on_true`` where ``pred`` else ``on_false``, all of one shape (``jax.lax.select``).

    Raises:
        TypeError: cases of different shapes or dtypes, or a non-boolean ``pred`` of another shape.
    """
    true_shape, true_dtype = _describe(on_true)
    false_shape, false_dtype = _describe(on_false)
    if true_shape != false_shape:
        raise TransformTypeError(f"select cases must have the same shapes, got [{true_shape}, {false_shape}].")
    if true_dtype != false_dtype:
        raise TransformTypeError(f"select cases must have the same dtypes, got [{true_dtype}, {false_dtype}].")
    pred_shape, pred_dtype = _describe(pred)
    if pred_dtype != "bool":
        raise TransformTypeError(f"select `which` must be boolean, got {pred_dtype}; compare it first (x > 0)")
    if pred_shape not in ((), true_shape):
        raise TransformTypeError(
            f"select `which` must be scalar or have the same shape as cases, got `which` shape {pred_shape} but case "
            f"shape {true_shape}."
        )
    backend, primitives = _backend_and_primitives((pred, on_true, on_false), "portax.lax.select")
    pred, on_true, on_false = _to_arrays(backend, (pred, on_true, on_false))
    return _run(backend, primitives.select, pred, on_true, on_false)


def while_loop(cond_fun: Callable[..., Any], body_fun: Callable[..., Any], init_val: Any) -> Any:
    """``val = init_val; while cond_fun(val): val = body_fun(val)``, traceable (``jax.lax.while_loop``).

    Forward-mode differentiable; reverse mode raises ``ValueError`` as in JAX (use ``scan`` or ``fori_loop`` with
    static bounds). Under ``vmap`` with a batched predicate the loop runs until every lane is done, finished lanes
    keeping their value.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> float(portax.lax.while_loop(lambda x: x < 10, lambda x: x * 2, jnp.asarray(1.0)))
        16.0
    """
    if not callable(cond_fun) or not callable(body_fun):
        raise TransformTypeError("lax.while_loop: cond_fun and body_fun arguments should be callable.")
    backend, primitives = _backend_and_primitives(init_val, "portax.lax.while_loop")
    return _run(backend, primitives.while_loop, cond_fun, body_fun, _to_arrays(backend, init_val))


def fori_loop(lower: Any, upper: Any, body_fun: Callable[..., Any], init_val: Any, *, unroll: Any = None) -> Any:
    """``val = init_val; for i in range(lower, upper): val = body_fun(i, val)`` (``jax.lax.fori_loop``).

    With Python ``int`` bounds the trip count is static and the loop is reverse-differentiable (a ``scan``, as in
    JAX); with array bounds it is a ``while_loop``.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> float(portax.lax.fori_loop(0, 4, lambda i, x: x + i, jnp.asarray(0.0)))
        6.0
    """
    if not callable(body_fun):
        raise TransformTypeError("lax.fori_loop: body_fun argument should be callable.")
    for bound in (lower, upper):
        shape, dtype = _describe(bound)
        if not dtype.startswith(("int", "uint")) or shape != ():
            raise TransformTypeError(
                f"lax.fori_loop: lower and upper must be integer scalars, got {bound!r}; use ints (or int arrays)"
            )
    backend, primitives = _backend_and_primitives((lower, upper, init_val), "portax.lax.fori_loop")
    return _run(backend, primitives.fori_loop, lower, upper, body_fun, _to_arrays(backend, init_val), unroll)


def scan(
    f: Callable[..., Any],
    init: Any,
    xs: Any = None,
    length: int | None = None,
    reverse: bool = False,
    unroll: int | bool = 1,
    _split_transpose: bool = False,
) -> tuple[Any, Any]:
    """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs``, stacking the ``y`` (``jax.lax.scan``).

    Args:
        f: ``(carry, x) -> (carry, y)``; the carry keeps its structure, shapes and dtypes.
        init: the initial carry (a pytree).
        xs: a pytree of arrays scanned along their leading axis, or None (then ``length`` is required).
        length: the number of steps (checked against ``xs``).
        reverse: scan from the end (outputs stay in the order of ``xs``).
        unroll: accepted for compatibility; a hint only.

    Returns:
        ``(final carry, stacked ys)``.

    Raises:
        ValueError: no ``xs`` and no ``length``, or leading axes that disagree. TypeError: the carry changes type.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> carry, ys = portax.lax.scan(lambda c, x: (c + x, c), jnp.asarray(0.0), jnp.arange(4.0))
        >>> float(carry), [float(y) for y in ys]
        (6.0, [0.0, 0.0, 1.0, 3.0])
    """
    if not callable(f):
        raise TransformTypeError(f"lax.scan: f argument should be callable, got {type(f).__name__}")
    if _split_transpose:
        raise UnsupportedError("portax", "lax.scan(_split_transpose=True)", "leave it out")
    xs_leaves = tree.leaves(xs)
    sizes: list[int | None] = [int(leaf.shape[0]) if getattr(leaf, "shape", ()) else None for leaf in xs_leaves]
    if any(size is None for size in sizes):
        raise ValueError(
            f"scan got value with no leading axis to scan over: {[v for v, n in zip(xs_leaves, sizes, strict=True) if n is None]!r}"
            "; every leaf of xs must be an array with at least one dimension"
        )
    distinct = sorted({size for size in sizes if size is not None})
    if len(distinct) > 1:
        raise ValueError(
            f"scan got values with different leading axis sizes: {', '.join(str(size) for size in sizes)}."
        )
    if length is not None:
        length = int(length)
        if distinct and distinct[0] != length:
            raise ValueError(f"scan got `length` argument of {length} which disagrees with leading axis sizes {sizes}.")
    elif distinct:
        length = distinct[0]
    else:
        raise ValueError("scan got no values to scan over and `length` not provided.")
    backend, primitives = _backend_and_primitives((init, xs), "portax.lax.scan")
    init, xs = _to_arrays(backend, (init, xs))
    return _run(backend, primitives.scan, f, init, xs, length, bool(reverse), unroll)


def map(f: Callable[..., Any], xs: Any, *, batch_size: int | None = None) -> Any:  # noqa: A001 (JAX's name)
    """``f`` applied to each slice of ``xs`` along the leading axis, stacked (``jax.lax.map``).

    ``batch_size`` maps ``vmap(f)`` over chunks of that many slices (the remainder in one more call).
    """
    if not callable(f):
        raise TransformTypeError(f"lax.map: f argument should be callable, got {type(f).__name__}")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"lax.map: batch_size must be a positive int or None, got {batch_size!r}")
    backend, primitives = _backend_and_primitives(xs, "portax.lax.map")
    return _run(backend, primitives.map, f, _to_arrays(backend, xs), batch_size)


def associative_scan(fn: Callable[..., Any], elems: Any, reverse: bool = False, axis: int = 0) -> Any:
    """Inclusive scan of ``elems`` with the associative ``fn`` along ``axis`` (``jax.lax.associative_scan``).

    Example:
        >>> import portax, portax.numpy as jnp
        >>> [float(v) for v in portax.lax.associative_scan(jnp.add, jnp.arange(1.0, 5.0))]
        [1.0, 3.0, 6.0, 10.0]
    """
    if not callable(fn):
        raise TransformTypeError(f"lax.associative_scan: fn should be callable, got {type(fn).__name__}")
    leaves = tree.leaves(elems)
    if not leaves:
        raise ValueError("lax.associative_scan: elems has no arrays")
    ndims = {len(getattr(leaf, "shape", ())) for leaf in leaves}
    if min(ndims) == 0 or not -min(ndims) <= axis < min(ndims):
        raise ValueError(f"lax.associative_scan: axis {axis} out of range for elems of ranks {sorted(ndims)}")
    sizes = {int(leaf.shape[axis]) for leaf in leaves}
    if len(sizes) > 1:
        raise ValueError(f"Array inputs to associative_scan must have the same first dimension. (saw: {sorted(sizes)})")
    backend, primitives = _backend_and_primitives(elems, "portax.lax.associative_scan")
    return _run(backend, primitives.associative_scan, fn, _to_arrays(backend, elems), bool(reverse), axis)


# -- generic implementations from scan/vmap/the namespace ----------------------------------------------------------


def _map_by_scan(primitives: ControlFlow, f: Callable[..., Any], xs: Any, batch_size: int | None) -> Any:
    length = int(tree.leaves(xs)[0].shape[0])
    if batch_size is None or batch_size >= length:
        if batch_size is not None:  # one batch holds everything
            from portax._src.transforms import vmap

            return vmap(f)(xs)
        return primitives.scan(lambda carry, x: (carry, f(x)), (), xs, length, False, 1)[1]
    from portax._src.transforms import vmap

    xp = registry.current_backend().numpy
    batches, rest = divmod(length, batch_size)
    head = tree.map(lambda x: xp.reshape(x[: batches * batch_size], (batches, batch_size, *x.shape[1:])), xs)
    ys = primitives.scan(lambda carry, x: (carry, vmap(f)(x)), (), head, batches, False, 1)[1]
    ys = tree.map(lambda y: xp.reshape(y, (batches * batch_size, *y.shape[2:])), ys)
    if rest:
        tail = vmap(f)(tree.map(lambda x: x[batches * batch_size :], xs))
        ys = tree.map(lambda a, b: xp.concatenate([a, b], axis=0), ys, tail)
    return ys


def _associative_scan(xp: Any, fn: Callable[..., Any], elems: Any, reverse: bool, axis: int) -> Any:
    """JAX's parallel prefix algorithm (``jax/_src/lax/control_flow/loops.py``, Blelloch-style odd/even recursion)
    on a NumPy-like namespace: log-depth, differentiable and vectorizable wherever slicing is."""
    leaves, treedef = tree.flatten(elems)
    ndim = len(leaves[0].shape)
    axis = axis % ndim
    leaves = [xp.moveaxis(x, axis, 0) for x in leaves]
    if reverse:
        leaves = [xp.flip(x, axis=0) for x in leaves]

    def combine(a: list[Any], b: list[Any]) -> list[Any]:
        out = fn(tree.unflatten(treedef, a), tree.unflatten(treedef, b))
        out_leaves, out_def = tree.flatten(out)
        if out_def != treedef:
            raise TransformTypeError(
                f"lax.associative_scan: fn must return the structure of elems ({treedef}), got {out_def}"
            )
        return out_leaves

    def interleave(a: Any, b: Any) -> Any:
        # a has ceil(n/2) rows, b floor(n/2): out[0::2] = a, out[1::2] = b
        n_b = b.shape[0]
        pairs = xp.stack([a[:n_b], b], axis=1)
        merged = xp.reshape(pairs, (2 * n_b, *a.shape[1:]))
        return xp.concatenate([merged, a[n_b:]], axis=0) if a.shape[0] > n_b else merged

    def scan_rec(values: list[Any]) -> list[Any]:
        n = values[0].shape[0]
        if n < 2:
            return values
        reduced = combine([v[0:-1:2] for v in values], [v[1::2] for v in values])
        odd = scan_rec(reduced)
        if n % 2 == 0:
            even = combine([o[:-1] for o in odd], [v[2::2] for v in values])
        else:
            even = combine(odd, [v[2::2] for v in values])
        even = [xp.concatenate([v[0:1], e], axis=0) for v, e in zip(values, even, strict=True)]
        return [interleave(e, o) for e, o in zip(even, odd, strict=True)]

    result = scan_rec(leaves)
    if reverse:
        result = [xp.flip(x, axis=0) for x in result]
    return tree.unflatten(treedef, [xp.moveaxis(x, 0, axis) for x in result])
