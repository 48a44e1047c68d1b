"""``portax.numpy.vectorize``: NumPy's generalized-ufunc ``vectorize`` built on ``portax.vmap``, once for all backends.

A port of ``jax/_src/numpy/vectorize.py`` (JAX 0.10): the same signature parsing, error messages and broadcasting
(size-1 loop dimensions are squeezed and not mapped, then re-expanded), over ``portax.vmap`` and ``portax.numpy``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

_DIMENSION_NAME = r"\w+"
_CORE_DIMENSION_LIST = f"(?:{_DIMENSION_NAME}(?:,{_DIMENSION_NAME})*)?"
_ARGUMENT = rf"\({_CORE_DIMENSION_LIST}\)"
_ARGUMENT_LIST = f"{_ARGUMENT}(?:,{_ARGUMENT})*"
_SIGNATURE = f"^{_ARGUMENT_LIST}->{_ARGUMENT_LIST}$"

CoreDims = tuple[str, ...]


def _parse_gufunc_signature(signature: str) -> tuple[list[CoreDims], list[CoreDims]]:
    if not re.match(_SIGNATURE, signature):
        raise ValueError(f"not a valid gufunc signature: {signature}")
    args, retvals = (
        [tuple(re.findall(_DIMENSION_NAME, arg)) for arg in re.findall(_ARGUMENT, arg_list)]
        for arg_list in signature.split("->")
    )
    return args, retvals


def _update_dim_sizes(dim_sizes: dict[str, int], shape: tuple[int, ...], core_dims: CoreDims, error_context: str,
                      *, is_input: bool) -> None:  # fmt: skip
    num_core_dims = len(core_dims)
    if is_input and len(shape) < num_core_dims:
        raise ValueError(
            f"input with shape {shape!r} does not have enough dimensions for all core dimensions {core_dims!r} "
            f"{error_context}"
        )
    if not is_input and len(shape) != num_core_dims:
        raise ValueError(f"output shape {shape!r} does not match core dimensions {core_dims!r} {error_context}")
    core_shape = shape[-num_core_dims:] if core_dims else ()
    for dim, size in zip(core_dims, core_shape, strict=True):
        if dim not in dim_sizes:
            dim_sizes[dim] = size
        elif size != dim_sizes[dim]:
            raise ValueError(
                f"inconsistent size for core dimension {dim!r}: {size!r} vs {dim_sizes[dim]!r} {error_context}"
            )


def _check_output_dims(func: Callable, dim_sizes: dict[str, int], expected: list[CoreDims],
                       error_context: str) -> Callable:  # fmt: skip
    def wrapped(*args: Any) -> Any:
        out = func(*args)
        outs = out if isinstance(out, tuple) else [out]
        if len(expected) > 1 and not isinstance(out, tuple):
            raise TypeError(f"output must be a tuple when multiple outputs are expected, got: {out!r}\n{error_context}")
        if len(outs) != len(expected):
            raise TypeError(
                f"wrong number of output arguments: expected {len(expected)!r}, got {len(outs)!r} {error_context}"
            )
        sizes = dict(dim_sizes)
        for value, core_dims in zip(outs, expected, strict=True):
            _update_dim_sizes(sizes, tuple(getattr(value, "shape", ())), core_dims, error_context, is_input=False)
        return out

    return wrapped


def _apply_excluded(func: Callable, excluded: Collection[int | str], args: Sequence[Any],
                    kwargs: dict[str, Any]) -> tuple[Callable, Sequence[Any], dict[str, Any]]:  # fmt: skip
    if not excluded:
        return func, args, kwargs
    dynamic_args = [arg for i, arg in enumerate(args) if i not in excluded]
    dynamic_kwargs = {key: val for key, val in kwargs.items() if key not in excluded}
    static_args = [(i, args[i]) for i in sorted(e for e in excluded if isinstance(e, int)) if i < len(args)]
    static_kwargs = {key: val for key, val in kwargs.items() if key in excluded}

    def new_func(*args: Any, **kwargs: Any) -> Any:
        args_list = list(args)
        for i, arg in static_args:
            args_list.insert(i, arg)
        return func(*args_list, **kwargs, **static_kwargs)

    return new_func, dynamic_args, dynamic_kwargs


def vectorize(pyfunc: Callable, *, excluded: Collection[int | str] = frozenset(),
              signature: str | None = None) -> Callable:  # fmt: skip
    """``pyfunc`` mapped over the leading (loop) dimensions of its arguments with ``portax.vmap``.

    Args:
        pyfunc: a function of arrays (scalars, or core dimensions named by ``signature``).
        excluded: positions or keyword names of arguments passed through unmapped.
        signature: a generalized-ufunc signature such as ``"(n),(n)->()"``.
    Returns:
        The vectorized function (broadcasts loop dimensions as NumPy does).

    Example:
        >>> import portax.numpy as jnp
        >>> dot = jnp.vectorize(jnp.dot, signature="(n),(n)->()")
        >>> tuple(dot(jnp.ones((3, 2)), jnp.ones(2)).shape)
        (3,)
    """
    from portax._src import transforms
    from portax._src.numpy import api as pnp

    if any(not isinstance(exclude, (str, int)) for exclude in excluded):
        raise TypeError(f"portax.numpy.vectorize can only exclude integer or string arguments, but excluded={excluded!r}")
    if any(isinstance(e, int) and e < 0 for e in excluded):
        raise ValueError(f"excluded={excluded!r} contains negative numbers")

    @functools.wraps(pyfunc)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        error_context = f"on vectorized function with excluded={excluded!r} and signature={signature!r}"
        excluded_func, args, kwargs = _apply_excluded(pyfunc, excluded, args, kwargs)
        if signature is not None:
            input_core_dims, output_core_dims = _parse_gufunc_signature(signature)
        else:
            input_core_dims, output_core_dims = [()] * len(args), None
        none_args = {i for i, arg in enumerate(args) if arg is None}
        if none_args:
            if any(input_core_dims[i] != () for i in none_args):
                raise ValueError(f"Cannot pass None at locations {none_args} with {signature=}")
            excluded_func, args, _ = _apply_excluded(excluded_func, none_args, args, {})
            input_core_dims = [dim for i, dim in enumerate(input_core_dims) if i not in none_args]
        args = tuple(pnp.asarray(a) for a in args)
        if len(args) != len(input_core_dims):
            raise TypeError(
                f"wrong number of positional arguments: expected {len(input_core_dims)!r}, got {len(args)!r} "
                f"{error_context}"
            )
        shapes, dim_sizes = [], {}
        for arg, core_dims in zip(args, input_core_dims, strict=True):
            _update_dim_sizes(dim_sizes, tuple(arg.shape), core_dims, error_context, is_input=True)
            shapes.append(tuple(arg.shape)[: arg.ndim - len(core_dims)])
        broadcast_shape = pnp.broadcast_shapes(*shapes) if shapes else ()
        checked_func = (excluded_func if output_core_dims is None
                        else _check_output_dims(excluded_func, dim_sizes, output_core_dims, error_context))  # fmt: skip
        squeezed_args, rev_filled_shapes = [], []
        for arg, core_dims in zip(args, input_core_dims, strict=True):
            noncore_shape = tuple(arg.shape)[: arg.ndim - len(core_dims)]
            filled_shape = (len(broadcast_shape) - len(noncore_shape)) * (1,) + noncore_shape
            rev_filled_shapes.append(filled_shape[::-1])
            squeeze_indices = tuple(i for i, size in enumerate(noncore_shape) if size == 1)
            squeezed_args.append(pnp.squeeze(arg, axis=squeeze_indices) if squeeze_indices else arg)
        vectorized_func = checked_func
        dims_to_expand = []
        for negdim, axis_sizes in enumerate(zip(*rev_filled_shapes, strict=True)):
            in_axes = tuple(None if size == 1 else 0 for size in axis_sizes)
            if all(axis is None for axis in in_axes):
                dims_to_expand.append(len(broadcast_shape) - 1 - negdim)
            else:
                vectorized_func = transforms.vmap(vectorized_func, in_axes)
        result = vectorized_func(*squeezed_args)
        if not dims_to_expand:
            return result
        if isinstance(result, tuple):
            return tuple(pnp.expand_dims(r, axis=tuple(dims_to_expand)) for r in result)
        return pnp.expand_dims(result, axis=tuple(dims_to_expand))

    return wrapped
