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
            native = value._native["jax"] = jax.sharding.Mesh(value.devices, value.axis_names, value.axis_types)
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

    def sharded(*args: Any) -> Any:
        the_mesh = mesh if mesh is not None else get_mesh()
        if the_mesh is None:
            raise ValueError("shard_map: no mesh; pass mesh= or call portax.set_mesh(mesh) first")
        backend = registry.backend_of_arrays(*tree.leaves(args)) or _owner(the_mesh)
        if backend.name == "jax":
            import jax

            native = jax.shard_map(
                f,
                mesh=to_jax(the_mesh),
                in_specs=_specs_to_jax(in_specs),
                out_specs=_specs_to_jax(out_specs),
                check_vma=check_vma,
            )
            return native(*args)
        if registry.tracing_backend() is backend or registry.current_backend() is backend:
            return _vectorized_shard_map(f, the_mesh, in_specs, out_specs, args)  # (an engine compiler traces this)
        with registry.use_backend(backend):
            return _vectorized_shard_map(f, the_mesh, in_specs, out_specs, args)

    sharded.__name__ = getattr(f, "__name__", "shard_map")
    sharded.__doc__ = getattr(f, "__doc__", None)
    return sharded


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


def _to_blocks(x: Any, spec: PartitionSpec | None, mesh: Mesh) -> tuple[Any, tuple[str, ...]]:
    """``x`` reshaped so each mesh axis it is split over is a leading dimension, in mesh order (and those axes)."""
    import portax.numpy as pnp

    dims = _split_dims(spec, pnp.ndim(x), mesh, "in_specs")
    sizes = mesh.shape
    new_shape: list[int] = []
    positions: dict[str, int] = {}
    for d, names in enumerate(dims):
        length = x.shape[d]
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
    blocks = pnp.reshape(x, new_shape)
    return pnp.moveaxis(blocks, [positions[n] for n in used], list(range(len(used)))), used


def _from_blocks(y: Any, spec: PartitionSpec | None, mesh: Mesh) -> Any:
    """Per-shard outputs stacked over every mesh axis (leading, mesh order) assembled as ``spec`` says."""
    import portax.numpy as pnp

    k = len(mesh.axis_names)
    local_ndim = pnp.ndim(y) - k
    dims = _split_dims(spec, local_ndim, mesh, "out_specs")
    named = {name for names in dims for name in names}
    # an axis the spec does not name: replicated along it, keep the first shard's value
    for axis in reversed(range(k)):
        if mesh.axis_names[axis] not in named:
            y = pnp.take(y, 0, axis=axis)
    kept = [name for name in mesh.axis_names if name in named]
    order: list[int] = []
    shape: list[int] = []
    for d, names in enumerate(dims):
        order += [kept.index(name) for name in names]
        order.append(len(kept) + d)
        shape.append(math.prod([mesh.shape[n] for n in names]) * y.shape[len(kept) + d])
    if order != sorted(order):
        y = pnp.transpose(y, order)
    return pnp.reshape(y, shape)


def _vectorized_shard_map(f: Callable[..., Any], mesh: Mesh, in_specs: Any, out_specs: Any, args: tuple) -> Any:
    from portax._src.transforms import vmap

    leaves, treedef = tree.flatten(args)
    specs = _prefix_specs(in_specs, args, "in_specs")
    blocked = [_to_blocks(leaf, spec, mesh) for leaf, spec in zip(leaves, specs, strict=True)]
    box = _process_box(mesh)
    inputs = [block for block, _ in blocked]
    sizes = dict(mesh.shape)
    spans: dict[str, Any] = {}
    if box is not None:  # the mesh spans processes: run this process's shards, exchange across processes
        parallel, spans, sizes = box
        inputs = [_local_input(parallel, block, used, spans) for block, used in blocked]
    out_tree: list[Any] = []

    def per_shard(*local: Any) -> Any:
        out = f(*tree.unflatten(treedef, list(local)))
        out_leaves, out_def = tree.flatten(out)
        out_tree.append(out_def)
        return out_leaves

    mapped: Callable[..., Any] = per_shard
    for level in reversed(range(len(mesh.axis_names))):
        name = mesh.axis_names[level]
        axes = [0 if name in used else None for _, used in blocked]
        # each vmap level consumes the leading dimension of the inputs split over its axis
        mapped = vmap(mapped, in_axes=tuple(axes), out_axes=0, axis_name=name, axis_size=sizes[name])
    if spans:
        bound = parallel.bind_spans(spans)
        try:
            stacked = mapped(*inputs)
        finally:
            parallel.unbind_spans(bound)
    else:
        stacked = mapped(*inputs)
    out_def = out_tree[-1]
    out_spec_leaves = _prefix_specs(out_specs, tree.unflatten(out_def, list(range(len(stacked)))), "out_specs")
    if spans:
        stacked = [_assemble_output(parallel, y, s, mesh, spans) for y, s in zip(stacked, out_spec_leaves, strict=True)]
    return tree.unflatten(out_def, [_from_blocks(y, s, mesh) for y, s in zip(stacked, out_spec_leaves, strict=True)])


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
