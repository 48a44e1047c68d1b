"""``portax.debug`` on torch: host callbacks that survive ``torch.func`` transforms and ``torch.compile(fullgraph)``.

A callback is the custom operator ``portax::debug_callback(Tensor[] args, int callback_id) -> ()``:
- eagerly it calls the Python function;
- its vmap rule calls the operator once per lane with that lane's slices (JAX 0.10's batching of debug callbacks);
- its arguments are detached, so under ``torch.func.grad`` it sees primal values and adds nothing to the graph;
- it is registered as an ordered effectful operator, so ``torch.compile(fullgraph=True)`` keeps it in the graph
  (no graph break, no dead-code elimination) and runs it with the computed values, in program order.
The Python function is looked up by an integer id baked into the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

# (function, spec) -> id and back: one entry per callback site and argument structure, made at trace time.
_ids: dict[Any, int] = {}
_callbacks: dict[int, tuple[Callable[..., None], Any]] = {}


@torch.library.custom_op("portax::debug_callback", mutates_args=())
def _debug_callback(args: list[torch.Tensor], callback_id: int) -> None:
    from portax.backend import invoke

    function, spec = _callbacks[callback_id]
    invoke(function, spec, args)


@_debug_callback.register_fake
def _debug_callback_fake(args: list[torch.Tensor], callback_id: int) -> None:
    return None


def _debug_callback_vmap(info: Any, in_dims: Any, args: list[torch.Tensor], callback_id: int) -> tuple[None, None]:
    dims = in_dims[0]
    for lane in range(info.batch_size):
        _debug_callback([a if d is None else a.select(d, lane) for a, d in zip(args, dims, strict=True)], callback_id)
    return None, None


_debug_callback.register_vmap(_debug_callback_vmap)

try:  # keep the side effect under torch.compile (torch 2.13: private but the documented mechanism for effects)
    from torch._higher_order_ops.effects import _EffectType, _register_effectful_op

    _register_effectful_op(torch.ops.portax.debug_callback.default, _EffectType.ORDERED)
except (ImportError, AttributeError):  # pragma: no cover - older torch
    pass


# Run for real while dynamo traces (a traced dict update would only be replayed after the graph's first run, too
# late for the operator); the id is then a constant of the graph. Needs ``function`` and ``spec`` to be constants:
# a callback defined outside the jitted function.
@torch._dynamo.assume_constant_result
def _register(function: Callable[..., None], spec: Any) -> int:
    entry = (function, spec)
    try:
        key: Any = hash(entry) and entry
    except TypeError:  # an unhashable constant argument (a NumPy array): one entry per call, kept alive here
        key = (id(function), id(spec))
    callback_id = _ids.get(key)
    if callback_id is None:
        callback_id = _ids[key] = len(_callbacks)
        _callbacks[callback_id] = entry
    return callback_id


def callback(function: Callable[..., None], spec: Any, arrays: Sequence[Any], ordered: bool) -> None:
    """Call ``function`` with the arguments ``spec`` describes around ``arrays`` (through the custom operator)."""
    if not arrays:
        from portax.backend import invoke

        invoke(function, spec, ())
        return
    _debug_callback([a.detach() for a in arrays], _register(function, spec))


def to_numpy(x: torch.Tensor) -> np.ndarray:
    """A host NumPy copy of a tensor (detached, conjugation resolved)."""
    x = x.detach().cpu().resolve_conj().resolve_neg()
    if x.dtype == torch.bfloat16:
        import ml_dtypes

        return x.float().numpy().astype(ml_dtypes.bfloat16)
    return x.numpy()


def has_nan(x: Any) -> bool:
    """Whether ``x`` is a concrete floating tensor holding a NaN (tensors inside transforms are not inspected)."""
    if torch.compiler.is_compiling() or not isinstance(x, torch.Tensor):
        return False
    if not (x.is_floating_point() or x.is_complex()) or torch._C._functorch.is_functorch_wrapped_tensor(x):
        return False
    return bool(torch.isnan(x).any())


def make_jaxpr(fun: Callable[..., Any], static_argnums: tuple[int, ...]) -> Callable[..., Any]:
    """``fun`` traced by ``torch.fx.experimental.proxy_tensor.make_fx``: a printable ``TracedProgram``."""
    from portax.backend import TracedProgram
    from torch.fx.experimental.proxy_tensor import make_fx

    def traced(*args: Any, **kwargs: Any) -> TracedProgram:
        dynamic = [i for i in range(len(args)) if i not in static_argnums]

        def positional(*dynamic_args: Any) -> Any:
            full = list(args)
            for i, value in zip(dynamic, dynamic_args, strict=True):
                full[i] = value
            return fun(*full, **kwargs)

        inputs = [args[i] if isinstance(args[i], torch.Tensor) else torch.as_tensor(args[i]) for i in dynamic]
        graph = make_fx(positional)(*inputs)
        return TracedProgram("torch", graph, graph.code.strip())

    return traced
