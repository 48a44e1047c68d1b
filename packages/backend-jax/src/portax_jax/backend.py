"""The JAX backend class (announced through the ``portax.backends`` entry point)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

from portax.backend import DTYPE_NAMES, Backend


def _configure_virtual_devices() -> None:
    """Honour ``PORTAX_VIRTUAL_DEVICES=N`` by forcing N host devices, which only works before jax is imported."""
    count = os.environ.get("PORTAX_VIRTUAL_DEVICES")
    if not count or "jax" in sys.modules:
        return
    flag = f"--xla_force_host_platform_device_count={int(count)}"
    flags = os.environ.get("XLA_FLAGS", "")
    if "xla_force_host_platform_device_count" not in flags:
        os.environ["XLA_FLAGS"] = f"{flags} {flag}".strip()


class JaxBackend(Backend):
    """portax on JAX: ``portax.numpy`` is ``jax.numpy``, transformations are JAX's own."""

    name = "jax"
    distribution = "portax-jax"
    priority = 20
    array_modules = ("jax", "jaxlib")
    engine_modules = ("jax",)
    #: Module providing ``SAMPLERS`` for ``portax.random`` (imported on first use).
    random_module = "portax_jax.random"
    #: Module with native paths of ``portax.scipy`` (imported on first use).
    scipy_module = "portax_jax.scipy"
    #: Module with native kernels of ``portax.lax`` (imported on first use).
    lax_module = "portax_jax.lax_ops"
    accepts_array_likes = True

    def __init__(self) -> None:
        _configure_virtual_devices()
        import jax
        import jax.numpy as jnp

        from portax_jax import fft, linalg, numpy

        self._jax = jax
        self._numpy = numpy
        self._linalg = linalg
        self._fft = fft
        self._array_types = (jax.Array, jax.core.Tracer)
        self._dtypes = {name: getattr(jnp, name) for name in DTYPE_NAMES}
        from portax_jax.transforms import JaxTransforms

        self._transforms = JaxTransforms()
        self._capabilities: dict[bool, frozenset[str]] = {}

    @property
    def array_types(self) -> tuple[type, ...]:
        return self._array_types

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

    def apply_config(self, name: str, value: Any) -> bool:
        """Drive jax's own flags for portax's options (``jax_enable_x64``, ``jax_debug_nans``)."""
        if name in ("jax_enable_x64", "jax_debug_nans"):
            if bool(getattr(self._jax.config, name)) != bool(value):
                self._jax.config.update(name, bool(value))
                if name == "jax_debug_nans":
                    # jax 0.10.2 can reuse an eager op's executable compiled with the flag off (seen after a
                    # vmapped debug.callback), so the NaN goes unreported; fresh caches make the flag hold.
                    self._jax.clear_caches()
            return True
        return False

    @property
    def debug(self) -> ModuleType:
        """``portax.debug`` primitives on JAX (jax.debug, jax.make_jaxpr)."""
        from portax_jax import debug

        return debug

    @property
    def capabilities(self) -> frozenset[str]:
        x64 = bool(self._jax.config.jax_enable_x64)
        cached = self._capabilities.get(x64)  # checked on every transformation call: build it once per x64 mode
        if cached is None:
            caps = {"numpy", "linalg", "fft", "complex", "uint64"}
            caps |= {"grad", "jvp", "vmap", "jit", "custom_rules", "checkpoint", "checkpoint_policy", "eval_shape", "control_flow"}
            caps |= {"collectives", "collectives_jit", "pmap", "distributed"}
            caps.add("custom_rules_jit")  # custom_vjp/custom_jvp rules survive jit (compiled, not run eagerly)
            if x64:
                caps.add("float64")
            cached = self._capabilities[x64] = frozenset(caps)
        return cached

    @property
    def transforms(self) -> Any:
        return self._transforms

    @property
    def parallel(self) -> ModuleType:
        from portax_jax import parallel  # collectives, pmap, distributed

        return parallel

    @property
    def lax(self) -> Any:
        from portax_jax.lax import control_flow  # imported on first use of portax.lax control flow

        return control_flow

    def devices(self) -> Sequence[Any]:
        return self._jax.devices()

    def local_devices(self) -> Sequence[Any]:
        return self._jax.local_devices()
