"""Sorting and searching where jax.numpy 0.10 departs from the array API standard: ``searchsorted``'s dtype."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp


def _index_dtype() -> Any:
    return jax.dtypes.canonicalize_dtype(jnp.int64)


def searchsorted(a: Any, v: Any, side: str = "left", sorter: Any = None, *, method: str = "scan") -> Any:
    """``jax.numpy.searchsorted`` returning the default index dtype (int64 with x64 on), as the standard asks."""
    return jnp.searchsorted(a, v, side, sorter, method=method).astype(_index_dtype())
