"""Named-axis collectives (``jax.lax.psum`` and friends) and ``pmap``, executed by the backend's ``parallel`` module.

A collective reduces or exchanges values across the instances of a named mapped axis: an ``axis_name`` given to
``portax.vmap`` or ``portax.pmap`` (a tuple of names acts on several axes at once, as in JAX). The fronts here check
arguments, pick the backend from the operand (else the current one, which is the executing backend inside a
transformation), check its declared capability and call its primitive. ``pmap`` checks the mapped size against the
devices before any work, raising the same ``ValueError`` on every backend.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from portax._src import registry, tree
from portax._src.backend import Backend
from portax._src.errors import UnsupportedError
from portax._src.transforms import (
    _backend_for,
    _backend_of_plain_arrays,
    _is_array_like,
    _mapped_size,
    _run,
    _to_arrays,
)

AxisName = Hashable


def _parallel(backend: Backend, capability: str, feature: str) -> Any:
    module = backend.parallel
    if module is None or capability not in backend.capabilities:
        raise UnsupportedError(backend.name, feature, "run it on a backend that declares it (portax.use_backend)")
    return module


def _check_axis_name(axis_name: Any, what: str) -> tuple[Hashable, ...]:
    names = axis_name if isinstance(axis_name, (tuple, list)) else (axis_name,)
    if not names or any(name is None for name in names):
        raise TypeError(f"{what}: axis_name must be a name (or tuple of names) of a mapped axis, got {axis_name!r}")
    for name in names:
        try:
            hash(name)
        except TypeError:
            raise TypeError(f"{what}: axis names must be hashable, got {name!r}") from None
    return tuple(names)


def _leafwise(op: str, x: Any, axis_name: Any, **params: Any) -> Any:
    names = _check_axis_name(axis_name, f"portax.lax.{op}")
    backend = _backend_for(x)
    parallel = _parallel(backend, "collectives", f"portax.lax.{op}")
    primitive = getattr(parallel, op)
    name_arg = names if isinstance(axis_name, (tuple, list)) else names[0]

    def one(leaf: Any) -> Any:
        if _is_array_like(leaf):
            leaf = _to_arrays(backend, leaf)
        return primitive(leaf, name_arg, **params)

    arrays = backend.array_types
    if isinstance(x, arrays):  # the common cases first: an array, a plain tuple of arrays (gradients)
        return primitive(x, name_arg, **params)
    if type(x) is tuple and all(isinstance(leaf, arrays) for leaf in x):
        return tuple(primitive(leaf, name_arg, **params) for leaf in x)
    return tree.map(one, x)


def psum(x: Any, axis_name: AxisName | Sequence[AxisName]) -> Any:
    """The sum of ``x`` (a pytree) over the instances of the named axis (``jax.lax.psum``).

    Every instance gets the same result; ``psum(1, name)`` is the axis size. Differentiable: the transpose of
    ``psum`` is ``psum`` (JAX's rule), so ``vmap(grad(lambda x: psum(x, 'i')), axis_name='i')`` gives the size.

    Raises:
        NameError: ``axis_name`` is not bound by an enclosing ``vmap``/``pmap``.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> portax.vmap(lambda x: portax.lax.psum(x, "i"), axis_name="i")(jnp.arange(3.0)).tolist()
        [3.0, 3.0, 3.0]
    """
    return _leafwise("psum", x, axis_name)


def pmean(x: Any, axis_name: AxisName | Sequence[AxisName]) -> Any:
    """The mean of ``x`` (a pytree) over the named axis (``jax.lax.pmean``); e.g. averaging gradients in ``pmap``."""
    return _leafwise("pmean", x, axis_name)


def pmax(x: Any, axis_name: AxisName | Sequence[AxisName]) -> Any:
    """The maximum of ``x`` (a pytree) over the named axis (``jax.lax.pmax``); not differentiable, as in JAX."""
    return _leafwise("pmax", x, axis_name)


def pmin(x: Any, axis_name: AxisName | Sequence[AxisName]) -> Any:
    """The minimum of ``x`` (a pytree) over the named axis (``jax.lax.pmin``); not differentiable, as in JAX."""
    return _leafwise("pmin", x, axis_name)


def all_gather(x: Any, axis_name: AxisName | Sequence[AxisName], *, axis: int = 0, tiled: bool = False) -> Any:
    """Every instance's ``x`` stacked along a new axis ``axis`` (``jax.lax.all_gather``).

    With ``tiled=True`` they are concatenated along the existing ``axis`` instead.
    """
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise TypeError(f"portax.lax.all_gather: axis must be an int, got {axis!r}")
    return _leafwise("all_gather", x, axis_name, axis=axis, tiled=bool(tiled))


def ppermute(x: Any, axis_name: AxisName | Sequence[AxisName], perm: Sequence[tuple[int, int]]) -> Any:
    """Send ``x`` from instance ``source`` to instance ``dest`` for each ``(source, dest)`` in ``perm``
    (``jax.lax.ppermute``); instances that receive nothing get zeros.

    Raises:
        ValueError: ``perm`` sends from or to one instance twice.
    """
    pairs = tuple((int(s), int(d)) for s, d in perm)
    sources = [s for s, _ in pairs]
    dests = [d for _, d in pairs]
    if len(set(sources)) != len(sources) or len(set(dests)) != len(dests):
        raise ValueError(f"ppermute sources and destinations must be unique, got {list(pairs)}")
    return _leafwise("ppermute", x, axis_name, perm=pairs)


def psum_scatter(
    x: Any, axis_name: AxisName | Sequence[AxisName], *, scatter_dimension: int = 0, tiled: bool = False
) -> Any:
    """``psum`` whose result is split along ``scatter_dimension``, instance ``i`` keeping block ``i``
    (``jax.lax.psum_scatter``). Without ``tiled`` that dimension's size must equal the axis size and is removed."""
    return _leafwise("psum_scatter", x, axis_name, scatter_dimension=int(scatter_dimension), tiled=bool(tiled))


def all_to_all(
    x: Any,
    axis_name: AxisName | Sequence[AxisName],
    split_axis: int,
    concat_axis: int,
    *,
    axis_index_groups: Any = None,
    tiled: bool = False,
) -> Any:
    """Instance ``i`` receives block ``i`` of every instance's ``split_axis``, stacked along ``concat_axis`` in
    instance order (``jax.lax.all_to_all``).

    Without ``tiled``, ``x.shape[split_axis]`` must equal the axis size: that dimension is removed and a new one of
    the axis size is inserted at ``concat_axis``. With ``tiled=True`` the split dimension is cut into axis-size
    blocks and the received blocks are concatenated along the existing ``concat_axis``. Its transpose is
    ``all_to_all`` with the two axes swapped, as in JAX.

    Raises:
        ValueError: the split dimension does not match (or divide by) the axis size.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> x = jnp.arange(4.0).reshape(2, 2)  # instance i holds row i
        >>> portax.vmap(lambda v: portax.lax.all_to_all(v, "i", 0, 0), axis_name="i")(x).tolist()
        [[0.0, 2.0], [1.0, 3.0]]
    """
    if axis_index_groups is not None:
        raise UnsupportedError("portax", "lax.all_to_all(axis_index_groups=...)", "leave axis_index_groups out")
    for name, value in (("split_axis", split_axis), ("concat_axis", concat_axis)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"portax.lax.all_to_all: {name} must be an int, got {value!r}")
    return _leafwise("all_to_all", x, axis_name, split_axis=split_axis, concat_axis=concat_axis, tiled=bool(tiled))


def axis_index(axis_name: AxisName | Sequence[AxisName]) -> Any:
    """This instance's index along the named axis, an int32 array (``jax.lax.axis_index``).

    For a tuple of names the index is row-major over those axes (the first name varies slowest).
    """
    names = _check_axis_name(axis_name, "portax.lax.axis_index")
    backend = registry.tracing_backend() or registry.current_backend()
    parallel = _parallel(backend, "collectives", "portax.lax.axis_index")
    return parallel.axis_index(names if isinstance(axis_name, (tuple, list)) else names[0])


# -- pmap ------------------------------------------------------------------------------------------------------------


def pmap(
    fun: Callable[..., Any],
    axis_name: AxisName | None = None,
    *,
    in_axes: Any = 0,
    out_axes: Any = 0,
    static_broadcasted_argnums: int | Sequence[int] = (),
    devices: Sequence[Any] | None = None,
    backend: str | None = None,
    axis_size: int | None = None,
    donate_argnums: int | Sequence[int] = (),
) -> Callable[..., Any]:
    """Run ``fun`` once per device, on slices of the arguments along ``in_axes`` (``jax.pmap``).

    On JAX this is ``jax.pmap``. On torch the per-device program runs as one vectorized program over the devices
    (``portax.vmap`` with the axis name), on the virtual CPU devices given by ``PORTAX_VIRTUAL_DEVICES=N``; the
    results are the same as JAX's.

    Args:
        fun: the per-device function; collectives over ``axis_name`` combine the devices' values.
        axis_name: the name of the mapped axis, for ``portax.lax.psum`` and friends.
        in_axes, out_axes: as in ``vmap`` (the mapped size must fit the device count).
        static_broadcasted_argnums: positional arguments passed unmapped as Python values (hashable).
        devices: the devices to use (default: all of them, in order).

    Raises:
        ValueError: (when called) the mapped size is larger than the number of devices.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> n = portax.local_device_count()
        >>> tuple(portax.pmap(jnp.sin)(jnp.zeros((n, 3))).shape) == (n, 3)
        True
    """
    if backend is not None:
        raise UnsupportedError("portax", "pmap(backend=...)", "select the engine with portax.use_backend instead")
    if axis_size is not None:
        raise UnsupportedError("portax", "pmap(axis_size=...)", "map an argument instead")
    static = (
        (static_broadcasted_argnums,)
        if isinstance(static_broadcasted_argnums, int)
        else tuple(static_broadcasted_argnums)
    )
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)
    natives: dict[Any, Any] = {}
    checked: dict[Any, int] = {}  # (backend, static positions, argument shapes) -> mapped size, checks passed

    @functools.wraps(fun)
    def pmapped(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError(
                f"pmap: keyword arguments are not mapped ({sorted(kwargs)}); pass them positionally, or bind "
                "them with functools.partial and mark them static_broadcasted_argnums"
            )
        positions = tuple(n % len(args) for n in static if -len(args) <= n < len(args)) if static else ()
        dynamic = tuple(a for i, a in enumerate(args) if i not in positions) if positions else args
        plain = _backend_of_plain_arrays(dynamic)  # every mapped argument an array of one backend: the hot path
        chosen = plain if plain is not None else _backend_for(dynamic)
        parallel = _parallel(chosen, "pmap", "portax.pmap")
        # the checks below depend only on the arguments' shapes: done once per (static positions, shapes)
        shapes = (chosen, positions, *(a.shape for a in dynamic)) if plain is not None else None
        size = checked.get(shapes) if shapes is not None else None
        if size is not None:
            return _run(chosen, natives[(chosen, len(args), positions)], *args)
        if isinstance(in_axes, tuple):
            if len(in_axes) != len(args):
                raise ValueError(
                    f"pmap in_axes must be an int, None, or a tuple with one entry per positional argument; got "
                    f"{len(in_axes)} entries for {len(args)} arguments"
                )
            dynamic_axes: Any = tuple(a for i, a in enumerate(in_axes) if i not in positions)
        else:
            dynamic_axes = in_axes
        size = _mapped_size(fun, dynamic, dynamic_axes, None)
        if size is None:  # jax.pmap's own error for the same call
            raise ValueError("pmap requires at least one argument with a mapped axis (in_axes all None)")
        available = devices if devices is not None else chosen.local_devices()
        if size > len(available):
            raise ValueError(
                f"compiling computation that requires {size} logical devices, but only {len(available)} devices "
                f"are available (pmap's mapped axis has size {size}); map over at most {len(available)} entries, "
                "or set PORTAX_VIRTUAL_DEVICES (before the engine is imported) for more virtual CPU devices"
            )
        if not chosen.accepts_array_likes:
            dynamic = tuple(tree.map(lambda leaf: _to_arrays(chosen, leaf) if _is_array_like(leaf) else leaf, dynamic))
        key = (chosen, len(args), positions)
        native = natives.get(key)
        if native is None:
            native = parallel.pmap(
                fun, axis_name, in_axes, out_axes, positions, tuple(devices) if devices is not None else None
            )
            if registry.tracing_backend() is None:  # an engine compiler tracing this cannot store new functions
                natives[key] = native
        if shapes is not None and key in natives and registry.tracing_backend() is None:
            checked[shapes] = size
        merged = iter(dynamic)
        full = tuple(args[i] if i in positions else next(merged) for i in range(len(args)))
        return _run(chosen, native, *full)

    return pmapped


__all__ = [
    "all_gather",
    "all_to_all",
    "axis_index",
    "pmap",
    "pmax",
    "pmean",
    "pmin",
    "ppermute",
    "psum",
    "psum_scatter",
]
