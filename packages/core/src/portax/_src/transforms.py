"""JAX's transformations (``grad``, ``vmap``, ``jit``, ...) with JAX's names and signatures, executed natively.

Every transformation here is a thin, backend-neutral front: it checks arguments (raising the same
``portax.errors`` class on every backend), picks the backend from the arrays among the arguments (else the current
backend), checks that the backend declares the capability, converts Python scalars and NumPy arrays where the
engine does not accept them, makes that backend current while the function is traced (so creation functions inside
make the right arrays), and calls the backend's native primitive (``backend.transforms``), built once per backend.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import sys
import types
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from portax._src import registry, tree
from portax._src.backend import Backend, Transforms
from portax._src.errors import BatchingError, TransformTypeError, UnsupportedError

F = TypeVar("F", bound=Callable[..., Any])
_SCALARS = (bool, int, float, complex)

# The functions portax's transformations return whose backend primitive never changes its arguments in place,
# whatever the user function does inside (on torch, grad/vmap/... hand the user function clones). A backend's jit
# may skip its own defensive copies of the arguments of such a function (torch: the input clones, which inductor
# does not remove when they feed matmuls or functorch transforms). A weak set, not a function attribute, so that
# functools.wraps of a user's own wrapper (which may mutate) does not copy the promise.
_arguments_unchanged: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()


def _promise_arguments_unchanged(fun: Callable[..., Any]) -> None:
    if registry.tracing_backend() is None:  # a write to a global while dynamo traces is a side effect it must replay
        _arguments_unchanged.add(fun)


def arguments_unchanged(fun: Callable[..., Any]) -> bool:
    """Whether ``fun`` was returned by a portax transformation that never mutates its arguments."""
    try:
        return fun in _arguments_unchanged
    except TypeError:  # not weak-referenceable
        return False


# -- shared machinery --------------------------------------------------------------------------------------------


def _backend_for(values: Any) -> Backend:
    """The backend owning the arrays in pytree ``values``, else the current one."""
    compiling = registry.tracing_backend()
    if compiling is not None:  # a backend compiler is tracing: every array is its own
        return compiling
    backend = registry.backend_of_arrays(*tree.leaves(values))
    return registry.current_backend() if backend is None else backend


def _transforms(backend: Backend, capability: str, feature: str) -> Transforms:
    primitives = backend.transforms
    if primitives is None or capability not in backend.capabilities:
        raise UnsupportedError(backend.name, feature, "run this transformation on another backend (portax.use_backend)")
    return primitives


def _run(backend: Backend, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` with ``backend`` current.

    While a backend compiler traces in this thread (``registry.tracing_backend()``, a thread-local torch dynamo can
    read), the registry already answers that backend and contextvars (which dynamo cannot trace) are left alone.
    """
    if registry.tracing_backend() is not None:
        return fn(*args, **kwargs)
    token = registry.enter_backend(backend)
    try:
        out = fn(*args, **kwargs)
    finally:
        registry.exit_backend(token)
    for check in output_checks:  # empty unless an option asks (jax_debug_nans on a backend without its own check)
        check(backend, out)
    return out


#: ``check(backend, outputs)`` hooks run on the outputs of every outermost transformation call.
output_checks: list[Callable[[Backend, Any], None]] = []


_known_backend_of_type = registry.known_backend_of_type


def _backend_of_plain_arrays(args: tuple) -> Backend | None:
    """The backend when every argument is an array of one backend already seen (the hot path), else None."""
    backend = None
    for arg in args:
        owner = _known_backend_of_type(type(arg))
        if owner is None or (backend is not None and owner is not backend):
            return None
        backend = owner
    return backend


def _is_array_like(leaf: object) -> bool:
    return type(leaf) in _SCALARS or type(leaf).__module__ == "numpy"


def _to_arrays(backend: Backend, values: Any) -> Any:
    """Python scalars and NumPy arrays in pytree ``values`` as ``backend`` arrays (JAX's dtype rules)."""
    if backend.accepts_array_likes:
        return values
    asarray = backend.numpy.asarray
    return tree.map(lambda leaf: asarray(leaf) if _is_array_like(leaf) else leaf, values)


_dtype_names: dict[Any, str] = {}


def _dtype_name(leaf: object) -> str:
    """The array API name of ``leaf``'s dtype ("float32", "int64", ...); "int"/"float"/... for Python scalars."""
    if type(leaf) in _SCALARS:
        return type(leaf).__name__
    dtype = getattr(leaf, "dtype", None)
    try:
        return _dtype_names[dtype]
    except KeyError:
        name = str(dtype).rpartition(".")[2]
        if registry.tracing_backend() is None:
            # A write to a global while dynamo traces becomes a guard on it: the next call would fail that guard and
            # recompile (measured: jit(grad(ode loss)) on torch compiled twice and kept two cache entries).
            _dtype_names[dtype] = name
        return name
    except TypeError:  # unhashable dtype
        return str(dtype).rpartition(".")[2]


def _is_inexact(leaf: object) -> bool:
    name = _dtype_name(leaf)
    return name.startswith(("float", "bfloat", "complex"))


def _argnums_tuple(argnums: int | Sequence[int], transform: str) -> tuple[int, ...]:
    if isinstance(argnums, int) and not isinstance(argnums, bool):
        return (argnums,)
    if isinstance(argnums, (tuple, list)) and argnums and all(isinstance(n, int) for n in argnums):
        return tuple(argnums)
    raise TransformTypeError(f"{transform}: argnums must be an int or a non-empty tuple of ints, got {argnums!r}")


def _check_argnums(argnums: tuple[int, ...], nargs: int, transform: str, given: Any) -> None:
    for n in argnums:
        if not -nargs <= n < nargs:
            raise TransformTypeError(
                f"{transform}: differentiating with respect to argnums={given!r} requires at least "
                f"{(n if n >= 0 else -n - 1) + 1} positional arguments to be passed by the caller, but got only "
                f"{nargs}; pass the argument positionally or change argnums"
            )


