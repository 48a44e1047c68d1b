"""``portax.debug`` on JAX: jax.debug.callback and jax.make_jaxpr themselves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
import numpy as np


def callback(function: Callable[..., None], spec: Any, arrays: Sequence[Any], ordered: bool) -> None:
    """``jax.debug.callback`` of ``function`` with the arguments ``spec`` describes around ``arrays``."""
    from portax.backend import invoke

    jax.debug.callback(lambda *values: invoke(function, spec, values), *arrays, ordered=ordered)


def to_numpy(x: Any) -> np.ndarray:
    """``np.asarray`` of a (concrete) jax array."""
    return np.asarray(x)


def has_nan(x: Any) -> bool:  # unused: jax checks jax_debug_nans itself
    return False


def make_jaxpr(fun: Callable[..., Any], static_argnums: tuple[int, ...]) -> Callable[..., Any]:
    """``jax.make_jaxpr(fun, static_argnums)``."""
    return jax.make_jaxpr(fun, static_argnums=static_argnums)
