"""The ``jax.Array`` names that ``torch.Tensor`` lacks, added to it when the torch backend loads.

Only names torch does not define are added (``x.at``, ``x.astype``, ``x.block_until_ready()``, ...); an existing
torch method is never replaced, so torch code keeps torch's meaning. Methods whose JAX meaning differs from the torch
method of the same name (``x.std()``, ``x.repeat``, ``x.size``, ...) stay torch's: ``portax port`` rewrites them into
``portax.numpy`` calls (docs/porting-jax.md). The added names work eagerly, under ``torch.func`` transforms (whose
wrapped tensors are ``torch.Tensor`` instances) and under ``torch.compile``: dynamo inlines plain methods, and
:func:`_teach_dynamo_the_at_property` makes it trace ``x.at`` as the call ``portax.numpy.at(x)``.
"""

from __future__ import annotations

from typing import Any

import portax.numpy as pnp
import torch
from portax._src.numpy.at import at as _at
from portax._src.transforms import block_until_ready as _block_until_ready


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


def _refusing_traced(name: str, original: Any, under_differentiation: bool) -> Any:
    """``original`` (``Tensor.__float__``, ...), raising JAX's ``ConcretizationTypeError`` for a tensor that JAX would
    hold as a tracer without a concrete value: batched by ``vmap`` always, and for ``float()`` also one being
    differentiated (grad, jvp, vjp). As jax 0.10: ``grad(lambda x: float(x) * x)`` raises, while ``int(x)`` and
    ``x.item()`` under grad give the number (JAX knows the primal there); torch would give numbers in every case."""
    from portax.errors import ConcretizationError

    functorch = torch._C._functorch

    def traced(tensor: torch.Tensor) -> bool:
        if not functorch.is_functorch_wrapped_tensor(tensor):
            return False
        if functorch.is_batchedtensor(tensor):
            return True
        if not under_differentiation:
            return False
        if tensor.requires_grad:
            return True
        from portax_torch.transforms import _forward_mode_active

        return _forward_mode_active()

    def method(self: torch.Tensor, *args: Any) -> Any:
        if traced(self):
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
