"""The transformation primitives on JAX: ``jax.*`` directly; portax only translates errors to ``portax.errors``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import jax
from portax import ShapeDtypeStruct
from portax.backend import JAX_ERROR_NAMES, CheckpointPolicy, Transforms
from portax.errors import ConcretizationError

CONCRETIZATION_HINT = (
    "a Python `if`/`while`/`bool()`/`int()` used the value of a traced array inside a transformation; use "
    "portax.lax.cond / portax.numpy.where for data-dependent choices, or mark the argument static "
    "(jit(static_argnums=...))"
)


def translating_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` raising ``portax.errors``' class of the same name where JAX raises ``ConcretizationTypeError``,
    ``TracerBoolConversionError``, ... (``portax.errors.ConcretizationError`` is ``ConcretizationTypeError``)."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except _JAX_ERRORS as e:
            raise _portax_error(e) from e

    return call


# JAX's error classes that portax.errors has by name (TracerBoolConversionError, ...); each is re-raised as the
# portax class of the same name, so `except portax.errors.<name>` catches what JAX raised.
_JAX_ERRORS = tuple(getattr(jax.errors, name) for name in JAX_ERROR_NAMES if hasattr(jax.errors, name))


def _portax_error(error: Exception) -> Exception:
    portax_class = next(JAX_ERROR_NAMES[c.__name__] for c in type(error).__mro__ if c.__name__ in JAX_ERROR_NAMES)
    said = str(error).splitlines()[0] if str(error) else type(error).__name__
    if issubclass(portax_class, ConcretizationError):
        return portax_class(f"{CONCRETIZATION_HINT}. JAX said: {said}")
    return portax_class(f"JAX said: {said}")


def _jax_struct(leaf: Any) -> Any:
    if isinstance(leaf, ShapeDtypeStruct):
        return jax.ShapeDtypeStruct(leaf.shape, leaf.dtype)
    return leaf


class JaxTransforms(Transforms):
    """``jax.grad``, ``jax.vmap``, ``jax.jit``, ... with JAX's own semantics."""

    def value_and_grad(self, fun: Any, argnums: Any, has_aux: bool, **options: Any) -> Any:
        return translating_errors(jax.value_and_grad(fun, argnums, has_aux=has_aux, **options))

    def grad(self, fun: Any, argnums: Any, has_aux: bool, **options: Any) -> Any:
        return translating_errors(jax.grad(fun, argnums, has_aux=has_aux, **options))

    def jacfwd(self, fun: Any, argnums: Any, has_aux: bool) -> Any:
        return translating_errors(jax.jacfwd(fun, argnums, has_aux=has_aux))

    def jacrev(self, fun: Any, argnums: Any, has_aux: bool) -> Any:
        return translating_errors(jax.jacrev(fun, argnums, has_aux=has_aux))

    def hessian(self, fun: Any, argnums: Any, has_aux: bool) -> Any:
        return translating_errors(jax.hessian(fun, argnums, has_aux=has_aux))

    def jvp(self, fun: Any, primals: tuple, tangents: tuple, has_aux: bool) -> Any:
        return translating_errors(jax.jvp)(fun, primals, tangents, has_aux=has_aux)

    def vjp(self, fun: Any, primals: tuple, has_aux: bool) -> Any:
        return translating_errors(jax.vjp)(fun, *primals, has_aux=has_aux)

    def linearize(self, fun: Any, primals: tuple) -> Any:
        return jax.linearize(fun, *primals)

    def stop_gradient(self, x: Any) -> Any:
        return jax.lax.stop_gradient(x)

    def vmap(self, fun: Any, in_axes: Any, out_axes: Any, axis_name: Any, axis_size: int | None) -> Any:
        return translating_errors(jax.vmap(fun, in_axes, out_axes, axis_name=axis_name, axis_size=axis_size))

    def jit(
        self,
        fun: Any,
        static_argnums: tuple[int, ...],
        static_argnames: tuple[str, ...],
        donate_argnums: tuple[int, ...],
        options: Mapping[str, Any],
    ) -> Any:
        # Errors are translated inside the traced function (ConcretizationTypeError is raised while tracing), so
        # the compiled function is jax.jit's own object and a call costs what jax.jit's C++ fast path costs.
        return jax.jit(
            translating_errors(fun),
            static_argnums=static_argnums,
            static_argnames=static_argnames,
            donate_argnums=donate_argnums,
            **options,
        )

    def disable_jit(self) -> Any:
        return jax.disable_jit()

    def custom_vjp(self, fun: Any, fwd: Any, bwd: Any, nondiff_argnums: tuple[int, ...]) -> Any:
        custom = jax.custom_vjp(fun, nondiff_argnums=nondiff_argnums)
        custom.defvjp(fwd, bwd)
        return custom

    def custom_jvp(self, fun: Any, jvp: Any, nondiff_argnums: tuple[int, ...]) -> Any:
        custom = jax.custom_jvp(fun, nondiff_argnums=nondiff_argnums)
        custom.defjvp(jvp)
        return custom

    def checkpoint(self, fun: Any, policy: Any, static_argnums: tuple[int, ...], prevent_cse: bool) -> Any:
        if isinstance(policy, CheckpointPolicy):
            policy = getattr(jax.checkpoint_policies, policy.name)
        return jax.checkpoint(fun, prevent_cse=prevent_cse, policy=policy, static_argnums=static_argnums)

    def eval_shape(self, fun: Any, args: tuple, kwargs: dict) -> Any:
        args, kwargs = jax.tree_util.tree_map(_jax_struct, (args, kwargs))
        return jax.eval_shape(fun, *args, **kwargs)

    def device_put(self, x: Any, device: Any) -> Any:
        return jax.device_put(x, device)

    def named_scope(self, name: str) -> Any:
        return jax.named_scope(name)

    def ensure_compile_time_eval(self) -> Any:
        return jax.ensure_compile_time_eval()

    def pure_callback(self, callback: Any, result_shape_dtypes: Any, args: tuple, kwargs: dict,
                      vmap_method: str | None) -> Any:
        shapes = jax.tree.map(_jax_struct, result_shape_dtypes)
        return jax.pure_callback(callback, shapes, *args, vmap_method=vmap_method, **kwargs)

    def clear_caches(self) -> None:
        jax.clear_caches()

    def block_until_ready(self, x: Any) -> Any:
        return jax.block_until_ready(x)

    def register_pytree_node(self, nodetype: type, flatten: Any, unflatten: Any) -> None:
        jax.tree_util.register_pytree_node(nodetype, flatten, unflatten)