def _check_inexact_inputs(args: tuple, argnums: tuple[int, ...], transform: str, holomorphic: bool = False) -> None:
    for n in argnums:
        arg = args[n]
        for leaf in (arg,) if _known_backend_of_type(type(arg)) is not None else tree.leaves(arg):
            if holomorphic and not _dtype_name(leaf).startswith("complex"):
                raise TransformTypeError(
                    f"{transform} with holomorphic=True requires inputs with complex dtype, but got "
                    f"{_dtype_name(leaf)}; pass complex inputs (x + 0j) or leave holomorphic out"
                )
            if not _is_inexact(leaf):
                raise TransformTypeError(
                    f"{transform} requires real- or complex-valued inputs (float or complex dtype), but argument "
                    f"{n} has a leaf of dtype {_dtype_name(leaf)}; convert it with .astype(float) or differentiate "
                    "with respect to another argument (argnums)"
                )


def _scalar_output_checked(
    fun: Callable[..., Any], has_aux: bool, transform: str, holomorphic: bool = False
) -> Callable[..., Any]:
    """``fun`` raising TransformTypeError unless it returns a real scalar (a complex one with ``holomorphic``)."""

    @functools.wraps(fun)
    def checked(*args: Any, **kwargs: Any) -> Any:
        out = fun(*args, **kwargs)
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TransformTypeError(
                    f"{transform} with has_aux=True requires the function to return a pair (output, aux), got "
                    f"{type(out).__name__}"
                )
            value = out[0]
        else:
            value = out
        if isinstance(value, float):  # a constant (JAX: gradient 0), e.g. a custom_jvp whose rule ignores the input
            value = registry.current_backend().numpy.asarray(value)
            out = (value, out[1]) if has_aux else value
        shape = getattr(value, "shape", None)
        if shape is None or tuple(shape) != ():
            raise TransformTypeError(
                f"{transform}: gradient only defined for scalar-output functions; output had "
                f"{'shape ' + str(tuple(shape)) if shape is not None else 'type ' + type(value).__name__}. "
                "Reduce it (e.g. .sum() or a mean) or use jacrev/vjp for non-scalar outputs"
            )
        is_complex = _dtype_name(value).startswith("complex")
        if holomorphic and not is_complex:
            raise TransformTypeError(
                f"{transform} with holomorphic=True requires outputs with complex dtype, but got {_dtype_name(value)}"
            )
        if is_complex and not holomorphic:
            raise TransformTypeError(
                f"{transform} requires real-valued outputs, got {_dtype_name(value)}; for holomorphic "
                "differentiation pass holomorphic=True, otherwise take abs/real first or use vjp"
            )
        if not holomorphic and not _is_inexact(value):
            # jax 0.10 (_check_output_dtype_revderiv): torch.func.grad would differentiate an integer output as zeros.
            raise TransformTypeError(
                "grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got "
                f"{_dtype_name(value)}. For differentiation of functions with integer outputs, use jax.vjp directly."
            )
        return out

    return checked


def _real_outputs_checked(fun: Callable[..., Any], has_aux: bool) -> Callable[..., Any]:
    """``fun`` raising TransformTypeError unless every output leaf is floating (jax 0.10 ``jacrev``'s
    ``_check_output_dtype_revderiv``; ``hessian`` is ``jacfwd(jacrev)`` there): torch.func.jacrev would give zeros
    for an integer output."""

    @functools.wraps(fun)
    def checked(*args: Any, **kwargs: Any) -> Any:
        out = fun(*args, **kwargs)
        for leaf in tree.leaves(out[0] if has_aux and isinstance(out, tuple) and len(out) == 2 else out):
            name = _dtype_name(leaf)
            if name.startswith("complex"):
                raise TransformTypeError(
                    "jacrev requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got "
                    f"{name}. For holomorphic differentiation, pass holomorphic=True. For differentiation of "
                    "non-holomorphic functions involving complex outputs, use jax.vjp directly."
                )
            if not _is_inexact(leaf):
                raise TransformTypeError(
                    "jacrev requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got "
                    f"{name}. For differentiation of functions with integer outputs, use jax.vjp directly."
                )
        return out

    return checked


class _PerBackend:
    """Builds a backend's native callable once and caches it by key."""

    __slots__ = ("_build", "_cache")

    def __init__(self, build: Callable[..., Any]) -> None:
        self._build = build
        self._cache: dict[Hashable, Any] = {}

    def get(self, key: Hashable, *build_args: Any) -> Any:
        native = self._cache.get(key)
        if native is None:
            native = self._build(*build_args)
            if registry.tracing_backend() is None:
                # While a backend compiler traces (JAX's idiom: `jit(lambda p: grad(loss)(p))`), storing the new
                # callable is a side effect torch dynamo must replay, and cannot ("Reconstruction failure": the
                # jit then ran uncompiled); built per trace instead, which costs only at trace time.
                self._cache[key] = native
        return native

    def clear(self) -> None:
        self._cache.clear()


def _normalize_argnums(argnums: tuple[int, ...], nargs: int, original: Any) -> Any:
    normalized = tuple(n % nargs for n in argnums)
    return normalized[0] if isinstance(original, int) else normalized


# -- differentiation ---------------------------------------------------------------------------------------------

_BUILT = "_portax_differentiated"  # a plain function's attribute: (id(fun), kind, argnums, ...) -> its transformed


def _differentiation(
    kind: str, fun: Callable[..., Any], argnums: int | Sequence[int], has_aux: bool, **options: Any
) -> Callable[..., Any]:
    """``_build_differentiation``'s function, built once per plain Python ``fun`` and arguments: JAX code writes
    ``grad(loss)(params)`` inside the step it runs, and on an eager engine each call would otherwise build the front
    and the backend's native transform afresh (measured ~0.1 ms per call on torch). Stored on ``fun`` itself (its
    lifetime; a cache holding the transformed function would keep ``fun`` alive), keyed by ``id(fun)`` and checked
    by identity, since ``functools.wraps`` copies ``__dict__`` onto a user's wrapper."""
    if type(fun) is not types.FunctionType or registry.tracing_backend() is not None:
        return _build_differentiation(kind, fun, argnums, has_aux, **options)
    key = (id(fun), kind, tuple(argnums) if isinstance(argnums, list) else argnums, has_aux, *options.items())
    built = fun.__dict__.get(_BUILT)
    try:
        cached = built.get(key) if built is not None else None
    except TypeError:  # unhashable argnums: the front raises its own error
        return _build_differentiation(kind, fun, argnums, has_aux, **options)
    if cached is not None and cached.__wrapped__ is fun:
        return cached
    transformed = _build_differentiation(kind, fun, argnums, has_aux, **options)
    if built is None:
        built = {}
        setattr(fun, _BUILT, built)
    built[key] = transformed
    return transformed


