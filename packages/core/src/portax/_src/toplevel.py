"""The rest of ``jax``'s top-level names: profiler scopes, host callbacks, derivative helpers, device and
environment queries. Each has JAX's semantics on every backend; a backend hook (``Backend.transforms``) supplies
the engine's own version where it has one (``jax.pure_callback``, ``torch.profiler.record_function``)."""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import platform
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from portax._src import registry, tree as tree_util
from portax._src.debug import device_get
from portax._src.errors import UnsupportedError
from portax._src.transforms import ShapeDtypeStruct, _backend_by_name, _backend_for, custom_vjp, jit, vjp


@contextlib.contextmanager
def named_scope(name: str) -> Iterator[None]:
    """Name the operations run inside the block in the engine's profiles (``jax.named_scope``).

    On JAX the name goes into the HLO metadata; on torch it is a ``torch.profiler.record_function`` range.

    Raises:
        TypeError: ``name`` is not a string.

    Example:
        >>> import portax.numpy as jnp
        >>> with named_scope("layer1"):
        ...     y = jnp.sin(jnp.ones(2))
    """
    if not isinstance(name, str):
        raise TypeError(f"named_scope name argument must be a string, got {type(name).__name__}")
    with registry.current_backend().transforms.named_scope(name):
        yield


def named_call(fun: Callable[..., Any], *, name: str | None = None) -> Callable[..., Any]:
    """``fun`` running inside :func:`named_scope` of ``name`` (default ``fun.__name__``) (``jax.named_call``)."""
    scope = name if name is not None else getattr(fun, "__name__", "named_call")

    @functools.wraps(fun)
    def named(*args: Any, **kwargs: Any) -> Any:
        with named_scope(scope):
            return fun(*args, **kwargs)

    return named


@contextlib.contextmanager
def ensure_compile_time_eval() -> Iterator[None]:
    """Evaluate operations on concrete values eagerly while a function is traced (``jax.ensure_compile_time_eval``).

    On torch, whose compiler folds values that do not depend on the inputs by itself, the block runs unchanged.
    """
    with registry.current_backend().transforms.ensure_compile_time_eval():
        yield


def default_backend() -> str:
    """The platform of the current backend's default device: ``"cpu"``, ``"gpu"`` or ``"tpu"`` (``jax.default_backend``)."""
    return _platform(registry.current_backend().devices()[0])


def _platform(device: Any) -> str:
    platform_name = getattr(device, "platform", None)
    if platform_name is not None:
        return str(platform_name)
    kind = str(getattr(device, "type", device))
    return {"cuda": "gpu", "xpu": "gpu"}.get(kind, kind)


def local_devices(process_index: int | None = None, backend: str | Any = None, host_id: int | None = None) -> list:
    """The devices attached to this process (``jax.local_devices``); :func:`portax.devices` lists every process's
    after ``portax.distributed.initialize``.

    Raises:
        ValueError: ``process_index`` names another process.
    """
    from portax._src.distributed import process_index as current_process

    wanted = process_index if process_index is not None else host_id
    if wanted is not None and wanted != current_process():
        raise ValueError(f"local_devices: process {wanted} is not this process ({current_process()})")
    return list(_backend_by_name(backend).local_devices())


def pure_callback(
    callback: Callable[..., Any],
    result_shape_dtypes: Any,
    *args: Any,
    sharding: Any = None,
    vmap_method: str | None = None,
    **kwargs: Any,
) -> Any:
    """Call the host function ``callback`` on NumPy values and return its result as arrays (``jax.pure_callback``).

    Args:
        callback: a pure Python function of NumPy arrays.
        result_shape_dtypes: a pytree of objects with ``shape`` and ``dtype`` (``ShapeDtypeStruct``) describing the
            result.
        *args, **kwargs: arrays (pytrees) passed to ``callback`` as NumPy arrays.
        sharding: unused (single device).
        vmap_method: how JAX batches it under ``vmap`` (``"sequential"``, ``"expand_dims"``, ``"broadcast_all"``).

    Returns:
        The result, as arrays of the shapes and dtypes declared.

    Raises:
        TypeError: the callback's result does not match ``result_shape_dtypes``.
        UnsupportedError: on torch, inside ``grad``/``vmap`` (JAX needs ``vmap_method`` there and cannot
            differentiate it either).

    Example:
        >>> import numpy as np, portax.numpy as jnp
        >>> x = jnp.arange(3.0)
        >>> pure_callback(np.cumsum, ShapeDtypeStruct((3,), x.dtype), x).tolist()
        [0.0, 1.0, 3.0]
    """
    backend = _backend_for((args, kwargs))
    native = backend.transforms.pure_callback(callback, result_shape_dtypes, args, kwargs, vmap_method)
    if native is not NotImplemented:
        return native
    try:
        host_args, host_kwargs = device_get((args, kwargs))
    except (RuntimeError, TypeError) as error:  # a transformation's wrapped tensor has no host copy
        raise UnsupportedError(
            backend.name,
            "pure_callback inside grad/vmap",
            "call it outside the transformation (JAX cannot differentiate it either)",
        ) from error
    result = callback(*host_args, **host_kwargs)
    return _as_declared(backend, result, result_shape_dtypes)


def _as_declared(backend: Any, result: Any, result_shape_dtypes: Any) -> Any:
    import portax.numpy as pnp

    declared, treedef = tree_util.flatten(result_shape_dtypes)
    got = treedef.flatten_up_to(result) if declared else tree_util.leaves(result)
    if len(got) != len(declared):
        raise TypeError(f"pure_callback: the callback returned {result!r}, expected the structure {treedef}")
    out = []
    with registry.use_backend(backend):
        for value, spec in zip(got, declared, strict=True):
            value = np.asarray(value)
            if tuple(value.shape) != tuple(spec.shape):
                raise TypeError(
                    f"pure_callback: the callback returned shape {value.shape}, declared {tuple(spec.shape)}"
                )
            out.append(pnp.asarray(value, dtype=spec.dtype))
    return tree_util.unflatten(treedef, out)


