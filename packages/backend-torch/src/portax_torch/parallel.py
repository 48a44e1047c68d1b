"""Named-axis collectives, ``pmap`` on (virtual) devices and multi-process collectives on PyTorch.

``torch.func.vmap`` has no axis names. ``portax.vmap(..., axis_name=...)`` on torch (``transforms.vmap``) therefore
maps one extra input, the *axis token* ``arange(size)``, which is batched at exactly that vmap level, and records
``(name, size, token)`` while the function runs. A collective is one ``torch.autograd.Function`` whose ``vmap``
staticmethod is called once per vmap level at which an input is batched, innermost level first:

- at a level where the token is not batched (another axis), it moves that level's batch dimension of ``x`` to the
  front and applies itself again one level down, shifting axis parameters by one;
- at the token's level it has the whole named axis in hand as an ordinary tensor dimension and computes the
  collective with ordinary torch ops (``sum``, ``amax``, ``movedim``, ``index_select``).

So the collective composes with ``torch.func.grad``/``vjp``/``jvp`` at any level, inside or outside the named
vmap: outside, autograd differentiates the ordinary ops of the named level; inside, ``backward`` applies the
transpose collective as JAX does (psum <-> psum, all_gather <-> psum_scatter, ppermute <-> inverse ppermute;
pmax/pmin have no rule, as in JAX). Dynamo cannot trace an ``autograd.Function`` with a ``vmap`` staticmethod
(measured: "Observed exception"), so a ``portax.jit`` function that uses a collective runs uncompiled with a
``CompileFallbackWarning`` (the torch backend lacks the ``collectives_jit`` capability).

``pmap`` runs the per-device program as ``portax.vmap`` with the axis name over the devices: the real CUDA devices,
or ``PORTAX_VIRTUAL_DEVICES=N`` virtual CPU devices. After ``portax.distributed.initialize`` a pmap axis spans the
devices of every process: ``psum``/``pmean``/``pmax``/``pmin``/``axis_index`` over it also combine across processes
with ``torch.distributed`` (gloo on CPU).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Hashable, Sequence
from typing import Any

import portax
import torch
from portax.errors import UnsupportedError

#: The axis names bound by ``pmap`` calls being run, innermost last (their collectives may span processes).
_pmap_names: list[Hashable] = []


@dataclasses.dataclass(frozen=True)
class VirtualDevice:
    """One of ``PORTAX_VIRTUAL_DEVICES=N`` CPU devices for ``pmap`` (all backed by the host CPU, like JAX's
    ``--xla_force_host_platform_device_count``)."""

    id: int
    platform: str = "cpu"
    device_kind: str = "cpu"
    process_index: int = 0

    @property
    def torch_device(self) -> torch.device:
        return torch.device("cpu")

    def __repr__(self) -> str:
        return f"VirtualDevice(id={self.id}, platform='cpu')"


def virtual_devices() -> list[VirtualDevice] | None:
    """``PORTAX_VIRTUAL_DEVICES=N`` CPU devices, or None when the variable is unset."""
    count = os.environ.get("PORTAX_VIRTUAL_DEVICES")
    if not count:
        return None
    try:
        n = int(count)
    except ValueError:
        raise ValueError(f"PORTAX_VIRTUAL_DEVICES must be a positive integer, got {count!r}") from None
    if n < 1:
        raise ValueError(f"PORTAX_VIRTUAL_DEVICES must be a positive integer, got {count!r}")
    return [VirtualDevice(i) for i in range(n)]


# -- finding the axis -------------------------------------------------------------------------------------------------


def _refuse_collective_in_graph() -> None:
    """Nothing; calling it while dynamo traces stops the trace, so the jit entry runs uncompiled (see module doc)."""


_refuse_collective_in_graph = torch._dynamo.disable(_refuse_collective_in_graph, reason="portax collective")


def _frame(axis_name: Hashable) -> tuple[int, Any]:
    """``(size, token)`` of the innermost named vmap called ``axis_name``."""
    if torch.compiler.is_compiling():
        _refuse_collective_in_graph()
    backend = portax.get_backend("torch")
    for name, size, token in reversed(backend.transforms.axis_frames()):
        if name == axis_name:
            return size, token
    raise NameError(
        f"unbound axis name: {axis_name!r}; collectives need an enclosing portax.vmap(..., axis_name={axis_name!r}) "
        f"or portax.pmap(..., axis_name={axis_name!r})"
    )


def _world() -> tuple[int, int]:
    """``(rank, world_size)`` of torch.distributed, ``(0, 1)`` when it is not initialized."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _spans_processes(axis_name: Hashable) -> bool:
    return axis_name in _pmap_names and _world()[1] > 1


