"""The toy backend class: what portax needs from a plugin, and nothing more."""

from __future__ import annotations

from types import ModuleType

from portax.backend import Backend


class ToyBackend(Backend):
    """NumPy behind portax's protocol, with a handful of ``portax.numpy`` functions and no transformations."""

    name = "toy"  # PORTAX_BACKEND=toy, portax.use_backend("toy"), pytest tests --backend toy
    distribution = "portax-toy"  # named in "not installed" errors
    priority = -10  # below jax (20) and torch (10): never the default by accident
    array_modules = ("portax_toy",)  # arrays whose type comes from this module belong to this backend
    engine_modules = ("numpy",)  # must be importable for the backend to be listed by portax.backends()

    def __init__(self) -> None:
        from portax_toy import numpy as toy_numpy  # the "engine import": only now, not at discovery

        self._numpy = toy_numpy

    @property
    def array_types(self) -> tuple[type, ...]:
        return (self._numpy.ToyArray,)

    @property
    def numpy(self) -> ModuleType:
        return self._numpy

    @property
    def dtypes(self) -> dict[str, object]:
        return self._numpy.DTYPES

    @property
    def capabilities(self) -> frozenset[str]:
        # Only what it has: no linalg, fft, float64 or transformations. portax raises UnsupportedError for the rest.
        return frozenset({"numpy"})

    def devices(self) -> list[str]:
        return ["cpu"]
