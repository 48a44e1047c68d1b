"""The PyTorch backend class (announced through the ``portax.backends`` entry point)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

from portax.backend import DTYPE_NAMES, Backend


class TorchBackend(Backend):
    """portax on PyTorch: ``portax.numpy`` with JAX's semantics on ``torch.Tensor``."""

    name = "torch"
    distribution = "portax-torch"
    priority = 10
    array_modules = ("torch",)
    engine_modules = ("torch",)
    #: Module providing ``SAMPLERS`` for ``portax.random`` (imported on first use).
    random_module = "portax_torch.random"
    #: Module with native paths of ``portax.scipy`` (imported on first use).
    scipy_module = "portax_torch.scipy"
    #: Module with native kernels of ``portax.lax`` (imported on first use).
    lax_module = "portax_torch.lax_ops"
    accepts_array_likes = False

    def __init__(self) -> None:
        import torch

        from portax_torch import (
            fft,
            lax_ops as _lax_hooks,  # noqa: F401  (imported now: dynamo cannot trace importlib)
            linalg,
            numpy,
            scipy as _scipy_hooks,  # noqa: F401  (imported now: dynamo cannot trace importlib)
        )

        self._torch = torch
        self._numpy = numpy
        self._linalg = linalg
        self._fft = fft
        self._dtypes = {name: getattr(torch, name) for name in DTYPE_NAMES}
        from portax_torch.transforms import TorchTransforms

        self._transforms = TorchTransforms(self)
        from portax.backend import register_tuple_like

        register_tuple_like(torch.Size)  # JAX's x.shape is a tuple: a pytree node, not a leaf
        from portax_torch import parallel

        self._parallel = parallel
        # Read once, like JAX reads --xla_force_host_platform_device_count when it starts.
        self._virtual_devices = parallel.virtual_devices()
        # Listed once (torch.compile cannot trace torch.cuda.device_count, and pmap checks sizes while tracing).
        cuda = [torch.device("cuda", i) for i in range(torch.cuda.device_count())]
        self._device_list = cuda or self._virtual_devices or [torch.device("cpu")]
        from portax_torch import tensor_methods

        tensor_methods.install()  # x.at, x.astype, x.block_until_ready(), ...: names torch lacks, none replaced

    @property
    def array_types(self) -> tuple[type, ...]:
        return (self._torch.Tensor,)

    @property
    def numpy(self) -> ModuleType:
        return self._numpy

    @property
    def native_functions(self) -> Mapping[str, Any]:
        from portax_torch._dtypes import x64_enabled
        from portax_torch.natives import NATIVE_FUNCTIONS, NATIVE_FUNCTIONS_X64_OFF

        return NATIVE_FUNCTIONS if x64_enabled() else NATIVE_FUNCTIONS_X64_OFF

    @property
    def numpy_linalg(self) -> ModuleType:
        return self._linalg

    @property
    def numpy_fft(self) -> ModuleType:
        return self._fft

    @property
    def dtypes(self) -> Mapping[str, Any]:
        return self._dtypes

    @property
    def capabilities(self) -> frozenset[str]:
        return self._capabilities

    _capabilities = frozenset(
        {"numpy", "linalg", "fft", "float64", "complex"}
        | {"grad", "jvp", "vmap", "jit", "custom_rules", "checkpoint", "eval_shape", "control_flow"}
        | {"collectives", "collectives_jit", "pmap", "distributed"}
    )

    @property
    def transforms(self) -> Any:
        return self._transforms

    @property
    def parallel(self) -> ModuleType:
        return self._parallel

    @property
    def lax(self) -> Any:
        from portax_torch.lax import control_flow  # imported on first use of portax.lax control flow

        return control_flow

    def apply_config(self, name: str, value: Any) -> bool:
        """Follow portax's process-wide options; True when handled here (debug_nans is checked by core)."""
        if name == "jax_enable_x64":
            from portax_torch._dtypes import set_x64

            set_x64(value)
            return True
        if name == "portax_jax_operators":
            from portax_torch.tensor_methods import set_jax_operators

            set_jax_operators(value)
            return True
        return False

    @property
    def debug(self) -> ModuleType:
        """``portax.debug`` primitives (callbacks, traced graphs) on torch."""
        from portax_torch import debug

        return debug

    def translate_engine_error(self, module: str, name: str, error: BaseException) -> BaseException | None:
        """JAX's exception class for torch's error in ``portax.<module>.<name>`` (see ``portax_torch.errors``)."""
        from portax_torch.errors import translate

        return translate(module, name, error)

    def devices(self) -> Sequence[Any]:
        return self._parallel.global_devices or self._device_list

    def local_devices(self) -> Sequence[Any]:
        """This process's devices (``devices()`` lists every process's after ``portax.distributed.initialize``)."""
        return self._device_list