def _build_differentiation(
    kind: str, fun: Callable[..., Any], argnums: int | Sequence[int], has_aux: bool, **options: Any
) -> Callable[..., Any]:
    argnum_tuple = _argnums_tuple(argnums, kind)
    scalar_output = kind in ("grad", "value_and_grad")
    holomorphic = bool(options.get("holomorphic"))
    if scalar_output:
        target = _scalar_output_checked(fun, has_aux, kind, holomorphic)
    else:
        target = _real_outputs_checked(fun, has_aux) if kind in ("jacrev", "hessian") else fun
    capability = "jvp" if kind == "jacfwd" else "grad"

    def build(backend: Backend, native_argnums: Any) -> Any:
        primitives = backend.transforms
        assert primitives is not None
        if kind == "hessian" and "jvp" not in backend.capabilities:
            raise UnsupportedError(backend.name, "hessian (forward over reverse mode)")
        method = getattr(primitives, kind)
        return (
            method(target, native_argnums, has_aux, **options) if options else method(target, native_argnums, has_aux)
        )

    natives = _PerBackend(build)

    @functools.wraps(fun)
    def transformed(*args: Any, **kwargs: Any) -> Any:
        _check_argnums(argnum_tuple, len(args), kind, argnums)
        plain_backend = _backend_of_plain_arrays(args)
        backend = plain_backend if plain_backend is not None else _backend_for(args)
        _transforms(backend, capability, f"portax.{kind}")
        if not options.get("allow_int"):
            _check_inexact_inputs(args, argnum_tuple, kind, holomorphic)
        if plain_backend is None and not backend.accepts_array_likes:
            args = tuple(
                _to_arrays(backend, a) if i in argnum_tuple or (i - len(args)) in argnum_tuple else a
                for i, a in enumerate(args)
            )
        native_argnums = _normalize_argnums(argnum_tuple, len(args), argnums)
        native = natives.get((backend, native_argnums), backend, native_argnums)
        return _run(backend, native, *args, **kwargs)

    _promise_arguments_unchanged(transformed)
    return transformed


