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


def _foreign_dtype(dtype: Any) -> Any:
    """Another engine's dtype object (``torch.float32``) as the NumPy dtype jax understands; anything else as is."""
    if type(dtype).__module__.split(".")[0] == "torch":
        from portax.backend import to_numpy_dtype

        return to_numpy_dtype(dtype)
    return dtype


def finfo(dtype: Any) -> FInfo:
    """``jax.numpy.finfo`` with Python-float attributes (any dtype spelling, ``torch.float32`` too)."""
    return FInfo(jnp.finfo(_foreign_dtype(dtype)))


def iinfo(int_type: Any) -> Any:
    """``jax.numpy.iinfo`` (any dtype spelling, ``torch.int32`` too)."""
    return jnp.iinfo(_foreign_dtype(int_type))
