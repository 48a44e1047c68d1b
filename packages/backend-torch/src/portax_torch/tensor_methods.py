"""The ``jax.Array`` names that ``torch.Tensor`` lacks, added to it when the torch backend loads.

Only names torch does not define are added (``x.at``, ``x.astype``, ``x.block_until_ready()``, ...); an existing
torch method is never replaced, so torch code keeps torch's meaning. Methods whose JAX meaning differs from the torch
method of the same name (``x.std()``, ``x.repeat``, ``x.size``, ...) stay torch's: ``portax port`` rewrites them into
``portax.numpy`` calls (docs/porting-jax.md). The added names work eagerly, under ``torch.func`` transforms (whose
wrapped tensors are ``torch.Tensor`` instances) and under ``torch.compile``: dynamo inlines plain methods, and
:func:`_teach_dynamo_the_at_property` makes it trace ``x.at`` as the call ``portax.numpy.at(x)``.

Under ``portax.jit`` (only there: torch's own ``torch.compile`` keeps torch's meaning), ``x[i]`` with a traced 0-d
integer tensor ``i`` is JAX's dynamic index (:func:`dynamic_index`): torch would call ``i.item()`` and fail with a
data-dependent error; JAX clamps an out-of-bounds dynamic index, and so does portax.
"""

from __future__ import annotations

import operator
import os
import sys
from typing import Any

import numpy as np
import portax.numpy as pnp
import torch
from portax import block_until_ready as _block_until_ready
from portax.numpy import at as _at

from portax_torch._transform_state import TRANSFORM_STATE


def _astype(self: torch.Tensor, dtype: Any, copy: bool = False, device: Any = None) -> torch.Tensor:
    """``jax.Array.astype``: ``portax.numpy.astype(x, dtype)`` (any dtype spelling: torch, NumPy, str, jnp)."""
    return pnp.astype(self, dtype, copy=copy, device=device)


def _block_until_ready_method(self: torch.Tensor) -> torch.Tensor:
    """``jax.Array.block_until_ready``: wait until ``x`` is computed (CUDA streams); return ``x``."""
    return _block_until_ready(self)


def _copy_to_host_async(self: torch.Tensor) -> None:
    """``jax.Array.copy_to_host_async``: a hint in JAX; nothing to start on torch (``x.cpu()`` copies when read)."""


def _addressable_data(self: torch.Tensor, index: int) -> torch.Tensor:
    """``jax.Array.addressable_data``: the shard on local device ``index``; a torch tensor is its only shard."""
    if index != 0:
        raise IndexError(f"addressable_data({index}): a torch tensor has one shard, on {self.device}; use index 0")
    return self


def _devices(self: torch.Tensor) -> set[torch.device]:
    """``jax.Array.devices``: the set of devices holding ``x``."""
    return {self.device}


def _argpartition(self: torch.Tensor, kth: int, axis: int = -1) -> torch.Tensor:
    return pnp.argpartition(self, kth, axis=axis)


def _choose(self: torch.Tensor, choices: Any, out: None = None, mode: str = "raise") -> torch.Tensor:
    return pnp.choose(self, choices, out=out, mode=mode)


def _compress(self: torch.Tensor, condition: Any, axis: int | None = None, **kwargs: Any) -> torch.Tensor:
    return pnp.compress(condition, self, axis=axis, **kwargs)  # jax.Array.compress: the array is the 2nd argument


def _conjugate(self: torch.Tensor) -> torch.Tensor:
    return pnp.conjugate(self)


def _copy(self: torch.Tensor, order: None = None) -> torch.Tensor:
    return pnp.copy(self, order=order)


def _ptp(self: torch.Tensor, axis: Any = None, out: None = None, keepdims: bool = False) -> torch.Tensor:
    return pnp.ptp(self, axis=axis, out=out, keepdims=keepdims)


def _searchsorted(self: torch.Tensor, v: Any, side: str = "left", sorter: Any = None, **kwargs: Any) -> torch.Tensor:
    return pnp.searchsorted(self, v, side=side, sorter=sorter, **kwargs)


#: name -> what ``torch.Tensor`` gets, for every ``jax.Array`` name (jax 0.10) torch lacks and portax can provide.
JAX_ONLY_NAMES: dict[str, Any] = {
    "at": property(_at, doc="``jax.Array.at``: ``x.at[idx].set(v)`` is ``portax.numpy.at(x)[idx].set(v)``."),
    "astype": _astype,
    "block_until_ready": _block_until_ready_method,
    "copy_to_host_async": _copy_to_host_async,
    "addressable_data": _addressable_data,
    "devices": _devices,
    "argpartition": _argpartition,
    "choose": _choose,
    "compress": _compress,
    "conjugate": _conjugate,
    "copy": _copy,
    "ptp": _ptp,
    "searchsorted": _searchsorted,
}


