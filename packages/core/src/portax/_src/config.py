"""portax's configuration options (``portax.config.update(name, value)``, as ``jax.config.update``).

Each option has a default that an environment variable may override when portax is imported. Options that change
how backends compute (``jax_enable_x64``, ``jax_debug_nans``) are pushed to every loaded backend when they change
and to each backend as it loads; like JAX's flags they are process-wide (not per thread).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any

from portax._src import registry


def _to_bool(value: Any) -> bool:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"expected a boolean (1/0/true/false), got {value!r}")
    return bool(value)


# name -> (environment variables, first set wins; default; converter)
_OPTIONS: dict[str, tuple[tuple[str, ...], Any, Any]] = {
    # The torch.compile backend used by ``portax.jit`` on torch: "inductor" (fast code, ~10 s cold compile on CPU)
    # or a cheaper one such as "aot_eager" (tests, notebooks). A per-call choice overrides it:
    # ``jit(f, compile_options={"torch": {"backend": "aot_eager"}})``.
    "torch_compile_backend": (("PORTAX_TORCH_COMPILE_BACKEND",), "inductor", str),
    # JAX's 64-bit mode: default float/int dtypes float64/int64 and 64-bit promotion, on every backend.
    "jax_enable_x64": (("PORTAX_ENABLE_X64", "JAX_ENABLE_X64"), False, _to_bool),
    # Raise FloatingPointError at the first NaN produced (granularity per backend: docs/x64-and-debugging.md).
    "jax_debug_nans": (("PORTAX_DEBUG_NANS", "JAX_DEBUG_NANS"), False, _to_bool),
    # JAX's meaning for the operators an engine's own arrays refuse (torch: a NumPy array on the left, `1 - mask`);
    # what the engine computes is never changed. `portax port` turns it on in the programs it translates.
    "portax_jax_operators": (("PORTAX_JAX_OPERATORS",), False, _to_bool),
}

#: Options pushed to backends: ``backend.apply_config(name, value)`` (optional; returns True when the backend
#: handles the option itself), then these core listeners ``(backend, name, value, handled)``.
BACKEND_OPTIONS = ("jax_enable_x64", "jax_debug_nans", "portax_jax_operators")
listeners: list[Callable[[Any, str, Any, bool], None]] = []


class Config:
    """Read options as attributes; change them with :meth:`update`."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        for name, (envs, default, convert) in _OPTIONS.items():
            raw = next((os.environ[env] for env in envs if os.environ.get(env)), None)
            self._values[name] = convert(raw) if raw else default

    def update(self, name: str, value: Any) -> None:
        """Set option ``name`` (one of :attr:`names`) to ``value``.

        Raises:
            KeyError: an unknown option name.
        """
        if name not in _OPTIONS:
            raise KeyError(f"unknown portax config option {name!r}; known options: {sorted(_OPTIONS)}")
        value = _OPTIONS[name][2](value)
        self._values[name] = value
        if name in BACKEND_OPTIONS:
            for backend in registry.loaded_backends():
                _push(backend, name, value)

    @property
    def names(self) -> list[str]:
        return sorted(_OPTIONS)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(f"unknown portax config option {name!r}") from None


config = Config()


def _push(backend: Any, name: str, value: Any) -> None:
    handled = bool(backend.apply_config(name, value))
    for listener in listeners:
        listener(backend, name, value, handled)


def _on_backend_loaded(backend: Any) -> None:
    for name in BACKEND_OPTIONS:
        if config._values[name] != _OPTIONS[name][1] or name == "jax_enable_x64":
            _push(backend, name, config._values[name])


registry.on_load.append(_on_backend_loaded)


def x64_enabled() -> bool:
    """Whether 64-bit mode is on (``jax_enable_x64``)."""
    return config._values["jax_enable_x64"]


@contextlib.contextmanager
def enable_x64(new_val: bool = True) -> Iterator[None]:
    """Turn 64-bit mode on (or set it to ``new_val``) inside the block, restoring the previous mode after.

    Process-wide, like ``jax.enable_x64``: do not switch it while another thread computes.

    Example:
        >>> import portax
        >>> with portax.enable_x64():
        ...     print(portax.dtypes.canonicalize_dtype(float))  # and jnp.array([1.0]) is float64 on every backend
        float64
    """
    previous = config._values["jax_enable_x64"]
    config.update("jax_enable_x64", new_val)
    try:
        yield
    finally:
        config.update("jax_enable_x64", previous)


def disable_x64() -> contextlib.AbstractContextManager[None]:
    """Turn 64-bit mode off inside the block (``enable_x64(False)``)."""
    return enable_x64(False)