def grad(
    fun: Callable[..., Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[..., Any]:
    """The gradient of scalar-valued ``fun`` with respect to the arguments ``argnums`` (``jax.grad``).

    Args:
        fun: a function returning a real scalar array (or ``(scalar, aux)`` with ``has_aux``). Arguments may be
            arrays, Python scalars, NumPy arrays or pytrees of them.
        argnums: which positional argument(s) to differentiate; a tuple gives a tuple of gradients.
        has_aux: ``fun`` returns ``(output, aux)``; the gradient function returns ``(grads, aux)``.
        holomorphic: ``fun`` is holomorphic in complex inputs with a complex output; the result is ``f'(z)``
            (JAX's), on every backend.
        allow_int: as in JAX, where the backend supports it.

    Returns:
        A function with ``fun``'s arguments returning gradients shaped like the differentiated arguments.

    Raises:
        TransformTypeError: non-scalar or complex output, integer inputs, or argnums beyond the arguments.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> float(portax.grad(lambda x: jnp.sin(x) + x**2)(2.0))  # cos(2) + 4
        3.58385...
    """
    options = {k: v for k, v in (("holomorphic", holomorphic), ("allow_int", allow_int)) if v}
    return _differentiation("grad", fun, argnums, has_aux, **options)


def value_and_grad(
    fun: Callable[..., Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[..., Any]:
    """``fun``'s value and gradient in one pass (``jax.value_and_grad``): returns ``(value, grads)``.

    With ``has_aux`` the result is ``((value, aux), grads)``. Arguments and errors as :func:`grad`.
    """
    options = {k: v for k, v in (("holomorphic", holomorphic), ("allow_int", allow_int)) if v}
    return _differentiation("value_and_grad", fun, argnums, has_aux, **options)


def jacfwd(fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The Jacobian of ``fun`` by forward mode (``jax.jacfwd``); pytree inputs and outputs as JAX nests them."""
    return _differentiation("jacfwd", fun, argnums, has_aux)


def jacrev(fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The Jacobian of ``fun`` by reverse mode (``jax.jacrev``); pytree inputs and outputs as JAX nests them."""
    return _differentiation("jacrev", fun, argnums, has_aux)


jacobian = jacrev


def hessian(fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The Hessian of scalar ``fun``, forward over reverse mode (``jax.hessian``).

    Example:
        >>> import portax, portax.numpy as jnp
        >>> tuple(portax.hessian(lambda x: (x**3).sum())(jnp.asarray([1.0, 2.0])).shape)
        (2, 2)
    """
    return _differentiation("hessian", fun, argnums, has_aux)


def jvp(fun: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any], has_aux: bool = False) -> Any:
    """Forward-mode product ``(fun(*primals), J @ tangents)`` (``jax.jvp``); plus ``aux`` with ``has_aux``.

    Raises:
        TypeError: ``primals``/``tangents`` are not tuples or lists of the same structure.
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TransformTypeError(
            "jvp: primal and tangent arguments must be tuples or lists; "
            f"found {type(primals).__name__} and {type(tangents).__name__}"
        )
    if tree.structure(tuple(primals)) != tree.structure(tuple(tangents)):
        raise TransformTypeError(
            f"jvp: primal and tangent arguments must have the same tree structure; got "
            f"{tree.structure(tuple(primals))} and {tree.structure(tuple(tangents))}"
        )
    backend = _backend_for((primals, tangents))
    primitives = _transforms(backend, "jvp", "portax.jvp")
    given = tuple(tangents)
    primals = tuple(_to_arrays(backend, tuple(primals)))
    tangents = tuple(_to_arrays(backend, given))
    _check_tangents(primals, given, tangents)
    return _run(backend, primitives.jvp, fun, primals, tangents, has_aux)


def _check_tangents(primals: tuple, given: tuple, tangents: tuple) -> None:
    """JAX's checks of jvp's tangents (jax 0.10 ``api._jvp``): a floating primal's tangent given as an array has its
    dtype, and every tangent its primal's shape (torch.func would accept a float16 tangent of a float32 primal, or
    fail inside with a RuntimeError)."""
    leaves = zip(tree.leaves(primals), tree.leaves(given), tree.leaves(tangents), strict=False)
    for primal, original, tangent in leaves:
        primal_shape, tangent_shape = getattr(primal, "shape", None), getattr(tangent, "shape", None)
        if primal_shape is None or tangent_shape is None:
            continue
        if type(original) not in _SCALARS and _is_inexact(primal) and _dtype_name(primal) != _dtype_name(tangent):
            raise TransformTypeError(
                "primal and tangent arguments to jax.jvp do not match; dtypes must be equal, or in case of int/bool "
                f"primal dtype the tangent dtype must be float0.Got primal dtype {_dtype_name(primal)} and so expected "
                f"tangent dtype {_dtype_name(primal)}, but got tangent dtype {_dtype_name(tangent)} instead."
            )
        if tuple(primal_shape) != tuple(tangent_shape):
            raise ValueError(
                "jvp called with different primal and tangent shapes;"
                f"Got primal shape {tuple(primal_shape)} and tangent shape as {tuple(tangent_shape)}"
            )


def _aval(leaf: Any) -> str:
    """JAX's short type of an array (``float32[2,3]``), for messages."""
    return f"{_dtype_name(leaf)}[{','.join(str(n) for n in leaf.shape)}]"


def _check_cotangent(out: Any, cotangent: Any, converted: Any) -> None:
    """JAX's check of a vjp cotangent (jax 0.10 ``api._vjp_check_ct_avals``): each leaf has its output's shape and,
    for a floating output given as an array, its dtype (torch.func would fail inside the pullback with RuntimeError)."""
    for expected, given, leaf in zip(tree.leaves(out), tree.leaves(cotangent), tree.leaves(converted), strict=False):
        expected_shape, shape = getattr(expected, "shape", None), getattr(leaf, "shape", None)
        if expected_shape is None or shape is None:
            continue
        dtype_differs = (
            type(given) not in _SCALARS and _is_inexact(expected) and _dtype_name(expected) != _dtype_name(leaf)
        )
        if tuple(expected_shape) != tuple(shape) or dtype_differs:
            raise ValueError(
                f"unexpected JAX type (e.g. shape/dtype) for argument to VJP function: got {_aval(leaf)}, but expected "
                f"{_aval(expected)} because the corresponding output of the differentiated function had JAX type "
                f"{_aval(expected)}"
            )


def vjp(fun: Callable[..., Any], *primals: Any, has_aux: bool = False) -> Any:
    """``(fun(*primals), pullback)`` where ``pullback(cotangent)`` is a tuple with one cotangent per primal (``jax.vjp``).

    With ``has_aux`` it returns ``(output, pullback, aux)``. Complex values follow JAX's convention on every backend.
    """
    backend = _backend_for(primals)
    primitives = _transforms(backend, "grad", "portax.vjp")
    primals = tuple(_to_arrays(backend, primals))
    result = _run(backend, primitives.vjp, fun, primals, has_aux)
    return (result[0], _Pullback((backend, getattr(fun, "__qualname__", fun)), result[1], result[0]), *result[2:])


class _Pullback:
    """The VJP function of :func:`vjp`: a pytree whose children are the engine's pullback (on JAX a pytree of the
    residuals) and the primal output, so that, as in JAX, a jitted function can return it and take it as an argument
    (the ``vjp-objects`` tutorial's ``jit(fwd)``/``jit(bwd)``)."""

    __slots__ = ("_backend", "_name", "_out", "_pullback")

    def __init__(self, static: tuple[Backend, Any], pullback: Callable[..., Any], out: Any) -> None:
        (self._backend, self._name), self._pullback, self._out = static, pullback, out

    def __call__(self, cotangent: Any) -> Any:
        expected, given = tree.structure(self._out), tree.structure(cotangent)
        if expected != given:  # jax 0.10 api.vjp's unflatten of the cotangent: ValueError
            raise ValueError(
                "unexpected tree structure.\n\nThe argument to a VJP function returned by `jax.vjp` must match the "
                f"pytree structure of the differentiated function {self._name}.\n\nBut the "
                f"tree structures differ: the output was {expected}, the cotangent is {given}."
            )
        converted = _to_arrays(self._backend, cotangent)
        _check_cotangent(self._out, cotangent, converted)
        return _run(self._backend, self._pullback, converted)


tree.register_pytree_node(
    _Pullback,
    lambda p: ((p._pullback, p._out), (p._backend, p._name)),
    lambda static, children: _Pullback(static, *children),
)


def linearize(fun: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[..., Any]]:
    """``(fun(*primals), f_jvp)`` where ``f_jvp(*tangents)`` is the JVP at ``primals`` (``jax.linearize``)."""
    backend = _backend_for(primals)
    primitives = _transforms(backend, "jvp", "portax.linearize")
    primals = tuple(_to_arrays(backend, primals))
    out, f_jvp = _run(backend, primitives.linearize, fun, primals)
    return out, lambda *tangents: _run(backend, f_jvp, *_to_arrays(backend, tangents))


def stop_gradient(x: Any) -> Any:
    """``x`` (a pytree) treated as a constant by differentiation (``jax.lax.stop_gradient``)."""

    def stop(leaf: Any) -> Any:
        backend = registry.backend_of(leaf)
        if backend is None:
            backend = registry.current_backend()
            leaf = _to_arrays(backend, leaf) if _is_array_like(leaf) else leaf
            if registry.backend_of(leaf) is None:
                return leaf
        return _transforms(backend, "grad", "portax.lax.stop_gradient").stop_gradient(leaf)

    return tree.map(stop, x)


# -- vectorization -----------------------------------------------------------------------------------------------


def _argument_names(fun: Callable[..., Any], count: int) -> list[str]:
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = []
    for i in range(count):
        if i < len(params) and params[i].kind in (params[i].POSITIONAL_ONLY, params[i].POSITIONAL_OR_KEYWORD):
            names.append(f"argument {i} ({params[i].name!r})")
        else:
            names.append(f"argument {i}")
    return names


def _mapped_size(fun: Callable[..., Any], args: tuple, in_axes: Any, axis_size: int | None) -> int | None:
    """Check ``in_axes`` against ``args`` and return the common mapped size (None when nothing is mapped)."""
    if isinstance(in_axes, tuple) and len(in_axes) != len(args):
        raise BatchingError(
            f"vmap in_axes must be an int, None, or a tuple with one entry per positional argument; got "
            f"{len(in_axes)} entries for {len(args)} arguments: in_axes={in_axes!r}"
        )
    per_arg = in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args)
    found: list[tuple[int, int, int, Any]] = []  # (argument, axis, size, shape)
    for index, (arg, axes) in enumerate(zip(args, per_arg, strict=False)):
        try:
            flat_axes = tree.broadcast_prefix(axes, arg)
        except ValueError as e:
            raise BatchingError(
                f"vmap in_axes entry {axes!r} for argument {index} does not match the argument's structure "
                f"{tree.structure(arg)}: {e}"
            ) from None
        for leaf, axis in zip(tree.leaves(arg), flat_axes, strict=False):
            if axis is None:
                continue
            if not isinstance(axis, int):
                raise BatchingError(f"vmap in_axes must contain ints or None, got {axis!r} for argument {index}")
            shape = getattr(leaf, "shape", ())
            ndim = len(shape)
            if not -ndim <= axis < max(ndim, 1) or ndim == 0:
                raise BatchingError(
                    f"vmap was requested to map {_argument_names(fun, len(args))[index]} along axis {axis}, which "
                    f"implies that its rank should be at least {axis + 1 if axis >= 0 else -axis}, but its shape is "
                    f"{tuple(shape)}; use in_axes=None for arguments that are not mapped"
                )
            found.append((index, axis, int(shape[axis]), tuple(shape)))
    sizes = {size for _, _, size, _ in found}
    if axis_size is not None:
        sizes.add(axis_size)
    if len(sizes) > 1:
        names = _argument_names(fun, len(args))
        lines = "; ".join(
            f"{names[i]} of shape {shape} has size {size} along axis {axis}" for i, axis, size, shape in found
        )
        if axis_size is not None:
            lines += f"; axis_size={axis_size}"
        raise BatchingError(f"vmap got inconsistent sizes for array axes to be mapped: {lines}")
    if not sizes:
        raise BatchingError(
            "vmap must have at least one non-None value in in_axes, or be given axis_size; "
            f"got in_axes={in_axes!r} for {len(args)} arguments"
        )
    return sizes.pop()


def vmap(
    fun: Callable[..., Any],
    in_axes: int | None | Sequence[Any] | Mapping[str, Any] = 0,
    out_axes: Any = 0,
    axis_name: Hashable | None = None,
    axis_size: int | None = None,
    spmd_axis_name: Hashable | None = None,
) -> Callable[..., Any]:
    """Map ``fun`` over array axes (``jax.vmap``).

    Args:
        fun: the function to vectorize.
        in_axes: an int, None, or a tuple with one entry per positional argument, each a pytree prefix of the
            argument whose leaves are ints (the mapped axis, negative counts from the end) or None (not mapped).
            Keyword arguments are always mapped over axis 0.
        out_axes: where the mapped axis goes in the outputs (a pytree prefix of the output; None: not mapped).
        axis_name: a name for the mapped axis, for collectives (``portax.lax.psum``...).
        axis_size: the mapped size when no argument is mapped.

    Raises:
        BatchingError: inconsistent mapped sizes (naming the arguments and sizes) or invalid axes.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> tuple(portax.vmap(lambda p, x: p * x, in_axes=(None, 0))(2.0, jnp.asarray([1.0, 2.0])).shape)
        (2,)
    """
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)
    if spmd_axis_name is not None:
        raise UnsupportedError("portax", "vmap(spmd_axis_name=...)", "leave it out")

    def build(backend: Backend) -> Any:
        primitives = backend.transforms
        assert primitives is not None
        # kwargs are mapped over axis 0 (JAX's rule), so the native map sees one (args, kwargs) pair.
        return primitives.vmap(lambda a, k: fun(*a, **k), (in_axes, 0), out_axes, axis_name, axis_size)

    natives = _PerBackend(build)

    @functools.wraps(fun)
    def mapped(*args: Any, **kwargs: Any) -> Any:
        backend = _backend_for((args, kwargs))
        _transforms(backend, "vmap", "portax.vmap")
        if kwargs:  # keyword arguments are mapped over axis 0
            per_arg = in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args)
            _mapped_size(fun, (*args, *kwargs.values()), (*per_arg, *(0,) * len(kwargs)), axis_size)
        else:
            _mapped_size(fun, args, in_axes, axis_size)
        if not backend.accepts_array_likes:
            args, kwargs = _to_arrays_mapped(backend, args, in_axes), _to_arrays(backend, kwargs)
        return _run(backend, natives.get(backend, backend), args, kwargs)

    _promise_arguments_unchanged(mapped)
    return mapped


def _to_arrays_mapped(backend: Backend, args: tuple, in_axes: Any) -> tuple:
    """Convert the NumPy arrays among mapped leaves; unmapped Python values stay as they are (as in JAX)."""
    flat_axes = tree.broadcast_prefix(in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args), args)
    leaves, treedef = tree.flatten(args)
    asarray = backend.numpy.asarray
    converted = [
        asarray(leaf) if axis is not None and _is_array_like(leaf) or type(leaf).__module__ == "numpy" else leaf
        for leaf, axis in zip(leaves, flat_axes, strict=False)
    ]
    return tree.unflatten(treedef, converted)


# -- compilation -------------------------------------------------------------------------------------------------

_jit_disabled = False  # a plain global, not a contextvar: engine compilers (torch dynamo) can read it


class disable_jit:
    """Context manager running ``portax.jit`` functions eagerly, op by op (``jax.disable_jit``)."""

    def __init__(self, disable: bool = True) -> None:
        self._disable = disable
        self._saved: list[bool] = []
        self._engine_contexts: list[Any] = []

    def __enter__(self) -> None:
        global _jit_disabled
        self._saved.append(_jit_disabled)
        _jit_disabled = self._disable
        contexts = []
        if self._disable:
            for backend in registry.loaded_backends():
                if backend.transforms is not None:
                    context = backend.transforms.disable_jit()
                    context.__enter__()
                    contexts.append(context)
        self._engine_contexts.append(contexts)

    def __exit__(self, *exc: Any) -> None:
        global _jit_disabled
        for context in reversed(self._engine_contexts.pop()):
            context.__exit__(*exc)
        _jit_disabled = self._saved.pop()


def _static_positions(
    fun: Callable[..., Any], static_argnums: Any, static_argnames: Any
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Complete static_argnums from static_argnames and the reverse, through ``fun``'s signature (as ``jax.jit``)."""
    nums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums or ())
    names = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames or ())
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):
        return nums, names
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    for n in nums:
        if 0 <= n < len(positional) and positional[n] not in names:
            names += (positional[n],)
    for name in names:
        if name in positional and positional.index(name) not in nums:
            nums += (positional.index(name),)
    if nums and not any(p.kind is p.VAR_POSITIONAL for p in params):
        # jax 0.10 (api_util._validate_argnums), checked once when jit is applied
        count = len(positional)
        if -min(nums) > count or max(nums) >= count:
            raise ValueError(f"Jitted function has static_argnums={nums}, but only accepts {count} positional arguments.")
    return nums, names