def _all_reduce(value: torch.Tensor, op: str) -> torch.Tensor:
    import torch.distributed as dist

    if torch._C._functorch.is_functorch_wrapped_tensor(value):
        raise UnsupportedError(
            "torch",
            f"{op} across processes inside another transformation of the pmap body",
            "reduce across processes on values that are not being batched or differentiated further",
        )
    reduced = value.detach().clone()
    dist.all_reduce(reduced, op={"psum": dist.ReduceOp.SUM, "pmax": dist.ReduceOp.MAX, "pmin": dist.ReduceOp.MIN}[op])
    return reduced


# -- the collective as a batching rule ----------------------------------------------------------------------------------


def _stacked(x: torch.Tensor, dim: int | None, size: int) -> torch.Tensor:
    """``x`` with the named axis at the front (broadcast when ``x`` is the same on every instance)."""
    return x.unsqueeze(0).expand(size, *x.shape) if dim is None else x.movedim(dim, 0)


def _shifted(op: str, params: tuple) -> tuple:
    """``params`` for the tensor with one more leading dimension (the batch dimension of another vmap level)."""
    if op == "all_gather":
        axis, tiled = params
        return (axis + 1, tiled)
    if op == "psum_scatter":
        dim, tiled = params
        return (dim + 1, tiled)
    return params


