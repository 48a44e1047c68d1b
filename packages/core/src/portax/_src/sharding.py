"""Meshes, named shardings and ``shard_map`` (``jax.sharding``, ``jax.make_mesh``, ``jax.set_mesh``, ``jax.shard_map``).

portax's ``Mesh``/``NamedSharding``/``PartitionSpec`` are plain descriptions, the same on every backend. On JAX they
are translated to JAX's own objects at the boundary, so ``shard_map``, ``device_put`` and
``with_sharding_constraint`` are JAX's. A backend without a partitioner of its own (torch in one process, on the
virtual devices of ``PORTAX_VIRTUAL_DEVICES``) runs ``shard_map`` as the per-shard program vectorized over the mesh
axes: one ``portax.vmap`` per mesh axis, bound to the axis name, so every collective of ``portax.lax`` works over
mesh axis names and the results are JAX's (as ``pmap`` does on those devices). There, ``device_put`` to a sharding
and ``with_sharding_constraint`` keep the array whole: one process holds every shard.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
import functools
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from portax._src import registry, tree
from portax._src.errors import UnsupportedError

#: A mesh axis name, or a tuple of them (a dimension split over several mesh axes), or None (not split).
SpecEntry = Any


class PartitionSpec(tuple):
    """How each dimension of an array is split over mesh axes (``jax.sharding.PartitionSpec``, alias ``P``).

    ``P("data", None)``: dimension 0 split over mesh axis ``data``, dimension 1 whole; ``P(("x", "y"))``: dimension 0
    split over both axes; trailing dimensions not named are whole. ``P()`` is fully replicated.

    Example:
        >>> from portax.sharding import PartitionSpec as P
        >>> P("data", None)
        PartitionSpec('data', None)
    """

    def __new__(cls, *partitions: SpecEntry) -> PartitionSpec:
        for entry in partitions:
            names = entry if isinstance(entry, tuple) else (entry,)
            if not all(name is None or isinstance(name, str) for name in names):
                raise TypeError(f"PartitionSpec entries are mesh axis names, tuples of them or None; got {entry!r}")
        return super().__new__(cls, partitions)

    def __repr__(self) -> str:
        return f"PartitionSpec({', '.join(map(repr, self))})"

    def axis_names(self) -> tuple[str, ...]:
        """Every mesh axis this spec splits over, in order of appearance."""
        return tuple(name for entry in self for name in (entry if isinstance(entry, tuple) else (entry,)) if name)


P = PartitionSpec


class AxisType(enum.Enum):
    """How a mesh axis shards arrays (``jax.sharding.AxisType``), for ``make_mesh(..., axis_types=...)``.

    ``Auto``: the compiler chooses shardings; ``Explicit``: an array's sharding is part of its type; ``Manual``:
    inside ``shard_map``. On JAX each becomes JAX's own; other backends place and compute arrays alike for every type.

    Example:
        >>> import portax
        >>> mesh = portax.make_mesh((2,), ("i",), (portax.sharding.AxisType.Auto,))
        >>> mesh.axis_types
        (<AxisType.Auto: 1>,)
    """

    Auto = 1
    Explicit = 2
    Manual = 3


def _jax_axis_types(axis_types: Any) -> Any:
    """``axis_types`` with portax's :class:`AxisType` members as JAX's (JAX's own, and None, pass through)."""
    import jax

    if isinstance(axis_types, AxisType):
        return jax.sharding.AxisType[axis_types.name]
    if isinstance(axis_types, (tuple, list)):
        return tuple(jax.sharding.AxisType[t.name] if isinstance(t, AxisType) else t for t in axis_types)
    return axis_types


class Mesh:
    """An n-dimensional grid of devices with a name per axis (``jax.sharding.Mesh``).

    Args:
        devices: an array (or nested sequence) of one backend's devices, one dimension per axis name.
        axis_names: the axis names, one per dimension of ``devices``.
    """

    def __init__(self, devices: Any, axis_names: str | Sequence[str], axis_types: Any = None) -> None:
        names = (axis_names,) if isinstance(axis_names, str) else tuple(axis_names)
        grid = np.empty(np.shape(devices) if not isinstance(devices, np.ndarray) else devices.shape, dtype=object)
        grid[...] = devices if isinstance(devices, np.ndarray) else _nested(devices, grid.shape)
        if grid.ndim != len(names):
            raise ValueError(f"Mesh: {grid.ndim}-dimensional devices {grid.shape} but {len(names)} axis names {names}")
        if len(set(names)) != len(names):
            raise ValueError(f"Mesh: axis names must be unique, got {names}")
        self.devices = grid
        self.axis_names = names
        # plain ints, read while an engine compiler traces shard_map (which cannot trace NumPy object arrays)
        self._shape = dict(zip(names, (int(n) for n in grid.shape), strict=True))
        self._owners = tuple(int(getattr(d, "process_index", 0)) for d in grid.flat)
        self.axis_types = axis_types
        self._native: dict[Any, Any] = {}
        if len(set(self._owners)) > 1 and hasattr(getattr(_owner(self), "parallel", None), "process_groups"):
            _process_box(self)  # now, not while an engine compiler traces the first shard_map (it creates groups)

    @property
    def shape(self) -> dict[str, int]:
        """Axis name -> size, in mesh order."""
        return dict(self._shape)

    @property
    def size(self) -> int:
        return math.prod(self._shape.values())

    @property
    def device_ids(self) -> np.ndarray:
        return np.vectorize(lambda d: getattr(d, "id", 0), otypes=[int])(self.devices)

    def __enter__(self) -> Mesh:
        self._token = _current_mesh.set(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _current_mesh.reset(self._token)

    def __repr__(self) -> str:
        return f"Mesh({', '.join(f'{n!r}: {s}' for n, s in self.shape.items())})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Mesh)
            and self.axis_names == other.axis_names
            and self.devices.shape == other.devices.shape
            and all(a is b or a == b for a, b in zip(self.devices.flat, other.devices.flat, strict=True))
        )

    def __hash__(self) -> int:
        return hash((self.axis_names, self.devices.shape))


def _nested(devices: Any, shape: tuple[int, ...]) -> np.ndarray:
    flat = np.empty(math.prod(shape), dtype=object)
    flat[:] = list(np.asarray(devices, dtype=object).reshape(-1))
    return flat.reshape(shape)


class NamedSharding:
    """Arrays split over a mesh by a ``PartitionSpec`` (``jax.sharding.NamedSharding``)."""

    def __init__(self, mesh: Mesh, spec: PartitionSpec | Sequence[SpecEntry] = PartitionSpec()) -> None:
        if not isinstance(mesh, Mesh):
            raise TypeError(f"NamedSharding: expected a portax.sharding.Mesh, got {type(mesh).__name__}")
        spec = spec if isinstance(spec, PartitionSpec) else PartitionSpec(*spec)
        unknown = [name for name in spec.axis_names() if name not in mesh.axis_names]
        if unknown:
            raise ValueError(f"NamedSharding: spec {spec} names axes {unknown} not in the mesh {mesh.axis_names}")
        self.mesh = mesh
        self.spec = spec

    def __repr__(self) -> str:
        return f"NamedSharding(mesh={self.mesh!r}, spec={self.spec!r})"

    @property
    def device_set(self) -> set[Any]:
        """Every device of the mesh."""
        return set(self.mesh.devices.flat)

    @property
    def addressable_devices(self) -> set[Any]:
        """The devices of the mesh attached to this process."""
        return {d for d in self.mesh.devices.flat if _is_local(d)}

    @property
    def num_devices(self) -> int:
        return self.mesh.size

    @property
    def is_fully_addressable(self) -> bool:
        return all(_is_local(d) for d in self.mesh.devices.flat)

    @property
    def is_fully_replicated(self) -> bool:
        return all(self.mesh.shape[name] == 1 for name in self.spec.axis_names())

    def shard_shape(self, global_shape: Sequence[int]) -> tuple[int, ...]:
        """The shape of each shard of an array of ``global_shape``.

        Raises:
            ValueError: a dimension does not divide by the number of shards it is split into.
        """
        dims = _split_dims(self.spec, len(global_shape), self.mesh, "NamedSharding")
        shape = []
        for d, (length, names) in enumerate(zip(global_shape, dims, strict=True)):
            parts = math.prod(self.mesh.shape[n] for n in names)
            if length % parts:
                raise ValueError(
                    f"Sharding {self} implies that array axis {d} is partitioned {parts} times, but the dimension size "
                    f"is {length}; pick a shape whose dimension {d} divides by {parts}"
                )
            shape.append(length // parts)
        return tuple(shape)

    def devices_indices_map(self, global_shape: Sequence[int]) -> dict[Any, tuple[slice, ...]]:
        """Device -> the index (a tuple of slices) of its shard in an array of ``global_shape``, in mesh order."""
        shard = self.shard_shape(global_shape)
        dims = _split_dims(self.spec, len(global_shape), self.mesh, "NamedSharding")
        shape = tuple(self.mesh.shape.values())
        out = {}
        for flat, device in enumerate(self.mesh.devices.flat):
            coords = dict(zip(self.mesh.axis_names, _unravel(flat, shape), strict=True))
            index = []
            for names, size in zip(dims, shard, strict=True):
                if not names:
                    index.append(slice(None))
                    continue
                position = 0
                for name in names:  # row-major over the names splitting this dimension
                    position = position * self.mesh.shape[name] + coords[name]
                index.append(slice(position * size, (position + 1) * size))
            out[device] = tuple(index)
        return out

    def addressable_devices_indices_map(self, global_shape: Sequence[int]) -> dict[Any, tuple[slice, ...]]:
        """``devices_indices_map`` restricted to this process's devices."""
        return {d: i for d, i in self.devices_indices_map(global_shape).items() if _is_local(d)}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NamedSharding) and self.mesh == other.mesh and self.spec == other.spec

    def __hash__(self) -> int:
        return hash((self.mesh, self.spec))


class SingleDeviceSharding:
    """An array whole on one device (``jax.sharding.SingleDeviceSharding``)."""

    def __init__(self, device: Any) -> None:
        self.device = device

    def __repr__(self) -> str:
        return f"SingleDeviceSharding({self.device!r})"


_current_mesh: contextvars.ContextVar[Mesh | None] = contextvars.ContextVar("portax_mesh", default=None)


def make_mesh(
    axis_shapes: Sequence[int], axis_names: Sequence[str], axis_types: Any = None, *, devices: Sequence[Any] | None = None
) -> Mesh:
    """A mesh of the current backend's devices with the given axis sizes and names (``jax.make_mesh``).

    Raises:
        ValueError: the mesh needs more devices than there are (``PORTAX_VIRTUAL_DEVICES=N`` gives N on CPU).

    Example:
        >>> import portax
        >>> mesh = portax.make_mesh((2,), ("data",))
        >>> mesh.shape
        {'data': 2}
    """
    from portax._src.transforms import devices as all_devices

    shape = tuple(int(n) for n in axis_shapes)
    if len(shape) != len(tuple(axis_names)):
        raise ValueError(f"make_mesh: {len(shape)} axis sizes {shape} but axis names {tuple(axis_names)}")
    pool = list(devices) if devices is not None else all_devices()
    needed = math.prod(shape)
    if needed > len(pool):
        raise ValueError(
            f"make_mesh: a {shape} mesh needs {needed} devices, {len(pool)} available; on CPU set "
            f"PORTAX_VIRTUAL_DEVICES={needed} before the first use of the backend"
        )
    return Mesh(_nested(pool[:needed], shape), axis_names, axis_types)


@contextlib.contextmanager
def _mesh_context(mesh: Mesh | None, previous: contextvars.Token) -> Iterator[Mesh | None]:
    try:
        yield mesh
    finally:
        _current_mesh.reset(previous)


class _SetMesh:
    """What ``set_mesh`` returns: the mesh is set now, and a ``with`` block restores the previous one at its end."""

    def __init__(self, mesh: Mesh | None) -> None:
        self._token = _current_mesh.set(mesh)
        self.mesh = mesh

    def __enter__(self) -> Mesh | None:
        return self.mesh

    def __exit__(self, *exc: Any) -> None:
        _current_mesh.reset(self._token)


def set_mesh(mesh: Mesh | None) -> _SetMesh:
    """Make ``mesh`` the mesh of ``shard_map``/``P``-only shardings (``jax.set_mesh``); use it plainly or in ``with``."""
    if mesh is not None and not isinstance(mesh, Mesh):
        raise TypeError(f"set_mesh: expected a portax.sharding.Mesh or None, got {type(mesh).__name__}")
    return _SetMesh(mesh)


use_mesh = set_mesh


def get_mesh() -> Mesh | None:
    """The mesh set by ``set_mesh`` (or a ``with mesh:`` block), or None."""
    return _current_mesh.get()


# -- the JAX boundary -----------------------------------------------------------------------------------------------


def to_jax(value: Any) -> Any:
    """portax's sharding objects (also inside pytrees of specs) as JAX's; other values unchanged."""
    import jax

    if isinstance(value, Mesh):
        native = value._native.get("jax")
        if native is None:
            native = value._native["jax"] = jax.sharding.Mesh(
                value.devices, value.axis_names, _jax_axis_types(value.axis_types)
            )
        return native
    if isinstance(value, PartitionSpec):
        return jax.sharding.PartitionSpec(*value)
    if isinstance(value, NamedSharding):
        return jax.sharding.NamedSharding(to_jax(value.mesh), to_jax(value.spec))
    if isinstance(value, SingleDeviceSharding):
        return jax.sharding.SingleDeviceSharding(value.device)
    return value


def _specs_to_jax(specs: Any) -> Any:
    return tree.map(to_jax, specs, is_leaf=lambda s: s is None or isinstance(s, PartitionSpec))


def _owner(mesh: Mesh) -> Any:
    device = mesh.devices.flat[0]
    for backend in registry.loaded_backends():
        if any(d is device or d == device for d in backend.devices()):
            return backend
    return registry.current_backend()


# -- shard_map ------------------------------------------------------------------------------------------------------


def shard_map(
    f: Callable[..., Any] | None = None,
    /,
    *,
    out_specs: Any,
    in_specs: Any = None,
    mesh: Mesh | None = None,
    axis_names: Any = frozenset(),
    check_vma: bool = True,
) -> Any:
    """Run ``f`` once per shard of a mesh, on the local blocks of its arguments (``jax.shard_map``).

    Args:
        f: the per-shard function; ``portax.lax`` collectives over mesh axis names combine the shards.
        out_specs: a ``PartitionSpec`` (or pytree of them) saying how the per-shard outputs assemble; a mesh axis
            the spec does not name means the output is the same on every shard along it (JAX checks this with
            ``check_vma``; portax takes the first shard's value).
        in_specs: a ``PartitionSpec`` per positional argument (a pytree prefix of the arguments).
        mesh: the mesh (default: the one set by ``set_mesh``).

    Raises:
        ValueError: no mesh, or an argument's dimension does not divide by the mesh axes it is split over.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> from portax.sharding import PartitionSpec as P
        >>> mesh = portax.make_mesh((2,), ("i",))
        >>> total = portax.shard_map(lambda x: portax.lax.psum(x.sum(), "i"), mesh=mesh, in_specs=P("i"), out_specs=P())
        >>> float(total(jnp.arange(4.0)))
        6.0
    """
    if f is None:
        return lambda fun: shard_map(
            fun, out_specs=out_specs, in_specs=in_specs, mesh=mesh, axis_names=axis_names, check_vma=check_vma
        )
    if in_specs is None:
        raise TypeError("shard_map: pass in_specs (a PartitionSpec per positional argument); portax does not infer them")
    jax_natives: dict[int, tuple[Mesh, Any]] = {}
    plans: dict[Any, _Plan] = {}

    def sharded(*args: Any) -> Any:
        the_mesh = mesh if mesh is not None else get_mesh()
        if the_mesh is None:
            raise ValueError("shard_map: no mesh; pass mesh= or call portax.set_mesh(mesh) first")
        leaves, treedef = tree.flatten(args)
        backend = registry.backend_of_arrays(*leaves) or _owner(the_mesh)
        if backend.name == "jax":
            cached = jax_natives.get(id(the_mesh))
            if cached is None or cached[0] is not the_mesh:
                import jax

                manual = {"axis_names": set(axis_names)} if axis_names else {}
                native = jax.shard_map(
                    f,
                    mesh=to_jax(the_mesh),
                    in_specs=_specs_to_jax(in_specs),
                    out_specs=_specs_to_jax(out_specs),
                    check_vma=check_vma,
                    **manual,
                )
                cached = jax_natives[id(the_mesh)] = (the_mesh, native)
            return cached[1](*args)
        tracing = registry.tracing_backend()
        if tracing is not None:  # an engine compiler traces this call: build afresh, store nothing
            return _build_plan(f, the_mesh, in_specs, out_specs, backend, args, leaves).run(leaves)
        key = (id(the_mesh), treedef, *map(_shape_key, leaves))
        plan = plans.get(key)
        if plan is None or plan.mesh is not the_mesh:
            plan = plans[key] = _build_plan(f, the_mesh, in_specs, out_specs, backend, args, leaves)
        if registry.current_backend() is backend:
            return plan.run(leaves)
        token = registry.enter_backend(backend)
        try:
            return plan.run(leaves)
        finally:
            registry.exit_backend(token)

    sharded.__name__ = getattr(f, "__name__", "shard_map")
    sharded.__doc__ = getattr(f, "__doc__", None)
    return sharded


def _shape_key(leaf: Any) -> Any:
    """What a plan depends on in an argument: its type and shape (a Python scalar: its type)."""
    shape = getattr(leaf, "shape", None)
    return type(leaf) if shape is None else (type(leaf), *shape)


def _prefix_specs(specs: Any, args: tuple, what: str) -> list[PartitionSpec | None]:
    """One spec per leaf of ``args``: ``specs`` is a pytree prefix of ``args`` (a bare spec applies to all)."""
    if isinstance(specs, PartitionSpec) or specs is None:
        specs = (specs,) * len(args) if what == "in_specs" and len(args) != 1 else specs
    if what == "in_specs" and not isinstance(specs, (tuple, list)):
        specs = (specs,)
    if what == "in_specs" and isinstance(specs, list):
        specs = tuple(specs)
    leaves: list[PartitionSpec | None] = []

    def expand(spec: Any, sub: Any) -> None:
        if spec is None or isinstance(spec, PartitionSpec):
            leaves.extend([spec] * len(tree.leaves(sub)))
            return
        if isinstance(spec, dict):
            for key in sub:
                expand(spec[key], sub[key])
            return
        if isinstance(spec, (tuple, list)) and isinstance(sub, (tuple, list)):
            if len(spec) != len(sub):
                raise ValueError(f"shard_map: {what} has {len(spec)} entries for {len(sub)} values")
            for s, v in zip(spec, sub, strict=True):
                expand(s, v)
            return
        raise TypeError(f"shard_map: {what} must be PartitionSpecs in a pytree prefix of the values, got {spec!r}")

    expand(specs, args)
    return leaves


def _split_dims(spec: PartitionSpec | None, ndim: int, mesh: Mesh, what: str) -> list[tuple[str, ...]]:
    spec = spec if spec is not None else PartitionSpec()
    if len(spec) > ndim:
        raise ValueError(f"shard_map: {what} spec {spec} has {len(spec)} entries for a {ndim}-dimensional value")
    dims = [tuple(e if isinstance(e, tuple) else (e,)) if e else () for e in spec]
    dims += [()] * (ndim - len(dims))
    for names in dims:
        for name in names:
            if name not in mesh.axis_names:
                raise ValueError(f"shard_map: {what} spec {spec} names axis {name!r}, not in the mesh {mesh.axis_names}")
    return dims


class _Layout:
    """How one argument becomes its blocks: a reshape (None: none) putting each mesh axis it is split over in a
    dimension of its own, then a move of those dimensions to the front in mesh order (None: already there)."""

    __slots__ = ("shape", "source", "used", "native")

    def __init__(self, shape: list[int] | None, source: list[int] | None, used: tuple[str, ...]) -> None:
        self.shape, self.source, self.used = shape, source, used
        self.native: tuple[type, ...] = ()  # the backend's array types: reshaped by their own method

    def apply(self, x: Any) -> Any:
        import portax.numpy as pnp

        if self.shape is not None:
            x = x.reshape(self.shape) if isinstance(x, self.native) else pnp.reshape(x, self.shape)
        if self.source is not None:
            x = pnp.moveaxis(x, self.source, list(range(len(self.source))))
        return x


def _in_layout(shape: tuple[int, ...], spec: PartitionSpec | None, mesh: Mesh) -> _Layout:
    dims = _split_dims(spec, len(shape), mesh, "in_specs")
    sizes = mesh.shape
    new_shape: list[int] = []
    positions: dict[str, int] = {}
    for d, names in enumerate(dims):
        length = shape[d]
        parts = math.prod([sizes[n] for n in names])
        if length % parts:
            raise ValueError(
                f"shard_map: dimension {d} of an argument (size {length}) is split over mesh axes {names} ({parts} "
                f"shards), and {length} is not evenly divisible by {parts}: pad the argument or change the mesh"
            )
        for name in names:
            positions[name] = len(new_shape)
            new_shape.append(sizes[name])
        new_shape.append(length // parts)
    used = tuple(name for name in mesh.axis_names if name in positions)
    source = [positions[n] for n in used]
    return _Layout(
        new_shape if new_shape != list(shape) else None, source if source != list(range(len(used))) else None, used
    )


def _to_blocks(x: Any, spec: PartitionSpec | None, mesh: Mesh) -> tuple[Any, tuple[str, ...]]:
    """``x`` reshaped so each mesh axis it is split over is a leading dimension, in mesh order (and those axes)."""
    import portax.numpy as pnp

    layout = _in_layout(tuple(pnp.shape(x)), spec, mesh)
    return layout.apply(x), layout.used


class _OutLayout:
    """How the per-shard outputs stacked over the mesh axes assemble: the first shard along the axes the spec does not
    name (``take``, innermost first), a transpose (None: none) and a reshape (None: none)."""

    __slots__ = ("take", "order", "shape")

    def __init__(self, take: list[int], order: list[int] | None, shape: list[int] | None) -> None:
        self.take, self.order, self.shape = take, order, shape

    def apply(self, y: Any) -> Any:
        import portax.numpy as pnp

        for axis in self.take:
            y = y[(slice(None),) * axis + (0,)]
        if self.order is not None:
            y = pnp.transpose(y, self.order)
        if self.shape is not None:
            y = pnp.reshape(y, self.shape)
        return y


def _out_layout(shape: tuple[int, ...], spec: PartitionSpec | None, mesh: Mesh) -> _OutLayout:
    k = len(mesh.axis_names)
    dims = _split_dims(spec, len(shape) - k, mesh, "out_specs")
    named = {name for names in dims for name in names}
    # an axis the spec does not name: replicated along it, keep the first shard's value
    take = [axis for axis in reversed(range(k)) if mesh.axis_names[axis] not in named]
    kept = [name for name in mesh.axis_names if name in named]
    local = [shape[axis] for axis in range(k) if mesh.axis_names[axis] in named] + list(shape[k:])
    order: list[int] = []
    new_shape: list[int] = []
    for d, names in enumerate(dims):
        order += [kept.index(name) for name in names]
        order.append(len(kept) + d)
        new_shape.append(math.prod([mesh.shape[n] for n in names]) * local[len(kept) + d])
    return _OutLayout(take, order if order != sorted(order) else None, new_shape if new_shape != local else None)


def _from_blocks(y: Any, spec: PartitionSpec | None, mesh: Mesh) -> Any:
    """Per-shard outputs stacked over every mesh axis (leading, mesh order) assembled as ``spec`` says."""
    import portax.numpy as pnp

    return _out_layout(tuple(pnp.shape(y)), spec, mesh).apply(y)


class _Plan:
    """A ``shard_map`` on a backend without a partitioner of its own, for one mesh and one structure and shape of the
    arguments: the blocks' layouts, the per-shard program vectorized over the mesh axes (built once, so each call
    runs it without rebuilding the maps), and the outputs' layouts once known."""

    def __init__(self, f: Callable[..., Any], mesh: Mesh, out_specs: Any, backend: Any, treedef: Any,
                 layouts: list[_Layout]) -> None:  # fmt: skip
        self.mesh, self.out_specs, self.treedef, self.layouts = mesh, out_specs, treedef, layouts
        self.box = _process_box(mesh)
        sizes = dict(mesh.shape) if self.box is None else self.box[2]
        self.out_def: Any = None
        self.outputs: dict[Any, tuple[list[PartitionSpec | None], list[_OutLayout] | None]] = {}
        from portax._src.transforms import _transforms

        primitives = _transforms(backend, "vmap", "portax.shard_map")

        def per_shard(*local: Any) -> Any:
            out_leaves, self.out_def = tree.flatten(f(*tree.unflatten(treedef, list(local))))
            return tuple(out_leaves)

        for layout in layouts:
            layout.native = tuple(backend.array_types)
        # the backend's lean named map for flat arguments, where it has one (not while an engine compiler traces)
        lean = getattr(backend.parallel, "named_vmap", None) if registry.tracing_backend() is None else None
        mapped: Callable[..., Any] = per_shard
        for level in reversed(range(len(mesh.axis_names))):
            name = mesh.axis_names[level]
            axes = tuple(0 if name in layout.used else None for layout in layouts)
            # each level consumes the leading dimension of the inputs split over its axis
            if lean is not None:
                mapped = lean(mapped, axes, name, sizes[name], level == 0)
            else:
                mapped = primitives.vmap(mapped, axes, 0, name, sizes[name])
        self.mapped = mapped

    def run(self, leaves: list[Any]) -> Any:
        inputs = [layout.apply(leaf) for leaf, layout in zip(leaves, self.layouts, strict=True)]
        if self.box is None:
            stacked = self.mapped(*inputs)
        else:  # the mesh spans processes: run this process's shards, exchange across processes
            parallel, spans, _ = self.box
            inputs = [_local_input(parallel, x, layout.used, spans) for x, layout in zip(inputs, self.layouts,
                                                                                         strict=True)]  # fmt: skip
            bound = parallel.bind_spans(spans)
            try:
                stacked = self.mapped(*inputs)
            finally:
                parallel.unbind_spans(bound)
        out_def = self.out_def
        key = (out_def, *(y.shape for y in stacked))
        specs, layouts = self.outputs.get(key) or (None, None)
        if specs is None:
            specs = _prefix_specs(self.out_specs, tree.unflatten(out_def, list(range(len(stacked)))), "out_specs")
        if self.box is not None:
            parallel, spans, _ = self.box
            stacked = [_assemble_output(parallel, y, s, self.mesh, spans) for y, s in zip(stacked, specs, strict=True)]
        if layouts is None:
            layouts = [_out_layout(tuple(y.shape), s, self.mesh) for y, s in zip(stacked, specs, strict=True)]
            if registry.tracing_backend() is None:
                self.outputs[key] = (specs, layouts)
        return tree.unflatten(out_def, [layout.apply(y) for y, layout in zip(stacked, layouts, strict=True)])


def _build_plan(f: Callable[..., Any], mesh: Mesh, in_specs: Any, out_specs: Any, backend: Any, args: tuple,
                leaves: list[Any]) -> _Plan:  # fmt: skip
    import portax.numpy as pnp

    _, treedef = tree.flatten(args)
    specs = _prefix_specs(in_specs, args, "in_specs")
    layouts = [_in_layout(tuple(pnp.shape(leaf)), spec, mesh) for leaf, spec in zip(leaves, specs, strict=True)]
    return _Plan(f, mesh, out_specs, backend, treedef, layouts)


# -- shard_map over several processes (a backend without its own partitioner: torch) ---------------------------------


def _process_box(mesh: Mesh) -> tuple[Any, dict[str, Any], dict[str, int]] | None:
    """None when this process holds every device of ``mesh``; else the backend's parallel module, the spans of the
    mesh axes split over processes, and this process's number of devices along each axis (computed once per mesh)."""
    from portax._src.distributed import process_count, process_index

    me = process_index()
    if all(owner == me for owner in mesh._owners):
        return None
    cached = mesh._native.get(("process_box", me))
    if cached is not None:
        return cached
    backend = _owner(mesh)
    shape = tuple(mesh.shape.values())
    mine = [_unravel(i, shape) for i, owner in enumerate(mesh._owners) if owner == me]
    if not mine:
        raise ValueError(f"shard_map: the mesh has no device of process {me}; build it with portax.make_mesh")
    low = [min(c[k] for c in mine) for k in range(len(shape))]
    local = tuple(max(c[k] for c in mine) + 1 - low[k] for k in range(len(shape)))
    if math.prod(local) != len(mine) or any(s % n for s, n in zip(shape, local, strict=True)):
        raise UnsupportedError(
            backend.name, "a shard_map mesh whose devices of one process do not form a block", "use portax.make_mesh"
        )
    grid = tuple(s // n for s, n in zip(shape, local, strict=True))
    if math.prod(grid) != process_count():
        raise ValueError(f"shard_map: the mesh covers {math.prod(grid)} processes of {process_count()}")
    parallel = backend.parallel
    groups = parallel.process_groups(mesh.axis_names, grid)
    spans = {
        name: parallel.ProcessSpan(groups[name], local[k], shape[k], low[k])
        for k, name in enumerate(mesh.axis_names)
        if grid[k] > 1
    }
    box = mesh._native[("process_box", me)] = (parallel, spans, dict(zip(mesh.axis_names, local, strict=True)))
    return box


def _unravel(index: int, shape: tuple[int, ...]) -> list[int]:
    coords = []
    for size in reversed(shape):
        coords.append(index % size)
        index //= size
    return coords[::-1]


def _local_input(parallel: Any, block: Any, used: tuple[str, ...], spans: dict[str, Any]) -> Any:
    """This process's shards of a global argument (leading dimensions: the mesh axes in ``used``)."""
    for name, span in spans.items():
        block = parallel.shard_of(block, used.index(name), span) if name in used else parallel.replicated(block, span)
    return block


def _assemble_output(parallel: Any, y: Any, spec: PartitionSpec | None, mesh: Mesh, spans: dict[str, Any]) -> Any:
    """Per-shard outputs of this process (one leading dimension per mesh axis) as every process's: gathered along
    the axes ``spec`` splits over, the first process's value along the others (equal everywhere)."""
    named = set(spec.axis_names()) if spec is not None else set()
    for k, name in enumerate(mesh.axis_names):
        if name in spans:
            y = parallel.assemble(y, k, spans[name]) if name in named else parallel.from_first(y, spans[name])
    return y


def with_sharding_constraint(x: Any, shardings: Any) -> Any:
    """``x`` constrained to ``shardings`` inside ``jit`` (``jax.lax.with_sharding_constraint``).

    On JAX this is JAX's; a backend whose process holds every shard returns ``x`` unchanged.
    """
    backend = registry.backend_of_arrays(*tree.leaves(x)) or registry.current_backend()
    if backend.name == "jax":
        import jax

        return jax.lax.with_sharding_constraint(x, _specs_to_jax(_bind_mesh(shardings)))
    return x


def _bind_mesh(shardings: Any) -> Any:
    """Bare ``PartitionSpec``s bound to the mesh of ``set_mesh`` (JAX accepts them only under a set mesh)."""

    def bind(s: Any) -> Any:
        if isinstance(s, PartitionSpec):
            mesh = get_mesh()
            if mesh is None:
                raise ValueError("a bare PartitionSpec needs a mesh: use NamedSharding(mesh, spec) or portax.set_mesh")
            return NamedSharding(mesh, s)
        return s

    return tree.map(bind, shardings, is_leaf=lambda s: isinstance(s, (PartitionSpec, NamedSharding)))


def is_sharding(value: Any) -> bool:
    return isinstance(value, (NamedSharding, SingleDeviceSharding, PartitionSpec))


# -- devices, shards and arrays made of shards (jax.Device, jax.Shard, jax.make_array_from_callback...) --------------


def _is_local(device: Any) -> bool:
    """Whether ``device`` is attached to this process."""
    index = getattr(device, "process_index", None)
    if index is None:
        return True
    from portax._src.distributed import process_index

    for backend in registry.loaded_backends():
        if any(d is device or d == device for d in backend.devices()):
            return int(index) == process_index(backend)
    return int(index) == 0


class _DeviceType(type):
    def __instancecheck__(cls, value: object) -> bool:
        return any(isinstance(value, kind) for kind in _device_types())

    def __subclasscheck__(cls, kind: type) -> bool:
        return kind is cls or any(issubclass(kind, mine) for mine in _device_types())


def _device_types() -> set[type]:
    return {type(d) for backend in registry.loaded_backends() for d in backend.devices()}


class Device(metaclass=_DeviceType):
    """The type of the entries of ``portax.devices()`` on every backend (``jax.Device``).

    Not made directly: JAX's devices, torch's ``torch.device`` and portax's virtual CPU devices are its instances, so
    ``isinstance(d, portax.Device)`` holds for any backend's device.

    Example:
        >>> import portax
        >>> isinstance(portax.devices()[0], portax.Device)
        True
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Device:
        raise TypeError("portax.Device is not made directly: take a device from portax.devices()")


class Shard:
    """One shard of an array placed with ``sharding``: its device, index in the global array, replica number and data
    (``jax.Shard``).

    Args:
        device: a device of ``sharding``'s mesh.
        sharding: a ``NamedSharding``.
        global_shape: the shape of the whole array.
        data: the shard's values (an array of the shard's shape), or None.
    """

    def __init__(self, device: Any, sharding: NamedSharding, global_shape: Sequence[int], data: Any = None) -> None:
        self.device = device
        self.sharding = sharding
        self.global_shape = tuple(global_shape)
        self.data = data

    @property
    def index(self) -> tuple[slice, ...]:
        """The shard's place in the global array, a tuple of slices."""
        return self.sharding.devices_indices_map(self.global_shape)[self.device]

    @property
    def replica_id(self) -> int:
        """How many devices before this one (in mesh order) hold the same index."""
        indices = self.sharding.devices_indices_map(self.global_shape)
        mine = indices[self.device]
        before = list(indices)[: list(indices).index(self.device)]
        return sum(1 for d in before if indices[d] == mine)

    def __repr__(self) -> str:
        return f"Shard(device={self.device!r}, index={self.index}, replica_id={self.replica_id}, data={self.data!r})"


def _sharding_backend(sharding: Any) -> Any:
    if isinstance(sharding, NamedSharding):
        return _owner(sharding.mesh)
    return registry.current_backend()


def _named(sharding: Any, what: str) -> NamedSharding:
    sharding = _bind_mesh(sharding)
    if isinstance(sharding, SingleDeviceSharding):
        return NamedSharding(Mesh(np.array([sharding.device], dtype=object), ("_",)), PartitionSpec())
    if not isinstance(sharding, NamedSharding):
        raise TypeError(f"{what}: expected a portax.sharding.NamedSharding (or a PartitionSpec under set_mesh), got "
                        f"{type(sharding).__name__}")  # fmt: skip
    return sharding


def _first_holders(indices: dict[Any, tuple[slice, ...]]) -> dict[Any, tuple[slice, ...]]:
    """The device of replica 0 of each distinct index (mesh order) -> that index."""
    seen: set[tuple] = set()
    out = {}
    for device, index in indices.items():
        key = tuple((s.start, s.stop) for s in index)
        if key not in seen:
            seen.add(key)
            out[device] = index
    return out


def _assemble(backend: Any, shape: tuple[int, ...], dtype: Any, pieces: list[tuple[tuple[slice, ...], Any]],
              sharding: NamedSharding) -> Any:  # fmt: skip
    """The global array from its shards (index, values) held by this process; shards held by other processes come
    from them (each shard summed in once, from the process of its replica 0)."""
    import portax.numpy as pnp

    expected = sharding.shard_shape(shape)
    with registry.use_backend(backend):
        arrays = [(index, pnp.asarray(value, dtype=dtype)) for index, value in pieces]
        for _, value in arrays:
            if tuple(value.shape) != expected:
                raise ValueError(
                    f"a shard of shape {tuple(value.shape)} for an array of shape {shape} sharded by {sharding}: each "
                    f"shard must have shape {expected}"
                )
        if dtype is None:
            dtype = arrays[0][1].dtype if arrays else pnp.float32
        if sharding.is_fully_addressable and len(arrays) == 1 and expected == shape:
            return arrays[0][1]
        out = pnp.zeros(shape, dtype)
        for index, value in arrays:
            out = out.at[index].set(value)
        if not sharding.is_fully_addressable:
            out = backend.parallel.sum_over_processes(out)
        return out


def make_array_from_callback(
    shape: Sequence[int], sharding: Any, data_callback: Callable[[tuple[slice, ...]], Any], dtype: Any = None
) -> Any:
    """An array of ``shape`` placed by ``sharding`` whose shards come from ``data_callback(index)``
    (``jax.make_array_from_callback``).

    ``index`` is the shard's place in the global array (a tuple of slices); the callback returns that shard's values
    (a NumPy array or an array of the backend). On JAX this is JAX's; on a backend whose process holds every shard the
    result is the whole array, the callback called once per distinct shard of this process's devices (across
    processes, every process receives the other processes' shards).

    Example:
        >>> import numpy as np, portax
        >>> from portax.sharding import NamedSharding, PartitionSpec as P
        >>> data = np.arange(8.0).reshape(4, 2)
        >>> mesh = portax.make_mesh((2,), ("i",))
        >>> x = portax.make_array_from_callback((4, 2), NamedSharding(mesh, P("i")), lambda index: data[index])
        >>> tuple(x.shape)
        (4, 2)
    """
    shape = tuple(int(n) for n in shape)
    backend = _sharding_backend(sharding)
    if backend.name == "jax":
        import jax

        return jax.make_array_from_callback(shape, to_jax(_bind_mesh(sharding)), data_callback, dtype)
    named = _named(sharding, "make_array_from_callback")
    holders = _first_holders(named.devices_indices_map(shape))
    pieces = [(index, data_callback(index)) for device, index in holders.items() if _is_local(device)]
    return _assemble(backend, shape, dtype, pieces, named)


def make_array_from_single_device_arrays(
    shape: Sequence[int], sharding: Any, arrays: Sequence[Any], *, dtype: Any = None
) -> Any:
    """An array of ``shape`` placed by ``sharding`` from one array per device of this process, in the order of
    ``sharding.addressable_devices_indices_map(shape)`` (``jax.make_array_from_single_device_arrays``).

    Raises:
        ValueError: not one array per addressable device, or an array whose shape is not the shard shape.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> from portax.sharding import NamedSharding, PartitionSpec as P
        >>> s = NamedSharding(portax.make_mesh((2,), ("i",)), P("i"))
        >>> parts = [portax.device_put(v, d) for v, d in zip([jnp.zeros(2), jnp.ones(2)], portax.devices())]
        >>> portax.make_array_from_single_device_arrays((4,), s, parts).tolist()
        [0.0, 0.0, 1.0, 1.0]
    """
    shape = tuple(int(n) for n in shape)
    backend = _sharding_backend(sharding)
    if backend.name == "jax":
        import jax

        return jax.make_array_from_single_device_arrays(shape, to_jax(_bind_mesh(sharding)), arrays, dtype=dtype)
    named = _named(sharding, "make_array_from_single_device_arrays")
    local = named.addressable_devices_indices_map(shape)
    arrays = list(arrays)
    if len(arrays) != len(local):
        raise ValueError(
            f"Expected {len(local)} per-device arrays (this is how many devices are addressable by the sharding), but "
            f"got {len(arrays)}"
        )
    holders = _first_holders(named.devices_indices_map(shape))
    pieces = [(index, array) for (device, index), array in zip(local.items(), arrays, strict=True) if device in holders]
    return _assemble(backend, shape, dtype, pieces, named)


def make_array_from_process_local_data(sharding: Any, local_data: Any, global_shape: Sequence[int] | None = None) -> Any:
    """The global array whose part on this process's devices is ``local_data`` (``jax.make_array_from_process_local_data``).

    In one process ``local_data`` is the whole array. Across processes, each process passes the block its devices
    hold (e.g. its part of the batch); ``global_shape`` defaults to the local shape times the number of processes a
    dimension is split over.

    Example:
        >>> import numpy as np, portax
        >>> from portax.sharding import NamedSharding, PartitionSpec as P
        >>> s = NamedSharding(portax.make_mesh((2,), ("i",)), P("i"))
        >>> tuple(portax.make_array_from_process_local_data(s, np.ones((4, 3), np.float32)).shape)
        (4, 3)
    """
    backend = _sharding_backend(sharding)
    if backend.name == "jax":
        import jax

        return jax.make_array_from_process_local_data(to_jax(_bind_mesh(sharding)), local_data, global_shape)
    named = _named(sharding, "make_array_from_process_local_data")
    local_shape = tuple(int(n) for n in np.shape(local_data))
    if global_shape is None:
        global_shape = _global_from_local(named, local_shape)
    shape = tuple(int(n) for n in global_shape)
    local = named.addressable_devices_indices_map(shape)
    box = [
        (min(i[d].start or 0 for i in local.values()), max(n if i[d].stop is None else i[d].stop for i in local.values()))
        for d, n in enumerate(shape)
    ]
    if tuple(stop - start for start, stop in box) != local_shape:
        raise ValueError(
            f"make_array_from_process_local_data: local data of shape {local_shape}, but this process's devices hold "
            f"the block {tuple(slice(a, b) for a, b in box)} of the global shape {shape}"
        )
    holders = _first_holders(named.devices_indices_map(shape))
    import portax.numpy as pnp

    with registry.use_backend(backend):
        data = pnp.asarray(local_data)
        pieces = [
            (index, data[tuple(slice((s.start or 0) - a, (shape[d] if s.stop is None else s.stop) - a)
                               for d, (s, (a, _)) in enumerate(zip(index, box, strict=True)))])
            for device, index in local.items()
            if device in holders
        ]  # fmt: skip
    return _assemble(backend, shape, data.dtype, pieces, named)


def _global_from_local(sharding: NamedSharding, local_shape: tuple[int, ...]) -> tuple[int, ...]:
    """Each dimension's local size times how many distinct blocks of it the processes hold."""
    dims = _split_dims(sharding.spec, len(local_shape), sharding.mesh, "make_array_from_process_local_data")
    shape = tuple(sharding.mesh.shape.values())
    out = []
    for length, names in zip(local_shape, dims, strict=True):
        parts = math.prod(sharding.mesh.shape[n] for n in names)
        positions, mine = set(), set()
        for flat, device in enumerate(sharding.mesh.devices.flat):
            coords = dict(zip(sharding.mesh.axis_names, _unravel(flat, shape), strict=True))
            position = 0
            for name in names:
                position = position * sharding.mesh.shape[name] + coords[name]
            positions.add(position)
            if _is_local(device):
                mine.add(position)
        out.append(length * parts // len(mine) if names else length)
    return tuple(out)


def reshard(xs: Any, out_shardings: Any) -> Any:
    """``xs`` (a pytree) placed as ``out_shardings`` says (``jax.reshard``).

    On JAX this is JAX's on a mesh of Explicit axes, and ``jax.device_put`` on portax's default Auto axes (where
    JAX's ``reshard`` refuses); a backend whose process holds every shard returns ``xs`` unchanged after checking the
    shardings.

    Raises:
        ValueError: a sharding is None, or a bare ``PartitionSpec`` is given outside ``set_mesh``.
    """
    def check(s: Any) -> Any:
        if s is None:
            raise ValueError(
                "Reshard should only be used with out_shardings which are non-None and have a non-empty mesh. Got "
                "sharding None."
            )
        if isinstance(s, PartitionSpec) and get_mesh() is None:
            raise ValueError(
                f"Using PartitionSpec when you are not under a mesh context is not allowed. Please pass a "
                f"NamedSharding instance or enter into a mesh context via `portax.set_mesh`. Got {s}"
            )
        return s

    if out_shardings is None or isinstance(out_shardings, (PartitionSpec, NamedSharding)):
        check(out_shardings)
    else:
        tree.map(check, out_shardings, is_leaf=lambda s: s is None or isinstance(s, (PartitionSpec, NamedSharding)))
    backend = registry.backend_of_arrays(*tree.leaves(xs)) or registry.current_backend()
    if backend.name == "jax":
        import jax

        native = _specs_to_jax(_bind_mesh(out_shardings))
        meshes = [s.mesh for s in jax.tree.leaves(native) if isinstance(s, jax.sharding.NamedSharding)]
        explicit = jax.sharding.AxisType.Explicit
        if meshes and all(t == explicit for m in meshes for t in m.axis_types):
            return jax.reshard(xs, native)
        return jax.device_put(xs, native)  # Auto axes (portax's default): a placement, which JAX's reshard refuses
    return xs


class _Infer:
    def __repr__(self) -> str:
        return "Infer"


Infer = _Infer()


def smap(
    f: Callable[..., Any] | None = None, /, *, in_axes: Any = Infer, out_axes: Any, axis_name: str
) -> Any:
    """``f`` mapped over one mesh axis of the mesh of ``set_mesh``, one shard per device along it (``jax.smap``).

    ``shard_map`` over the axis ``axis_name``: an int in ``in_axes``/``out_axes`` is the array dimension split over
    that axis, None an unsplit (replicated) value.

    Args:
        f: the per-shard function.
        in_axes: an int or None, or a tuple with one per positional argument (portax does not infer them).
        out_axes: an int or None, or a pytree prefix of the output of them.
        axis_name: the mesh axis.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> with portax.set_mesh(portax.make_mesh((2,), ("i",))):
        ...     portax.smap(lambda x: x * 2, in_axes=0, out_axes=0, axis_name="i")(jnp.arange(4.0)).tolist()
        [0.0, 2.0, 4.0, 6.0]
    """
    if f is None:
        return lambda g: smap(g, in_axes=in_axes, out_axes=out_axes, axis_name=axis_name)
    if in_axes is Infer:
        raise UnsupportedError("portax", "smap without in_axes (inferred from Explicit-mode shardings)", "pass in_axes")

    def spec(axis: int | None, ndim: int | None) -> PartitionSpec:
        if axis is None:
            return PartitionSpec()
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(f"smap: in_axes and out_axes entries are ints or None, got {axis!r}")
        if axis < 0:
            if ndim is None:
                raise UnsupportedError("portax", f"smap(out_axes={axis})", "give the output axis as a non-negative int")
            axis += ndim
        return PartitionSpec(*([None] * axis), axis_name)

    out_specs = tree.map(lambda a: spec(a, None), out_axes, is_leaf=lambda a: a is None)
    built: dict[Any, tuple[Mesh | None, Any]] = {}

    @functools.wraps(f)
    def mapped(*args: Any) -> Any:
        leaves, treedef = tree.flatten(args)
        axes = tree.broadcast_prefix(in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args), args)
        specs = tuple(spec(a, np.ndim(leaf)) for a, leaf in zip(axes, leaves, strict=True))
        the_mesh = get_mesh()
        key = (id(the_mesh), treedef, specs)
        cached = built.get(key)
        if cached is None or cached[0] is not the_mesh:
            names = frozenset({axis_name}) if the_mesh is not None and len(the_mesh.axis_names) > 1 else frozenset()
            in_specs = tuple(tree.unflatten(treedef, list(specs)))
            cached = built[key] = (
                the_mesh,
                shard_map(f, mesh=the_mesh, in_specs=in_specs, out_specs=out_specs, axis_names=names),
            )
        return cached[1](*args)

    return mapped