def jit(
    fun: Callable[..., Any] | None = None,
    /,
    *,
    static_argnums: int | Sequence[int] | None = None,
    static_argnames: str | Iterable[str] | None = None,
    donate_argnums: int | Sequence[int] | None = None,
    donate_argnames: str | Iterable[str] | None = None,
    keep_unused: bool = False,
    inline: bool = False,
    compile_options: Mapping[str, Mapping[str, Any]] | None = None,
) -> Callable[..., Any]:
    """Compile ``fun`` with the backend's compiler (``jax.jit``; ``torch.compile(fullgraph=True)`` on torch).

    Args:
        fun: the function; its array arguments are traced, so a Python ``if`` on their values is an error.
        static_argnums, static_argnames: arguments that are Python values baked into the compiled code (hashable);
            each new value compiles again, as in JAX.
        donate_argnums, donate_argnames: accepted; backends that can reuse donated buffers do (JAX).
        compile_options: per-backend compiler options, e.g. ``{"torch": {"backend": "aot_eager"}}`` (keys of
            ``torch.compile``: ``backend``, ``mode``, ``dynamic``, ``options``). The global default torch compile
            backend is ``portax.config.update("torch_compile_backend", ...)`` / ``PORTAX_TORCH_COMPILE_BACKEND``.

    Raises:
        ConcretizationError: (when called) the function branches in Python on a traced value; use
            ``portax.lax.cond`` or mark the argument static.

    Without ``fun`` it returns a decorator (``@portax.jit(static_argnums=0)``), as ``jax.jit`` does.

    Two ``jit(f)`` of the same ``f`` with the same options share their compiled code, as in JAX (which caches the
    trace per function): a global that ``f`` reads is baked in at the first trace.

    Example:
        >>> import portax
        >>> float(portax.jit(lambda x: x**2 + 1.0)(2.0))
        5.0
    """
    if fun is None:
        return functools.partial(
            jit,
            static_argnums=static_argnums,
            static_argnames=static_argnames,
            donate_argnums=donate_argnums,
            donate_argnames=donate_argnames,
            keep_unused=keep_unused,
            inline=inline,
            compile_options=compile_options,
        )
    nums, names = _static_positions(fun, static_argnums, static_argnames)
    donate = (donate_argnums,) if isinstance(donate_argnums, int) else tuple(donate_argnums or ())
    options = dict(compile_options or {})
    natives = _shared_jit_natives(fun, (nums, names, donate), options)
    if natives is None:
        natives = _PerBackend(functools.partial(_build_jit, fun, nums, names, donate, options))
    return _jitted(fun, natives, nums, names)


