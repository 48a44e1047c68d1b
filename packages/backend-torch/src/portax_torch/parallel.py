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


#: Every process's devices after ``initialize`` on CPU (empty otherwise: the backend lists its own).
global_devices: list[VirtualDevice] = []


# -- finding the axis -------------------------------------------------------------------------------------------------


def _frame(axis_name: Hashable) -> tuple[int, Any]:
    """``(size, token)`` of the innermost named vmap called ``axis_name``."""
    for name, size, token in reversed(_frames()):
        if name == axis_name:
            return size, token
    raise NameError(
        f"unbound axis name: {axis_name!r}; collectives need an enclosing portax.vmap(..., axis_name={axis_name!r}) "
        f"or portax.pmap(..., axis_name={axis_name!r})"
    )


def _frames() -> list[tuple[Any, int, Any]]:
    """The live list of the named vmaps being run (``TorchTransforms``'s, outermost first)."""
    global _live_frames
    if _live_frames is None:
        _live_frames = portax.get_backend("torch").transforms._axis_frames
    return _live_frames


_live_frames: list[tuple[Any, int, Any]] | None = None


def _world() -> tuple[int, int]:
    """``(rank, world_size)`` of torch.distributed, ``(0, 1)`` when it is not initialized."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


@dataclasses.dataclass(frozen=True)
class ProcessSpan:
    """A named axis split over processes: this process holds ``local`` of its ``total`` instances, from ``offset``;
    ``group`` is the torch process group (by name) of the processes that share the other mesh coordinates."""

    group: str
    local: int
    total: int
    offset: int


#: Axis name -> its span, for the ``pmap``/``shard_map`` calls being run whose axes span processes (innermost last).
_spans: list[tuple[Hashable, ProcessSpan]] = []


def _span(axis_name: Hashable) -> ProcessSpan | None:
    for name, span in reversed(_spans):
        if name == axis_name:
            return span
    return None


# -- the collective as a batching rule ----------------------------------------------------------------------------------
#
# A ``torch.library`` custom op whose vmap rule does the work: unlike an ``autograd.Function`` with a ``vmap``
# staticmethod, dynamo traces a custom op's registered vmap and autograd rules, so ``portax.jit`` of a function with
# collectives compiles (``torch.compile(fullgraph=True)``). Parameters are ints: ``(axis, tiled)`` for all_gather,
# ``(dim, tiled)`` for psum_scatter, ``(split, concat, tiled)`` for all_to_all, ``(s0, d0, s1, d1, ...)`` for ppermute.


def _stacked(x: torch.Tensor, dim: int | None, size: int) -> torch.Tensor:
    """``x`` with the named axis at the front (broadcast when ``x`` is the same on every instance)."""
    return x.unsqueeze(0).expand(size, *x.shape) if dim is None else x.movedim(dim, 0)


def _shifted(op: str, params: list[int]) -> list[int]:
    """``params`` for the tensor with one more leading dimension (the batch dimension of another vmap level)."""
    if op in ("all_gather", "psum_scatter"):
        return [params[0] + 1, params[1]]
    if op == "all_to_all":
        return [params[0] + 1, params[1] + 1, params[2]]
    return params


def _at_named_level(x: torch.Tensor, dim: int | None, size: int, op: str, params: list[int]) -> tuple[Any, Any]:
    """The collective over a named axis held as dimension ``dim`` of ``x``: ``(result, its instance dimension)``."""
    if op == "psum":
        return (x * size if dim is None else x.sum(dim)), None
    if op == "pmean":  # only at the innermost level (pmean's fast path): the custom op knows psum, not pmean
        return (x if dim is None else x.mean(dim)), None
    if op in ("pmax", "pmin"):
        if dim is None:
            return x, None
        return (x.amax(dim) if op == "pmax" else x.amin(dim)), None
    if op == "all_gather":
        axis, tiled = params
        gathered = _stacked(x, dim, size).movedim(0, axis)
        return (gathered.flatten(axis, axis + 1) if tiled else gathered), None
    if op == "ppermute":
        source_of = {params[k + 1]: params[k] for k in range(0, len(params), 2)}
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
    if op == "all_to_all":
        # instance i receives block i of every instance j's split_axis, placed at index j along concat_axis
        split, concat, tiled = params
        stacked = _stacked(x, dim, size)  # (j, ...)
        if tiled:
            if stacked.shape[1 + split] % size:
                raise ValueError(
                    f"all_to_all(tiled=True): split_axis {split} of size {stacked.shape[1 + split]} is not a multiple "
                    f"of the axis size {size}"
                )
            stacked = stacked.unflatten(1 + split, (size, stacked.shape[1 + split] // size))
        elif stacked.shape[1 + split] != size:
            raise ValueError(
                f"all_to_all requires the size of the mapped axis axis_name to equal x.shape[split_axis], but they are "
                f"{size} and {stacked.shape[1 + split]} respectively (or pass tiled=True)"
            )
        received = stacked.movedim(1 + split, 0).movedim(1, 1 + concat)  # (i, ..., j at concat, ...)
        return (received.flatten(1 + concat, 2 + concat) if tiled else received), 0
    raise AssertionError(op)


def _across_processes(x: torch.Tensor, dim: int | None, span: ProcessSpan, op: str, params: list[int]) -> Any:
    """The collective over an axis whose instances live in several processes: every process's instances gathered
    (torch.distributed's functional all-gather), then computed as in one process, keeping this process's own
    instances; reductions gather only this process's partial result."""
    if op in ("psum", "pmax", "pmin"):
        local, _ = _at_named_level(x, dim, span.local, op, params)
        partials = _process_gather(local.unsqueeze(0), _span_key(span))
        return _at_named_level(partials, 0, span.total // span.local, op, params)[0], None
    gathered = _process_gather(_stacked(x, dim, span.local), _span_key(span))
    out, out_dim = _at_named_level(gathered, 0, span.total, op, params)
    return (out if out_dim is None else out.narrow(out_dim, span.offset, span.local)), out_dim


@torch.library.custom_op("portax::process_gather", mutates_args=())
def _process_gather(x: torch.Tensor, span: str) -> torch.Tensor:
    """Every process's ``x`` of the span's group concatenated along dimension 0, in process order."""
    import torch.distributed._functional_collectives as funcol

    group = _span_of_key(span).group
    with torch.no_grad():  # derivatives are the collectives' transposes (_Differentiable), not funcol's autograd
        return funcol.wait_tensor(funcol.all_gather_single(x.contiguous(), 0, group)).clone()


@_process_gather.register_fake
def _process_gather_fake(x: torch.Tensor, span: str) -> torch.Tensor:
    parts = _span_of_key(span)
    return x.new_empty((x.shape[0] * (parts.total // parts.local), *x.shape[1:]))


def _process_gather_vmap(info: Any, in_dims: tuple, x: torch.Tensor, span: str) -> Any:
    # batched over another map (an outer mesh axis): gather along dimension 0 with the batch dimension behind it
    if in_dims[0] is None:
        return _process_gather(x, span), None
    return _process_gather(x.movedim(in_dims[0], 1), span), 1


torch.library.register_vmap(_process_gather, _process_gather_vmap)


def _raw(x: torch.Tensor, kind: str, span: ProcessSpan) -> torch.Tensor:
    """One functional collective over the processes of ``span``, outside autograd (the callers define derivatives)."""
    import torch.distributed._functional_collectives as funcol

    with torch.no_grad():
        x = x.contiguous()
        if kind == "gather":
            out = funcol.all_gather_tensor(x, 0, span.group)
        else:
            out = funcol.all_reduce(x, kind, span.group)
        return funcol.wait_tensor(out)


@torch.library.custom_op("portax::collective", mutates_args=())
def _collective(x: torch.Tensor, token: torch.Tensor, op: str, params: list[int], span: str) -> torch.Tensor:
    # Only reached when no vmap level batches the token, i.e. the axis has ended.
    raise NameError(f"unbound axis name (lax.{op} was called outside its vmap/pmap/shard_map)")


@_collective.register_fake
def _collective_fake(x: torch.Tensor, token: torch.Tensor, op: str, params: list[int], span: str) -> torch.Tensor:
    return torch.empty_like(x)


def _collective_vmap(info: Any, in_dims: tuple, x: torch.Tensor, token: torch.Tensor, op: str, params: list[int],
                     span: str) -> Any:  # fmt: skip
    x_dim, token_dim = in_dims[0], in_dims[1]
    if token_dim is None:  # another vmap level: keep its batch dimension in front and go one level down
        if x_dim is None:
            return _collective(x, token, op, params, span), None
        return _collective(x.movedim(x_dim, 0), token, op, _shifted(op, params), span), 0
    if span:
        out, out_dim = _across_processes(x, x_dim, _span_of_key(span), op, params)
    else:
        out, out_dim = _at_named_level(x, x_dim, info.batch_size, op, params)
    # Every instance gets its own (equal) copy: the cotangent that comes back is then per instance, whether the
    # derivative is taken inside the named vmap or outside it, and the transpose rule is right in both cases.
    return (out, out_dim) if out_dim is not None else (out.unsqueeze(0).expand(info.batch_size, *out.shape), 0)


def _transpose(op: str, params: list[int]) -> tuple[str, list[int]]:
    """JAX's transpose rules: psum <-> psum, all_gather <-> psum_scatter, ppermute <-> inverse permutation,
    all_to_all <-> all_to_all with split and concat swapped."""
    if op in ("pmax", "pmin"):
        raise NotImplementedError(f"Differentiation rule for '{op}' not implemented")
    if op == "all_gather":
        return "psum_scatter", params
    if op == "psum_scatter":
        return "all_gather", params
    if op == "ppermute":
        return op, [v for k in range(0, len(params), 2) for v in (params[k + 1], params[k])]
    if op == "all_to_all":
        return op, [params[1], params[0], params[2]]
    return op, params


class _Differentiable(torch.autograd.Function):
    """The collective with JAX's transpose as its derivative (a custom op's own autograd rule does not compose with
    ``torch.func.grad``; an ``autograd.Function`` whose vmap rule is generated from the custom op's does)."""

    generate_vmap_rule = True

    @staticmethod
    def forward(x: torch.Tensor, token: torch.Tensor, op: str, params: str, span: str) -> torch.Tensor:  # type: ignore[override]
        # params travel as a string: functorch reads lists among the arguments as pytrees of batched values
        return _collective(x, token, op, [int(v) for v in params.split(",") if v], span)

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> None:
        _, token, ctx.op, ctx.params, ctx.span = inputs
        ctx.save_for_backward(token)


    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Any:
        (token,) = ctx.saved_tensors
        op, params = _transpose(ctx.op, [int(v) for v in ctx.params.split(",") if v])
        return _Differentiable.apply(grad, token, op, ",".join(map(str, params)), ctx.span), None, None, None, None


class _ForwardDifferentiable(_Differentiable):
    """``_Differentiable`` with forward mode too (``jvp``); used outside ``torch.compile``, whose dynamo refuses an
    autograd.Function with a custom jvp ("Unsupported custom jvp", torch 2.13)."""

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> None:
        _Differentiable.setup_context(ctx, inputs, output)
        ctx.save_for_forward(inputs[1])

    @staticmethod
    def jvp(ctx: Any, x_tangent: torch.Tensor, *unused: Any) -> torch.Tensor:
        (token,) = ctx.saved_tensors  # a collective is linear: its tangent is the collective of the tangent
        if ctx.op in ("pmax", "pmin"):
            raise NotImplementedError(f"Differentiation rule for '{ctx.op}' not implemented")
        return _ForwardDifferentiable.apply(x_tangent, token, ctx.op, ctx.params, ctx.span)


torch.library.register_vmap(_collective, _collective_vmap)

def _span_key(span: ProcessSpan | None) -> str:
    """The span as the custom op carries it (arguments are typed; a string needs no registry the op's vmap rule
    would read while dynamo defers the registry's updates)."""
    return "" if span is None else f"{span.group}|{span.local}|{span.total}|{span.offset}"


def _span_of_key(key: str) -> ProcessSpan:
    group, local, total, offset = key.split("|")
    return ProcessSpan(group, int(local), int(total), int(offset))


def _one(x: Any, axis_name: Hashable, op: str, params: list[int] | tuple = ()) -> Any:
    size, token = _frame(axis_name)
    span = _span(axis_name) if _spans else None
    compiling = torch.compiler.is_compiling()
    if span is None and not compiling:
        out = _at_innermost_level(x, size, token, op, list(params))
        if out is not None:
            return out
    function = _Differentiable if compiling else _ForwardDifferentiable
    return function.apply(x, token, op, ",".join(map(str, params)), _span_key(span))


_functorch = torch._C._functorch


def _at_innermost_level(x: Any, size: int, token: torch.Tensor, op: str, params: list[int]) -> Any:
    """The collective computed at once when its axis is the innermost transform (a data-parallel step's ``pmean`` of
    gradients): the batched value unwrapped at that level, the ordinary ops of ``_at_named_level``, the result wrapped
    back, or left unbatched where every instance gets the same value. Derivatives taken outside the map
    differentiate those ops (an unbatched value used by every instance gets the sum of their cotangents: psum's
    transpose). None when another transform (a ``grad`` or ``vmap`` inside the map) lies between: then the custom
    op and its rules are needed."""
    level = _functorch.maybe_get_level(token)
    if _functorch.maybe_current_level() != level or not isinstance(x, torch.Tensor):
        return None
    if _functorch.maybe_get_level(x) == level:
        dim = _functorch.maybe_get_bdim(x)
        x = _functorch.get_unwrapped(x)
    else:
        dim = None
    out, out_dim = _at_named_level(x, dim, size, op, params)
    # the same for every instance (psum, pmax, all_gather...): unbatched, so what follows computes it once
    return out if out_dim is None else _functorch._add_batch_dim(out, out_dim, level)


def _names(axis_name: Any) -> tuple:
    return tuple(axis_name) if isinstance(axis_name, tuple) else (axis_name,)


def _size(axis_name: Hashable) -> int:
    span = _span(axis_name) if _spans else None
    return span.total if span is not None else _frame(axis_name)[0]


# -- the primitives (called by portax._src.collectives) -------------------------------------------------------------------


def psum(x: Any, axis_name: Any) -> Any:
    for name in _names(axis_name):
        x = _one(x, name, "psum")
    return x


def pmean(x: Any, axis_name: Any) -> Any:
    if not isinstance(axis_name, tuple) and not _spans and isinstance(x, torch.Tensor) and x.is_floating_point():
        # the common case (gradients averaged over the innermost map): one mean over the named dimension
        size, token = _frame(axis_name)
        if not torch.compiler.is_compiling():
            out = _at_innermost_level(x, size, token, "pmean", [])
            if out is not None:
                return out
    names = _names(axis_name)
    total = 1
    for name in names:
        total *= _size(name)
        x = _one(x, name, "psum")
    return x / total


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
        x = _one(x, name, "all_gather", (axis, int(tiled)))
        if count and not tiled:
            x = x.flatten(axis, axis + 1)
    return x


def ppermute(x: Any, axis_name: Any, perm: tuple[tuple[int, int], ...]) -> Any:
    names = _names(axis_name)
    if len(names) != 1:
        raise UnsupportedError("torch", "lax.ppermute over several axis names", "permute over one axis at a time")
    size = _size(names[0])
    for source, dest in perm:
        if not (0 <= source < size and 0 <= dest < size):
            raise ValueError(f"ppermute: pair {(source, dest)} is out of range for axis {names[0]!r} of size {size}")
    return _one(x, names[0], "ppermute", [v for pair in perm for v in pair])


def psum_scatter(x: Any, axis_name: Any, scatter_dimension: int, tiled: bool) -> Any:
    names = _names(axis_name)
    if len(names) != 1:
        raise UnsupportedError("torch", "lax.psum_scatter over several axis names", "scatter over one axis at a time")
    if not -x.ndim <= scatter_dimension < x.ndim:
        raise ValueError(f"psum_scatter: scatter_dimension {scatter_dimension} is out of range for rank {x.ndim}")
    return _one(x, names[0], "psum_scatter", (scatter_dimension % x.ndim, int(tiled)))


def all_to_all(x: Any, axis_name: Any, split_axis: int, concat_axis: int, tiled: bool) -> Any:
    names = _names(axis_name)
    if len(names) != 1:
        raise UnsupportedError("torch", "lax.all_to_all over several axis names", "exchange over one axis at a time")
    ndim = x.ndim
    if not -ndim <= split_axis < ndim or not -ndim <= concat_axis < ndim:
        raise ValueError(
            f"all_to_all: split_axis {split_axis} and concat_axis {concat_axis} must be in [-{ndim}, {ndim}) for an "
            f"operand of rank {ndim}"
        )
    return _one(x, names[0], "all_to_all", (split_axis % ndim, concat_axis % ndim, int(tiled)))


def axis_size(axis_name: Hashable) -> int:
    """The size of one named axis (``portax.lax.axis_size``; core multiplies over a tuple of names)."""
    return _size(axis_name)


def axis_index(axis_name: Any) -> Any:
    index = None
    for name in _names(axis_name):
        _, token = _frame(name)
        span = _span(name)
        here = token + span.offset if span is not None else token
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
        rank, world = _world()
        if axis_name is None or world == 1:
            return fun(*args)
        # every process maps its own devices: the axis spans all processes, this one's instances first at rank * size
        size, _ = _frame(axis_name)
        _spans.append((axis_name, ProcessSpan(_world_group(), size, size * world, rank * size)))
        try:
            return fun(*args)
        finally:
            _spans.pop()

    if not static_broadcasted_argnums:  # built once: nothing new is created per call (torch.compile traces it)
        traced = vmap(per_device, in_axes=in_axes, out_axes=out_axes, axis_name=axis_name)
        if axis_name is None or out_axes != 0:
            return traced
        return _lean_pmap(per_device, traced, in_axes, axis_name)

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


def _lean_pmap(per_device: Any, traced: Any, in_axes: Any, axis_name: Hashable) -> Any:
    """``pmap`` with out_axes 0 as ``named_vmap`` over the flattened arguments, built once per argument structure and
    mapped size (what ``shard_map`` does); ``traced`` (``portax.vmap``) while torch.compile traces."""
    from portax import tree
    from portax.backend import broadcast_prefix

    plans: dict[Any, Any] = {}

    def pmapped(*args: Any) -> Any:
        if torch.compiler.is_compiling():
            return traced(*args)
        leaves, treedef = tree.flatten(args)
        axes = plans.get(treedef)
        if axes is None:
            axes = plans[treedef] = tuple(
                broadcast_prefix(in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args), args)
            )
        size = next(leaf.shape[a] for leaf, a in zip(leaves, axes, strict=True) if a is not None)
        key = (treedef, size)
        plan = plans.get(key)
        if plan is None:
            out: dict[str, Any] = {}

            def body(*flat: Any) -> tuple:
                out_leaves, out["def"] = tree.flatten(per_device(*tree.unflatten(treedef, list(flat))))
                return tuple(out_leaves)

            plan = plans[key] = (named_vmap(body, axes, axis_name, int(size), True), out)
        mapped, out = plan
        results = mapped(*leaves)
        return tree.unflatten(out["def"], list(results))

    return pmapped


# -- shard_map in one process ------------------------------------------------------------------------------------------


def named_vmap(fun: Any, in_axes: tuple, axis_name: Hashable, size: int, outermost: bool) -> Any:
    """``fun`` (flat arguments in, a tuple of arrays out) vectorized over the mesh axis ``axis_name``, out axis 0:
    the backend's named ``vmap`` (``transforms.vmap``: the axis token, bound while ``fun`` runs) without its pytree
    handling, which ``shard_map`` does once per call itself. Built once per shard_map plan. The outermost map clones
    the tensor arguments before mapping (cheaper than clones of batched tensors), so an in-place update inside never
    reaches the caller's arrays, as with ``portax.vmap``."""
    from portax_torch.numpy import asarray
    from portax_torch.transforms import _translating_vmap_errors

    frames = portax.get_backend("torch").transforms._axis_frames

    def body(*flat: Any) -> tuple:
        *flat, token = flat
        frames.append((axis_name, size, token))
        try:
            out = fun(*flat)
        finally:
            frames.pop()
        return tuple(leaf if isinstance(leaf, torch.Tensor) else asarray(leaf) for leaf in out)

    mapped = torch.func.vmap(body, in_dims=(*in_axes, 0), out_dims=0)
    token = torch.arange(size, dtype=torch.int32)  # never written: axis_index hands out clones

    def call(*args: Any) -> Any:
        if outermost:
            args = tuple(a.clone() if isinstance(a, torch.Tensor) else a for a in args)
        return mapped(*args, token)

    return _translating_vmap_errors(call)


# -- shard_map over several processes ----------------------------------------------------------------------------------
#
# Every process calls the shard_map with the same global arguments (as JAX does with host-local NumPy inputs) and
# runs the shards of its own devices, a box of the mesh. A mesh axis the box does not cover spans processes: its
# collectives go through torch.distributed over that axis's process group, taken from a torch ``DeviceMesh`` of the
# processes with the same axis names. At the boundary, four differentiable steps move values between the global
# arrays every process holds and its own shards; each derivative is the transpose under that convention (every
# process holds the same global value and gets the same cotangent for it).


def process_groups(axis_names: tuple[str, ...], process_grid: tuple[int, ...]) -> dict[str, str]:
    """Axis name -> process-group name, from ``init_device_mesh`` over the processes (created once per layout)."""
    key = (axis_names, process_grid)
    groups = _process_meshes.get(key)
    if groups is None:
        from torch.distributed.device_mesh import init_device_mesh

        mesh = init_device_mesh("cuda" if torch.cuda.is_available() else "cpu", process_grid, mesh_dim_names=axis_names)
        rank = _world()[0]
        if [int(c) for c in mesh.get_coordinate() or ()] != _row_major(rank, process_grid):
            raise UnsupportedError("torch", "a shard_map mesh whose devices are not in process order", "use make_mesh")
        groups = _process_meshes[key] = {name: mesh.get_group(name).group_name for name in axis_names}
    return groups


_process_meshes: dict[tuple, dict[str, str]] = {}


def _row_major(index: int, shape: tuple[int, ...]) -> list[int]:
    coords = []
    for size in reversed(shape):
        coords.append(index % size)
        index //= size
    return coords[::-1]


def bind_spans(spans: dict[Hashable, ProcessSpan]) -> int:
    """Bind mesh axis names to their spans while the per-shard program runs; returns what ``unbind_spans`` takes."""
    _spans.extend(spans.items())
    return len(spans)


def unbind_spans(count: int) -> None:
    del _spans[len(_spans) - count :]


def _gather_along(x: torch.Tensor, axis: int, span: ProcessSpan) -> torch.Tensor:
    return _raw(x.movedim(axis, 0), "gather", span).movedim(0, axis)


class _Shard(torch.autograd.Function):
    """This process's part of a global value along ``axis``; the transpose gathers the parts' cotangents."""

    @staticmethod
    def forward(x: torch.Tensor, axis: int, span: ProcessSpan) -> torch.Tensor:  # type: ignore[override]
        return x.narrow(axis, span.offset, span.local)

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> None:
        ctx.axis, ctx.span = inputs[1:]

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Any:
        return _Assemble.apply(grad, ctx.axis, ctx.span), None, None


class _Assemble(torch.autograd.Function):
    """Every process's part along ``axis`` put together; the transpose keeps this process's part."""

    @staticmethod
    def forward(x: torch.Tensor, axis: int, span: ProcessSpan) -> torch.Tensor:  # type: ignore[override]
        return _gather_along(x, axis, span)

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> None:
        ctx.axis, ctx.span = inputs[1:]

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Any:
        return _Shard.apply(grad, ctx.axis, ctx.span), None, None


class _Replicated(torch.autograd.Function):
    """A value every process of ``span`` uses whole; the transpose sums their cotangents (JAX's pvary)."""

    @staticmethod
    def forward(x: torch.Tensor, span: ProcessSpan) -> torch.Tensor:  # type: ignore[override]
        return x.view_as(x)

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> None:
        ctx.span = inputs[1]

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Any:
        return _raw(grad, "sum", ctx.span), None


class _FromFirst(torch.autograd.Function):
    """A value equal in every process of ``span``, counted once: only the first process passes its cotangent on."""

    @staticmethod
    def forward(x: torch.Tensor, span: ProcessSpan) -> torch.Tensor:  # type: ignore[override]
        return x.view_as(x)

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> None:
        ctx.span = inputs[1]

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Any:
        return (grad if ctx.span.offset == 0 else torch.zeros_like(grad)), None


def shard_of(x: Any, axis: int, span: ProcessSpan) -> Any:
    return _Shard.apply(x, axis, span)


def assemble(x: Any, axis: int, span: ProcessSpan) -> Any:
    return _Assemble.apply(x, axis, span)


def replicated(x: Any, span: ProcessSpan) -> Any:
    return _Replicated.apply(x, span)


def from_first(x: Any, span: ProcessSpan) -> Any:
    return _FromFirst.apply(x, span)


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
    local = len(portax.get_backend("torch").local_devices())
    # portax.devices() lists every process's devices, as jax.devices() does (CPU processes: virtual devices)
    if not torch.cuda.is_available():
        global_devices[:] = [
            VirtualDevice(p * local + i, process_index=p) for p in range(int(num_processes)) for i in range(local)
        ]


def sum_over_processes(x: torch.Tensor) -> torch.Tensor:
    """Every process's ``x`` summed (an all-reduce over all processes): a global array from the shards each holds."""
    rank, world = _world()
    if world == 1:
        return x
    wide = x.to(torch.int32) if x.dtype == torch.bool else x
    out = _raw(wide, "sum", ProcessSpan(_world_group(), 1, world, rank))
    return out.to(x.dtype) if x.dtype == torch.bool else out


def _world_group() -> str:
    import torch.distributed as dist

    return dist.group.WORLD.group_name


def shutdown() -> None:
    import torch.distributed as dist

    if dist.is_initialized():
        dist.destroy_process_group()
    global_devices.clear()
    _process_meshes.clear()


def process_index() -> int:
    return _world()[0]


def process_count() -> int:
    return _world()[1]
