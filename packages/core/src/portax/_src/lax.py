"""``portax.lax``: JAX's ``lax`` primitives that are not ``numpy`` functions."""

from __future__ import annotations

from portax._src.lax_control import associative_scan, cond, fori_loop, map, scan, select, switch, while_loop
from portax._src.transforms import stop_gradient

__all__ = [
    "associative_scan",
    "cond",
    "fori_loop",
    "map",
    "scan",
    "select",
    "stop_gradient",
    "switch",
    "while_loop",
]