# ``jit(f)`` shares the natives built for ``f`` with the same static/donate options: JAX caches the trace per
# function, so ``jit(f)`` written twice (or inside a loop) traces ``f`` once. The cache lives in the function's own
# ``__dict__`` (a reference cycle the collector frees with the function; a weak-keyed global dict would keep every
# function alive through its compiled code), tagged with a weak reference to its owner because ``functools.wraps``
# copies ``__dict__`` into a wrapper, which must not run ``f``'s compiled code.
_JIT_CACHE_ATTRIBUTE = "__portax_jit_cache__"


def _shared_jit_natives(fun: Callable[..., Any], key: Hashable, options: dict) -> _PerBackend | None:
    if options or registry.tracing_backend() is not None or not isinstance(fun, types.FunctionType):
        return None  # compile options (nested dicts) make their own entry; so does anything but a plain function
    owner, per_key = fun.__dict__.get(_JIT_CACHE_ATTRIBUTE, (None, None))
    if owner is None or owner() is not fun:
        per_key = {}
        fun.__dict__[_JIT_CACHE_ATTRIBUTE] = (weakref.ref(fun), per_key)
    natives = per_key.get(key)
    if natives is None:
        nums, names, donate = key  # type: ignore[misc]
        natives = per_key[key] = _PerBackend(functools.partial(_build_jit, fun, nums, names, donate, options))
    return natives


def _build_jit(
    fun: Callable[..., Any], nums: tuple[int, ...], names: tuple[str, ...], donate: tuple, options: dict, backend: Backend
) -> Any:
    primitives = backend.transforms
    assert primitives is not None

    # The current backend matters only while ``fun`` runs (tracing, or an eager fallback), so it is set there
    # and not around every call of the compiled function: the hot path below is then one dict lookup and the
    # engine's own call (measured on JAX: +1.2 µs per call over jax.jit with the context set on every call).
    @functools.wraps(fun)
    def traced(*args: Any, **kwargs: Any) -> Any:
        return _run(backend, fun, *args, **kwargs)

    # While the backend's compiler traces (``registry.tracing``), ``traced`` only calls ``fun``: a compiler may trace
    # ``fun`` itself. On torch, tracing ``_run`` put guards on portax's tracing state into every compiled call (one of
    # them evaluated in Python: ~0.3 us per call of a jitted ``x + 1``).
    traced.__portax_trace_target__ = fun  # type: ignore[attr-defined]
    if arguments_unchanged(fun):
        _promise_arguments_unchanged(traced)
    return primitives.jit(traced, nums, names, donate, dict(options.get(backend.name, {})))


