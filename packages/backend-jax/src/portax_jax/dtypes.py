"""Dtype functions where jax.numpy 0.10 departs from the array API standard: Python-float ``finfo``."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp


class FInfo:
    """``jax.numpy.finfo`` with the standard's Python-float attributes (``bits``, ``eps``, ``max``, ``min``,
    ``smallest_normal``, ``dtype``); jax's (ml_dtypes) finfo gives NumPy scalars such as ``numpy.float32(1.2e-07)``.
    Every other attribute (``tiny``, ``resolution``, ...) is jax's."""

    def __init__(self, info: Any) -> None:
        self._info = info
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.smallest_normal = float(info.smallest_normal)
        self.dtype = info.dtype

    def __getattr__(self, name: str) -> Any:
        return getattr(self._info, name)

    def __repr__(self) -> str:
        return repr(self._info)


def finfo(dtype: Any) -> FInfo:
    """``jax.numpy.finfo`` with Python-float attributes."""
    return FInfo(jnp.finfo(dtype))