def custom_gradient(fun: Callable[..., Any]) -> Callable[..., Any]:
    """A function with its own gradient: ``fun(*args)`` returns ``(value, vjp_fn)`` (``jax.custom_gradient``).

    Built on :class:`portax.custom_vjp`. The primal function runs again in the backward pass to rebuild
    ``vjp_fn`` (JAX traces it once); side effects in ``fun`` happen twice under ``grad``.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> @custom_gradient
        ... def f(x):
        ...     return jnp.sin(x), lambda g: g * 2.0
        >>> float(portax.grad(f)(0.3))
        2.0
    """

    def primal(*args: Any) -> Any:
        return fun(*args)[0]

    def fwd(*args: Any) -> tuple[Any, Any]:
        return fun(*args)[0], args

    def bwd(args: Any, cotangent: Any) -> tuple[Any, ...]:
        cotangents = fun(*args)[1](cotangent)
        return cotangents if isinstance(cotangents, tuple) else (cotangents,)

    wrapped = custom_vjp(primal)
    wrapped.defvjp(fwd, bwd)
    return functools.wraps(fun)(lambda *args: wrapped(*args))


def linear_transpose(fun: Callable[..., Any], *primals: Any, reduce_axes: Sequence[Any] = ()) -> Callable[..., Any]:
    """The transpose of the linear function ``fun`` at inputs shaped like ``primals`` (``jax.linear_transpose``).

    Args:
        fun: a linear function.
        *primals: arrays or ``ShapeDtypeStruct``s giving the input shapes and dtypes (values are not used).
        reduce_axes: not supported (JAX deprecated it); must be empty.

    Returns:
        ``transposed(cotangent) -> tuple`` of one cotangent per primal.

    Example:
        >>> import portax.numpy as jnp
        >>> transposed = linear_transpose(lambda x: 2.0 * x, jnp.zeros(2))
        >>> transposed(jnp.ones(2))[0].tolist()
        [2.0, 2.0]
    """
    if reduce_axes:
        raise ValueError("linear_transpose: reduce_axes is not supported; leave it empty")
    import portax.numpy as pnp

    points = tree_util.map(lambda p: pnp.zeros(tuple(p.shape), p.dtype), primals)
    _, pullback = vjp(fun, *points)

    def transposed(*cotangents: Any) -> tuple[Any, ...]:
        cotangent = cotangents[0] if len(cotangents) == 1 else cotangents
        return tuple(pullback(cotangent))

    return transposed


def fwd_and_bwd(
    fun: Callable[..., Any], argnums: int | Sequence[int], has_aux: bool = False, jitted: bool = True
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The forward and backward passes of ``fun`` as two functions (``jax.fwd_and_bwd``).

    ``fwd(*args)`` is ``vjp`` of ``fun`` in the ``argnums`` arguments: ``(out, pullback)``, ``(out, pullback, aux)``
    with ``has_aux``. ``bwd(pullback, cotangent)`` gives the cotangents of those arguments (one array when
    ``argnums`` is an int). With ``jitted``, ``fun`` and ``bwd`` are compiled once each: ``fwd`` is the ``vjp`` of
    the jitted ``fun`` (JAX jits ``fwd`` itself; torch's compiler cannot return a pullback), so the values are JAX's.

    Example:
        >>> import portax.numpy as jnp
        >>> fwd, bwd = fwd_and_bwd(lambda w, x: jnp.sum(w * x), argnums=0)
        >>> out, pullback = fwd(jnp.ones(2), jnp.arange(2.0))
        >>> bwd(pullback, jnp.ones(())).tolist()
        [0.0, 1.0]
    """
    numbers = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    forward = jit(fun) if jitted else fun

    def fwd(*args: Any) -> Any:
        def of_differentiated(*chosen: Any) -> Any:
            full = list(args)
            for number, value in zip(numbers, chosen, strict=True):
                full[number] = value
            return forward(*full)

        return vjp(of_differentiated, *(args[number] for number in numbers), has_aux=has_aux)

    def bwd(pullback: Callable[..., Any], cotangent: Any) -> Any:
        cotangents = pullback(cotangent)
        return cotangents[0] if isinstance(argnums, int) else cotangents

    return fwd, (jit(bwd) if jitted else bwd)


def typeof(x: Any) -> ShapeDtypeStruct:
    """The abstract value of ``x``: its shape and dtype (``jax.typeof``; JAX returns a ``ShapedArray``)."""
    import portax.numpy as pnp

    value = x if hasattr(x, "shape") and hasattr(x, "dtype") else pnp.asarray(x)
    return ShapeDtypeStruct(tuple(value.shape), value.dtype)


def clear_caches() -> None:
    """Drop the compilation caches of every loaded backend (``jax.clear_caches``); the next calls compile again."""
    for backend in registry.loaded_backends():
        backend.transforms.clear_caches()


def print_environment_info(return_string: bool = False) -> str | None:
    """Print (or return) the versions of portax, its backends and their engines (``jax.print_environment_info``)."""

    def version(distribution: str) -> str:
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    lines = [
        f"portax:  {version('portax')}",
        *(f"backend {name}: installed" for name in registry.backends()),
        f"jax:     {version('jax')}",
        f"torch:   {version('torch')}",
        f"numpy:   {np.__version__}",
        f"python:  {sys.version.split()[0]}",
        f"platform: {platform.platform()}",
    ]
    text = "\n".join(lines)
    if return_string:
        return text
    print(text)
    return None