def _jitted(fun: Callable[..., Any], natives: _PerBackend, nums: tuple[int, ...], names: tuple[str, ...]) -> Any:
    """The function ``jit`` returns: a dict lookup and the native compiled call on the hot path."""
    static_set = frozenset(nums)

    cache = natives._cache

    @functools.wraps(fun)
    def jitted(*args: Any, **kwargs: Any) -> Any:
        if not kwargs and not static_set and not _jit_disabled:
            # hot path: array arguments of one backend, already built for it (``_backend_of_plain_arrays`` inline:
            # one Python frame less per call)
            backend = None
            for arg in args:
                owner = _known_backend_of_type(type(arg))
                if owner is None or (backend is not None and owner is not backend):
                    backend = None
                    break
                backend = owner
            native = cache.get(backend) if backend is not None else None
            if native is not None:
                return native(*args)
        dynamic_args = (
            args
            if not static_set
            else tuple(a for i, a in enumerate(args) if i not in static_set and i - len(args) not in static_set)
        )
        dynamic_kwargs = kwargs if not names else {k: v for k, v in kwargs.items() if k not in names}
        backend = _backend_for((dynamic_args, dynamic_kwargs))
        if _jit_disabled:
            return _run(backend, fun, *args, **kwargs)
        _transforms(backend, "jit", "portax.jit")
        if not backend.accepts_array_likes:
            args = tuple(
                a if i in static_set or i - len(args) in static_set else _to_arrays(backend, a)
                for i, a in enumerate(args)
            )
            kwargs = {k: v if k in names else _to_arrays(backend, v) for k, v in kwargs.items()}
        return _run(backend, natives.get(backend, backend), *args, **kwargs)

    return jitted


# -- custom differentiation rules -----------------------------------------------------------------------------------


def _positional(fun: Callable[..., Any], args: tuple, kwargs: dict) -> tuple:
    """``args`` with ``kwargs`` bound to their positions (custom rules take positional arguments, as in JAX)."""
    if not kwargs:
        return args
    bound = inspect.signature(fun).bind(*args, **kwargs)
    bound.apply_defaults()
    return tuple(bound.args)


class custom_vjp:
    """A function with a custom reverse-mode rule (``jax.custom_vjp``).

    Example:
        >>> import portax, portax.numpy as jnp
        >>> @portax.custom_vjp
        ... def clip_gradient(x):
        ...     return x
        >>> clip_gradient.defvjp(lambda x: (x, None), lambda _, g: (jnp.clip(g, -1.0, 1.0),))
        >>> float(portax.grad(lambda x: 3.0 * clip_gradient(x))(2.0))
        1.0
    """

    def __init__(self, fun: Callable[..., Any], nondiff_argnums: Sequence[int] = ()) -> None:
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd: Callable[..., Any] | None = None
        self.bwd: Callable[..., Any] | None = None
        self._natives = _PerBackend(self._build)

    def defvjp(self, fwd: Callable[..., Any], bwd: Callable[..., Any], symbolic_zeros: bool = False) -> None:
        """Set the rule: ``fwd(*args) -> (output, residuals)``, ``bwd(*nondiff_args, residuals, g) -> cotangents``."""
        if symbolic_zeros:
            raise UnsupportedError("portax", "custom_vjp(symbolic_zeros=True)", "leave symbolic_zeros out")
        self.fwd, self.bwd = fwd, bwd
        self._natives.clear()

    def _build(self, backend: Backend) -> Any:
        primitives = backend.transforms
        assert primitives is not None
        return primitives.custom_vjp(self.fun, self.fwd, self.bwd, self.nondiff_argnums)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.fwd is None:
            raise AttributeError(f"No VJP defined for custom_vjp function {self.fun.__name__} using defvjp.")
        args = _positional(self.fun, args, kwargs)
        backend = _backend_for(args)
        _transforms(backend, "custom_rules", "portax.custom_vjp")
        return self._natives.get(backend, backend)(*args)


class custom_jvp:
    """A function with a custom forward-mode rule, also used for reverse mode (``jax.custom_jvp``).

    Example:
        >>> import portax, portax.numpy as jnp
        >>> @portax.custom_jvp
        ... def f(x):
        ...     return jnp.sin(x)
        >>> @f.defjvp
        ... def f_jvp(primals, tangents):
        ...     (x,), (t,) = primals, tangents
        ...     return f(x), 2.0 * t
        >>> float(portax.grad(f)(0.5))
        2.0
    """

    def __init__(self, fun: Callable[..., Any], nondiff_argnums: Sequence[int] = ()) -> None:
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.jvp: Callable[..., Any] | None = None
        self._natives = _PerBackend(self._build)

    def defjvp(self, jvp: F, symbolic_zeros: bool = False) -> F:
        """Set the rule ``jvp(primals, tangents) -> (primal_out, tangent_out)``; usable as a decorator."""
        if symbolic_zeros:
            raise UnsupportedError("portax", "custom_jvp(symbolic_zeros=True)", "leave symbolic_zeros out")
        self.jvp = jvp
        self._natives.clear()
        return jvp

    def defjvps(self, *jvps: Callable[..., Any] | None) -> None:
        """Set one rule per argument: ``jvps[i](tangent_i, primal_out, *primals) -> tangent contribution``."""

        def jvp(primals: tuple, tangents: tuple) -> tuple:
            out = self.fun(*primals)
            total = None
            for rule, tangent in zip(jvps, tangents, strict=False):
                if rule is None:
                    continue
                term = rule(tangent, out, *primals)
                total = term if total is None else tree.map(lambda a, b: a + b, total, term)
            if total is None:
                total = tree.map(lambda o: o * 0, out)
            return out, total

        self.defjvp(jvp)

    def _build(self, backend: Backend) -> Any:
        primitives = backend.transforms
        assert primitives is not None
        return primitives.custom_jvp(self.fun, self.jvp, self.nondiff_argnums)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.jvp is None:
            raise AttributeError(f"No JVP defined for custom_jvp function {self.fun.__name__} using defjvp.")
        args = _positional(self.fun, args, kwargs)
        backend = _backend_for(args)
        _transforms(backend, "custom_rules", "portax.custom_jvp")
        return self._natives.get(backend, backend)(*args)


