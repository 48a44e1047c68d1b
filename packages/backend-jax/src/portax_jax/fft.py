"""``portax.numpy.fft`` on JAX: jax.numpy.fft itself."""

from typing import Any

import jax.numpy.fft as _fft


def __getattr__(name: str) -> Any:
    return getattr(_fft, name)
