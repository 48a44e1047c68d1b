"""portax's configuration options (``portax.config.update(name, value)``, as ``jax.config.update``).

Each option has a default that an environment variable may override when portax is imported; nothing else is
global state.
"""

from __future__ import annotations

import os
from typing import Any

# name -> (environment variable, default, converter)
_OPTIONS: dict[str, tuple[str, Any, Any]] = {
    # The torch.compile backend used by ``portax.jit`` on torch: "inductor" (fast code, ~10 s cold compile on CPU)
    # or a cheaper one such as "aot_eager" (tests, notebooks). A per-call choice overrides it:
    # ``jit(f, compile_options={"torch": {"backend": "aot_eager"}})``.
    "torch_compile_backend": ("PORTAX_TORCH_COMPILE_BACKEND", "inductor", str),
}


class Config:
    """Read options as attributes; change them with :meth:`update`."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        for name, (env, default, convert) in _OPTIONS.items():
            raw = os.environ.get(env)
            self._values[name] = convert(raw) if raw else default

    def update(self, name: str, value: Any) -> None:
        """Set option ``name`` (one of :attr:`names`) to ``value``."""
        if name not in _OPTIONS:
            raise KeyError(f"unknown portax config option {name!r}; known options: {sorted(_OPTIONS)}")
        self._values[name] = _OPTIONS[name][2](value)

    @property
    def names(self) -> list[str]:
        return sorted(_OPTIONS)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(f"unknown portax config option {name!r}") from None


config = Config()
