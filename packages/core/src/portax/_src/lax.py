"""``portax.lax``: JAX's ``lax`` primitives that are not ``numpy`` functions (control flow comes in a later issue)."""

from __future__ import annotations

from portax._src.transforms import stop_gradient

__all__ = ["stop_gradient"]