def _teach_dynamo_the_at_property() -> None:
    # dynamo traces unknown Tensor *methods* by inlining them, but an unknown *property* becomes an opaque
    # GetAttrVariable that cannot be indexed ("Unsupported python_type() call"); TensorVariable looks up
    # ``method_attr_<name>`` handlers for attributes it models (torch 2.13), so ``x.at`` gets one: trace it as
    # the call ``portax.numpy.at(x)``, which dynamo inlines like any portable ``jnp.at(x)[...]``.
    try:
        from torch._dynamo.variables import VariableTracker
        from torch._dynamo.variables.tensor import TensorVariable
    except ImportError:  # pragma: no cover - a torch without dynamo: eager use still works
        return
    if hasattr(TensorVariable, "method_attr_at"):
        return

    def method_attr_at(self: Any, tx: Any) -> Any:
        return VariableTracker.build(tx, _at).call_function(tx, [self], {})

    TensorVariable.method_attr_at = method_attr_at


def dynamic_index(x: torch.Tensor, index: Any) -> torch.Tensor:
    """``x[index]`` where ``index`` holds 0-d integer tensors: each is JAX's dynamic index (negative counts from the
    end, out of bounds clamps), taken with ``index_select``, so no ``.item()`` is needed under ``torch.compile``."""
    items = index if isinstance(index, tuple) else (index,)
    used = sum(1 for item in items if item is not None and item is not Ellipsis)
    out = []
    dim = 0
    for item in items:
        if item is Ellipsis:
            dim += x.ndim - used
        elif isinstance(item, torch.Tensor):
            size = x.shape[dim]
            position = torch.where(item < 0, item + size, item).clamp(0, max(size - 1, 0))
            x = x.index_select(dim, position.reshape(1).to(torch.int64))
            item = 0
        out.append(item)
        if item is not None and item is not Ellipsis:
            dim += 1
    return x[tuple(out)]


def _is_dynamic_index(key: Any) -> bool:
    """Whether dynamo variable ``key`` is an index with a traced 0-d integer tensor and otherwise constants."""
    from torch._dynamo.variables.lists import TupleVariable
    from torch._dynamo.variables.tensor import TensorVariable

    items = key.items if isinstance(key, TupleVariable) else [key]
    dynamic = False
    for item in items:
        if isinstance(item, TensorVariable):
            dtype = item.dtype
            if item.ndim != 0 or dtype is None or dtype.is_floating_point or dtype.is_complex or dtype == torch.bool:
                return False
            dynamic = True
        elif not item.is_python_constant():
            return False
    return dynamic


def _teach_dynamo_dynamic_indexing() -> None:
    # Torch indexes with a 0-d integer tensor by calling `.item()`, which fails under torch.compile(fullgraph=True)
    # ("data-dependent expression"); while portax.jit traces, such an index becomes `dynamic_index(x, key)` (JAX's
    # meaning). Dynamo puts `tensor[key]` in the graph through BuiltinVariable._handle_insert_op_in_graph (torch
    # 2.13); outside portax.jit its own handler runs, so torch.compile of torch code is unchanged.
    try:
        from portax.backend import tracing_backend
        from torch._dynamo.variables import VariableTracker
        from torch._dynamo.variables.builtin import BuiltinVariable
        from torch._dynamo.variables.tensor import TensorVariable
    except ImportError:  # pragma: no cover - a torch without dynamo
        return
    original = BuiltinVariable._handle_insert_op_in_graph
    if getattr(original, "_portax", False):
        return

    def _handle_insert_op_in_graph(self: Any, tx: Any, args: Any, kwargs: Any) -> Any:
        if (
            self.fn is operator.getitem
            and len(args) == 2
            and not kwargs
            and isinstance(args[0], TensorVariable)
            and tracing_backend() is not None
            and _is_dynamic_index(args[1])
        ):
            return VariableTracker.build(tx, dynamic_index).call_function(tx, list(args), {})
        return original(self, tx, args, kwargs)

    _handle_insert_op_in_graph._portax = True  # type: ignore[attr-defined]
    BuiltinVariable._handle_insert_op_in_graph = _handle_insert_op_in_graph
    BuiltinVariable.call_function_handler_cache.clear()  # handlers made before hold the original bound method


#: Dynamo's graph-break type for ``float(x)``/``int(x)``/``x.item()`` of a traced tensor under ``portax.jit`` (the
#: words "data-dependent" make ``portax_torch.transforms`` raise ``ConcretizationError`` for it).
CONCRETE_VALUE_UNDER_JIT = "portax.jit: a Python number from a traced tensor (a data-dependent value)"


