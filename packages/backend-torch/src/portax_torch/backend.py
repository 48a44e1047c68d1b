"""The PyTorch backend class (announced through the ``portax.backends`` entry point)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

from portax import Backend
from portax._src.backend import DTYPE_NAMES


class TorchBackend(Backend):
    """portax on PyTorch: ``portax.numpy`` with JAX's semantics on ``torch.Tensor``."""

    name = "torch"
    distribution = "portax-torch"
    priority = 10
    array_modules = ("torch",)
    engine_modules = ("torch",)
    #: Module providing ``SAMPLERS`` for ``portax.random`` (imported on first use).
    random_module = "portax_torch.random"
    accepts_array_likes = False

    def __init__(self) -> None:
        import torch

        from portax_torch import fft, linalg, numpy

        self._torch = torch
        self._numpy = numpy
        self._linalg = linalg
        self._fft = fft
        self._dtypes = {name: getattr(torch, name) for name in DTYPE_NAMES}
        from portax_torch.transforms import TorchTransforms

        self._transforms = TorchTransforms(self)

    @property
    def array_types(self) -> tuple[type, ...]:
        return (self._torch.Tensor,)

    @property
    def numpy(self) -> ModuleType:
        return self._numpy

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
        | {"grad", "jvp", "vmap", "jit", "custom_rules", "checkpoint", "eval_shape"}
    )

    @property
    def transforms(self) -> Any:
        return self._transforms

    def devices(self) -> Sequence[Any]:
        torch = self._torch
        devices = [torch.device("cuda", i) for i in range(torch.cuda.device_count())]
        return devices or [torch.device("cpu")]