def _at_named_level(x: torch.Tensor, dim: int | None, size: int, op: str, params: tuple) -> tuple[Any, Any]:
    if op == "psum":
        return (x * size if dim is None else x.sum(dim)), None
    if op in ("pmax", "pmin"):
        if dim is None:
            return x, None
        return (x.amax(dim) if op == "pmax" else x.amin(dim)), None
    if op == "all_gather":
        axis, tiled = params
        gathered = _stacked(x, dim, size).movedim(0, axis)
        return (gathered.flatten(axis, axis + 1) if tiled else gathered), None
    if op == "ppermute":
        (perm,) = params
        source_of = {dest: source for source, dest in perm}
        stacked = _stacked(x, dim, size)
        index = torch.tensor([source_of.get(d, 0) for d in range(size)], device=stacked.device)
        received = torch.tensor([d in source_of for d in range(size)], device=stacked.device)
        moved = stacked.index_select(0, index)
        received = received.reshape(size, *(1,) * (moved.ndim - 1))
        return torch.where(received, moved, torch.zeros((), dtype=moved.dtype, device=moved.device)), 0
    if op == "psum_scatter":
        scatter_dim, tiled = params
        total = x * size if dim is None else x.sum(dim)
        if tiled:
            if total.shape[scatter_dim] % size:
                raise ValueError(
                    f"psum_scatter(tiled=True): dimension {scatter_dim} of size {total.shape[scatter_dim]} is not a "
                    f"multiple of the axis size {size}"
                )
            return total.unflatten(scatter_dim, (size, total.shape[scatter_dim] // size)), scatter_dim
        if total.shape[scatter_dim] != size:
            raise ValueError(
                f"psum_scatter: dimension {scatter_dim} has size {total.shape[scatter_dim]}, which must equal the "
                f"axis size {size} (or pass tiled=True)"
            )
        return total, scatter_dim
    raise AssertionError(op)


class _Collective(torch.autograd.Function):
    """``op(x)`` over the vmap level at which ``token`` is batched (see the module docstring)."""

    @staticmethod
    def forward(x: torch.Tensor, token: torch.Tensor, op: str, params: tuple, name: Any) -> torch.Tensor:  # type: ignore[override]
        # Only reached when no vmap level batches the token, i.e. the axis has ended.
        raise NameError(f"unbound axis name: {name!r} (the collective was called outside its vmap/pmap)")

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> None:
        ctx.token, ctx.op, ctx.params, ctx.name = inputs[1:]

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Any:
        op, params = ctx.op, ctx.params
        if op in ("pmax", "pmin"):
            raise NotImplementedError(f"Differentiation rule for '{op}' not implemented")
        if op == "all_gather":
            axis, tiled = params
            transpose, transpose_params = "psum_scatter", (axis, tiled)
        elif op == "psum_scatter":
            dim, tiled = params
            transpose, transpose_params = "all_gather", (dim, tiled)
        elif op == "ppermute":
            (perm,) = params
            transpose, transpose_params = "ppermute", (tuple((d, s) for s, d in perm),)
        else:
            transpose, transpose_params = op, params
        return _Collective.apply(grad, ctx.token, transpose, transpose_params, ctx.name), None, None, None, None

    @staticmethod
    def vmap(info: Any, in_dims: tuple, x: torch.Tensor, token: torch.Tensor, op: str, params: tuple, name: Any) -> Any:
        x_dim, token_dim = in_dims[0], in_dims[1]
        if token_dim is None:  # another vmap level: keep its batch dimension in front and go one level down
            if x_dim is None:
                return _Collective.apply(x, token, op, params, name), None
            return _Collective.apply(x.movedim(x_dim, 0), token, op, _shifted(op, params), name), 0
        out, out_dim = _at_named_level(x, x_dim, info.batch_size, op, params)
        if op in ("psum", "pmax", "pmin") and _spans_processes(name):
            out = _all_reduce(out, op)
        return out, out_dim


def _one(x: Any, axis_name: Hashable, op: str, params: tuple = ()) -> Any:
    _, token = _frame(axis_name)
    if op not in ("psum", "pmax", "pmin") and _spans_processes(axis_name):
        raise UnsupportedError(
            "torch",
            f"lax.{op} over a pmap axis spanning several processes",
            "use psum/pmean/pmax/pmin across processes",
        )
    return _Collective.apply(x, token, op, params, axis_name)


def _names(axis_name: Any) -> tuple:
    return tuple(axis_name) if isinstance(axis_name, tuple) else (axis_name,)


def _size(axis_name: Hashable) -> int:
    size, _ = _frame(axis_name)
    return size * _world()[1] if _spans_processes(axis_name) else size


# -- the primitives (called by portax._src.collectives) -------------------------------------------------------------------


def psum(x: Any, axis_name: Any) -> Any:
    for name in _names(axis_name):
        x = _one(x, name, "psum")
    return x


def pmean(x: Any, axis_name: Any) -> Any:
    total = 1
    for name in _names(axis_name):
        total *= _size(name)
    return psum(x, axis_name) / total


def pmax(x: Any, axis_name: Any) -> Any:
    for name in _names(axis_name):
        x = _one(x, name, "pmax")
    return x


def pmin(x: Any, axis_name: Any) -> Any:
    for name in _names(axis_name):
        x = _one(x, name, "pmin")
    return x


def all_gather(x: Any, axis_name: Any, axis: int, tiled: bool) -> Any:
    ndim = x.ndim
    if not (-ndim <= axis < ndim if tiled else -ndim - 1 <= axis <= ndim):
        raise ValueError(f"all_gather: axis {axis} is out of range for an operand of rank {ndim} (tiled={tiled})")
    axis = axis % (ndim if tiled else ndim + 1)
    names = _names(axis_name)
    # Row-major over the names, as JAX: gather the last name first, then the earlier ones in front of it.
    for count, name in enumerate(reversed(names)):
        x = _one(x, name, "all_gather", (axis, tiled))
        if count and not tiled:
            x = x.flatten(axis, axis + 1)
    return x


def ppermute(x: Any, axis_name: Any, perm: tuple[tuple[int, int], ...]) -> Any:
    names = _names(axis_name)
    if len(names) != 1:
        raise UnsupportedError("torch", "lax.ppermute over several axis names", "permute over one axis at a time")
    size, _ = _frame(names[0])
    for source, dest in perm:
        if not (0 <= source < size and 0 <= dest < size):
            raise ValueError(f"ppermute: pair {(source, dest)} is out of range for axis {names[0]!r} of size {size}")
    return _one(x, names[0], "ppermute", (tuple(perm),))


def psum_scatter(x: Any, axis_name: Any, scatter_dimension: int, tiled: bool) -> Any:
    names = _names(axis_name)
    if len(names) != 1:
        raise UnsupportedError("torch", "lax.psum_scatter over several axis names", "scatter over one axis at a time")
    if not -x.ndim <= scatter_dimension < x.ndim:
        raise ValueError(f"psum_scatter: scatter_dimension {scatter_dimension} is out of range for rank {x.ndim}")
    return _one(x, names[0], "psum_scatter", (scatter_dimension % x.ndim, tiled))


def axis_index(axis_name: Any) -> Any:
    index = None
    for name in _names(axis_name):
        size, token = _frame(name)
        here = token + _world()[0] * size if _spans_processes(name) else token
        index = here if index is None else index * _size(name) + here
    return index.clone()


# -- pmap ------------------------------------------------------------------------------------------------------------------


def pmap(
    fun: Any,
    axis_name: Hashable | None,
    in_axes: Any,
    out_axes: Any,
    static_broadcasted_argnums: tuple[int, ...],
    devices: Sequence[Any] | None,
) -> Any:
    """The per-device program as one ``vmap`` over the devices (identical results; see the module docstring)."""
    from portax import vmap

    def per_device(*args: Any) -> Any:
        if axis_name is None:
            return fun(*args)
        _pmap_names.append(axis_name)
        try:
            return fun(*args)
        finally:
            _pmap_names.pop()

    if not static_broadcasted_argnums:  # built once: nothing new is created per call (torch.compile traces it)
        return vmap(per_device, in_axes=in_axes, out_axes=out_axes, axis_name=axis_name)

    def pmapped(*args: Any) -> Any:
        statics = {i: args[i] for i in static_broadcasted_argnums}
        dynamic = tuple(a for i, a in enumerate(args) if i not in statics)
        if isinstance(in_axes, tuple):
            dynamic_axes: Any = tuple(a for i, a in enumerate(in_axes) if i not in statics)
        else:
            dynamic_axes = in_axes

        def with_statics(*dynamic_args: Any) -> Any:
            values = iter(dynamic_args)
            return per_device(*(statics[i] if i in statics else next(values) for i in range(len(args))))

        return vmap(with_statics, in_axes=dynamic_axes, out_axes=out_axes, axis_name=axis_name)(*dynamic)

    return pmapped


# -- several processes -----------------------------------------------------------------------------------------------------


def initialize(
    coordinator_address: str | None,
    num_processes: int | None,
    process_id: int | None,
    local_device_ids: Sequence[int] | None,
) -> None:
    """``torch.distributed.init_process_group`` (gloo on CPU, nccl with CUDA) at ``coordinator_address``."""
    import torch.distributed as dist

    if coordinator_address is None or num_processes is None or process_id is None:
        raise ValueError(
            "portax.distributed.initialize on torch needs coordinator_address='host:port', num_processes and "
            "process_id (there is no cluster auto-detection)"
        )
    if local_device_ids is not None:
        raise UnsupportedError("torch", "distributed.initialize(local_device_ids=...)", "leave it out")
    dist.init_process_group(
        "nccl" if torch.cuda.is_available() else "gloo",
        init_method=f"tcp://{coordinator_address}",
        world_size=int(num_processes),
        rank=int(process_id),
    )


def shutdown() -> None:
    import torch.distributed as dist

    if dist.is_initialized():
        dist.destroy_process_group()


def process_index() -> int:
    return _world()[0]


def process_count() -> int:
    return _world()[1]