def _teach_dynamo_to_refuse_concrete_values() -> None:
    # JAX raises ConcretizationTypeError for float(x)/int(x)/x.item() of a traced value under jit; dynamo (torch 2.13,
    # fullgraph) captures the number as a symbolic scalar and compiles, so the program silently runs on torch and
    # fails on JAX. All three reach TensorVariable.method_item (nb_float_impl/nb_int_impl call it): while portax.jit
    # traces (only there: torch.compile of torch code is unchanged), an item() in the user's code stops the trace;
    # portax's own functions (a static value they read from a constant) keep dynamo's handling.
    try:
        import portax
        from portax.backend import tracing_backend
        from torch._dynamo.exc import unimplemented
        from torch._dynamo.variables.tensor import TensorVariable
    except ImportError:  # pragma: no cover - a torch without dynamo
        return
    original = TensorVariable.method_item
    if getattr(original, "_portax", False):
        return
    own_code = tuple(os.path.dirname(module.__file__) + os.sep for module in (portax, sys.modules[__package__]))

    def method_item(self: Any, tx: Any, *args: Any, **kwargs: Any) -> Any:
        if tracing_backend() is not None and not getattr(tx.f_code, "co_filename", "").startswith(own_code):
            unimplemented(
                gb_type=CONCRETE_VALUE_UNDER_JIT,
                context=f"call_method {self} item {args} {kwargs}",
                explanation="float(x), int(x) or x.item() of a traced array inside portax.jit: its value is not "
                "known while tracing (as JAX: ConcretizationTypeError)",
                hints=["keep the computation in portax.numpy, or mark the argument static (jit(static_argnums=...))"],
            )
        return original(self, tx, *args, **kwargs)

    method_item._portax = True  # type: ignore[attr-defined]
    TensorVariable.method_item = method_item


def _refusing_traced(name: str, original: Any, under_differentiation: bool) -> Any:
    """``original`` (``Tensor.__float__``, ...), raising JAX's ``ConcretizationTypeError`` for a tensor that JAX would
    hold as a tracer without a concrete value: batched by ``vmap`` always, and for ``float()`` also one being
    differentiated (grad, jvp, vjp). As jax 0.10: ``grad(lambda x: float(x) * x)`` raises, while ``int(x)`` and
    ``x.item()`` under grad give the number (JAX knows the primal there); torch would give numbers in every case.
    Only inside portax's own transformations (:data:`TRANSFORM_STATE`): torch's ``torch.func`` keeps its meaning."""
    from portax.errors import ConcretizationError

    functorch = torch._C._functorch
    state = TRANSFORM_STATE

    def traced(tensor: torch.Tensor) -> bool:
        if not state.depth or not functorch.is_functorch_wrapped_tensor(tensor):
            return False
        if functorch.is_batchedtensor(tensor):
            return True
        if not under_differentiation:
            return False
        if tensor.requires_grad:
            return True
        from portax_torch.transforms import _forward_mode_active

        return _forward_mode_active()

    is_compiling = torch.compiler.is_compiling

    def method(self: torch.Tensor, *args: Any) -> Any:
        # While dynamo traces, torch's own conversion is what it knows how to trace (a graph break, or a
        # ConcretizationError from portax.jit); the functorch queries below are opaque builtins to it.
        if not is_compiling() and traced(self):
            raise ConcretizationError(
                f"{name} of a traced array inside a transformation: its value is not known while tracing (as JAX); "
                "keep the computation in portax.numpy (use x itself, or portax.lax.stop_gradient(x) for a value "
                "without derivative), or pass the number as a static argument"
            )
        return original(self, *args)

    method.__name__ = original.__name__
    method.__doc__ = original.__doc__
    method.__wrapped__ = original  # type: ignore[attr-defined]
    return method


#: ``torch.Tensor`` conversions to Python numbers refused for traced tensors as JAX does (see _refusing_traced):
#: name -> whether differentiation (not only vmap) makes the value unknown.
CONCRETE_CONVERSIONS = {"__float__": True, "__int__": False, "item": False}