# -- memory --------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CheckpointPolicy:
    """A named rematerialization policy (``jax.checkpoint_policies.<name>``); backends map the name."""

    name: str


class checkpoint_policies:
    """The policies of ``jax.checkpoint_policies`` by name; pass one as ``checkpoint(policy=...)``."""

    everything_saveable = CheckpointPolicy("everything_saveable")
    nothing_saveable = CheckpointPolicy("nothing_saveable")
    dots_saveable = CheckpointPolicy("dots_saveable")
    checkpoint_dots = CheckpointPolicy("checkpoint_dots")
    dots_with_no_batch_dims_saveable = CheckpointPolicy("dots_with_no_batch_dims_saveable")
    checkpoint_dots_with_no_batch_dims = CheckpointPolicy("checkpoint_dots_with_no_batch_dims")


def checkpoint(
    fun: Callable[..., Any],
    *,
    prevent_cse: bool = True,
    policy: CheckpointPolicy | Callable[..., bool] | None = None,
    static_argnums: int | tuple[int, ...] = (),
) -> Callable[..., Any]:
    """``fun`` whose intermediates are recomputed in the backward pass instead of stored (``jax.checkpoint``).

    Args:
        policy: which intermediates may be saved (``portax.checkpoint_policies``); None recomputes everything.
            A backend without the ``checkpoint_policy`` capability accepts only None, ``nothing_saveable`` and
            ``everything_saveable`` (the values are the same either way; only memory differs).
    """
    nums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    def build(backend: Backend) -> Any:
        primitives = backend.transforms
        assert primitives is not None
        if (
            policy is not None
            and "checkpoint_policy" not in backend.capabilities
            and not (
                isinstance(policy, CheckpointPolicy) and policy.name in ("nothing_saveable", "everything_saveable")
            )
        ):
            raise UnsupportedError(backend.name, f"checkpoint(policy={policy!r})", "use policy=None (recompute all)")
        return primitives.checkpoint(fun, policy, nums, prevent_cse)

    natives = _PerBackend(build)

    @functools.wraps(fun)
    def remat_fun(*args: Any, **kwargs: Any) -> Any:
        backend = _backend_for((args, kwargs))
        _transforms(backend, "checkpoint", "portax.checkpoint")
        # The backend current while fun runs, so that arrays created inside are its arrays (as under grad, vmap).
        return _run(backend, natives.get(backend, backend), *_to_arrays(backend, args), **kwargs)

    return remat_fun


remat = checkpoint


# -- shapes and devices --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ShapeDtypeStruct:
    """An array's shape and dtype without data (``jax.ShapeDtypeStruct``); accepted by :func:`eval_shape`."""

    shape: tuple[int, ...]
    dtype: Any

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        size = 1
        for dim in self.shape:
            size *= dim
        return size


def eval_shape(fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The shapes and dtypes ``fun(*args, **kwargs)`` would return, as ``ShapeDtypeStruct`` leaves, computing nothing.

    Arguments may be arrays or ``ShapeDtypeStruct`` (or anything with ``shape`` and ``dtype``).
    """
    backend = _backend_for((args, kwargs))
    primitives = _transforms(backend, "eval_shape", "portax.eval_shape")
    return _run(backend, primitives.eval_shape, fun, args, kwargs)


def _backend_by_name(backend: str | Backend | None) -> Backend:
    return registry.get_backend(backend)


def devices(backend: str | Backend | None = None) -> list[Any]:
    """The devices of ``backend`` (default: the current backend), default device first (``jax.devices``)."""
    return list(_backend_by_name(backend).devices())


def device_count(backend: str | Backend | None = None) -> int:
    """Number of devices of ``backend`` (``jax.device_count``)."""
    return _backend_by_name(backend).device_count()


def local_device_count(backend: str | Backend | None = None) -> int:
    """Number of devices of ``backend`` attached to this process (``jax.local_device_count``)."""
    return len(_backend_by_name(backend).local_devices())


def device_put(x: Any, device: Any = None) -> Any:
    """``x`` (a pytree) as arrays on ``device`` (default: the default device) (``jax.device_put``).

    Python scalars and NumPy arrays become arrays of the current backend. ``device`` may be a sharding
    (``portax.sharding.NamedSharding``, or a ``PartitionSpec`` under ``portax.set_mesh``): JAX splits the array over
    the mesh; a backend whose process holds every shard (torch on virtual devices) keeps it whole.
    """
    backend = _backend_for(x)
    primitives = backend.transforms
    if primitives is None:
        raise UnsupportedError(backend.name, "portax.device_put")
    # A sharding exists only once portax's sharding module is loaded: read it from sys.modules (no import circle).
    sharding = sys.modules.get("portax._src.sharding")
    if sharding is not None and sharding.is_sharding(device):
        # JAX places the shards; a backend whose one process holds every shard keeps the array on its device
        device = sharding.to_jax(sharding._bind_mesh(device)) if backend.name == "jax" else None
    return tree.map(
        lambda leaf: primitives.device_put(_to_arrays(backend, leaf) if _is_array_like(leaf) else leaf, device), x
    )


def block_until_ready(x: Any) -> Any:
    """Wait until every array in pytree ``x`` is computed; return ``x`` (``jax.block_until_ready``)."""

    def wait(leaf: Any) -> Any:
        backend = registry.backend_of(leaf)
        if backend is None or backend.transforms is None:
            return leaf
        return backend.transforms.block_until_ready(leaf)

    tree.map(wait, x)
    return x


__all__ = [
    "CheckpointPolicy",
    "ShapeDtypeStruct",
    "block_until_ready",
    "checkpoint",
    "checkpoint_policies",
    "custom_jvp",
    "custom_vjp",
    "device_count",
    "device_put",
    "devices",
    "disable_jit",
    "eval_shape",
    "grad",
    "hessian",
    "jacfwd",
    "jacobian",
    "jacrev",
    "jit",
    "jvp",
    "linearize",
    "local_device_count",
    "remat",
    "stop_gradient",
    "value_and_grad",
    "vjp",
    "vmap",
]
