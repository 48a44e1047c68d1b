"""``portax.numpy.linalg`` on JAX: jax.numpy.linalg itself."""

from typing import Any

import jax.numpy.linalg as _linalg


def __getattr__(name: str) -> Any:
    return getattr(_linalg, name)