def install() -> None:
    """Add :data:`JAX_ONLY_NAMES` to ``torch.Tensor``, skipping any name torch (or someone else) already defines; make
    :data:`CONCRETE_CONVERSIONS` refuse tensors traced by a transformation (the only torch methods changed, and only
    for ``torch.func``-wrapped tensors, whose number torch would give silently)."""
    for name, value in JAX_ONLY_NAMES.items():
        if name not in vars(torch.Tensor) and not hasattr(torch._C.TensorBase, name):
            setattr(torch.Tensor, name, value)
    for name, under_differentiation in CONCRETE_CONVERSIONS.items():
        original = getattr(torch.Tensor, name)
        if not hasattr(original, "__wrapped__"):
            setattr(torch.Tensor, name, _refusing_traced(f"Tensor.{name}()", original, under_differentiation))
    _teach_dynamo_the_at_property()
    _teach_dynamo_dynamic_indexing()
    _teach_dynamo_to_refuse_concrete_values()


# -- opt-in: JAX's meaning for the operators torch refuses (config option ``portax_jax_operators``) -----------------


def _reflected(name: str, op: Any) -> Any:
    original = vars(torch.Tensor).get(name) or getattr(torch._C.TensorBase, name)

    def reflected(self: torch.Tensor, other: Any) -> Any:
        if isinstance(other, np.ndarray) or (name == "__rsub__" and self.dtype == torch.bool):
            return op(other, self)  # torch raises TypeError/RuntimeError here: JAX computes
        return original(self, other)

    reflected.__name__ = name
    return reflected


def _forward(name: str, op: Any) -> Any:
    original = vars(torch.Tensor).get(name) or getattr(torch._C.TensorBase, name)

    def forward(self: torch.Tensor, other: Any) -> Any:
        if isinstance(other, np.ndarray) or (
            name == "__sub__"
            and (self.dtype == torch.bool or (isinstance(other, torch.Tensor) and other.dtype == torch.bool))
        ):
            return op(self, other)  # torch raises TypeError/RuntimeError here: JAX computes
        return original(self, other)

    forward.__name__ = name
    return forward


def _jax_operators() -> dict[str, Any]:
    reflected = {
        "__radd__": pnp.add,
        "__rsub__": pnp.subtract,
        "__rmul__": pnp.multiply,
        "__rmatmul__": pnp.matmul,
        "__rtruediv__": pnp.true_divide,
        "__rfloordiv__": pnp.floor_divide,
        "__rmod__": pnp.remainder,
        "__rpow__": pnp.power,
    }
    forward = {
        "__add__": pnp.add,
        "__sub__": pnp.subtract,
        "__mul__": pnp.multiply,
        "__matmul__": pnp.matmul,
        "__truediv__": pnp.true_divide,
        "__floordiv__": pnp.floor_divide,
        "__mod__": pnp.remainder,
        "__pow__": pnp.power,
        "__lt__": pnp.less,
        "__le__": pnp.less_equal,
        "__gt__": pnp.greater,
        "__ge__": pnp.greater_equal,
    }
    operators = {name: _reflected(name, op) for name, op in reflected.items()}
    operators.update({name: _forward(name, op) for name, op in forward.items()})
    operators["__getitem__"] = _clamping_getitem()
    return operators


def _clamping_getitem() -> Any:
    original = vars(torch.Tensor).get("__getitem__") or torch._C.TensorBase.__getitem__

    def __getitem__(self: torch.Tensor, index: Any) -> Any:
        try:
            return original(self, index)
        except IndexError:  # out of bounds: JAX clamps a read (x[11] of 10 elements is x[9])
            return _at(self)[index].get()

    return __getitem__


#: name -> torch's own operator, while the JAX operators are installed.
_torch_operators: dict[str, Any] = {}


def set_jax_operators(enabled: bool) -> None:
    """Give ``torch.Tensor``'s operators JAX's meaning where torch refuses them (``portax_jax_operators``).

    Only operations torch does not compute itself change: an arithmetic or comparison operator with a NumPy array
    operand (on the left torch raises ``TypeError``; on the right torch hands the operation to NumPy, which
    computes in float64 and fails under ``grad``), ``-`` with one boolean operand (``1 - mask``, torch:
    ``RuntimeError``) and an out-of-bounds read ``x[11]`` (torch: ``IndexError``; JAX clamps) compute JAX's result
    with :mod:`portax.numpy`; every operation torch computes keeps torch's result. Off by default (it wraps
    torch's operators process-wide); ``portax port --jax-operators`` turns it on in the programs it translates.
    """
    if enabled and not _torch_operators:
        for name, operator_ in _jax_operators().items():
            _torch_operators[name] = vars(torch.Tensor).get(name, _MISSING)
            setattr(torch.Tensor, name, operator_)
    elif not enabled and _torch_operators:
        for name, original in _torch_operators.items():
            if original is _MISSING:
                delattr(torch.Tensor, name)
            else:
                setattr(torch.Tensor, name, original)
        _torch_operators.clear()


_MISSING: Any = object()
