"""``portax.numpy`` on JAX: jax.numpy itself, plus the ``at_get``/``at_update`` hooks of the portable ``.at[]``."""

from __future__ import annotations

from typing import Any

import jax.numpy as _jnp

# Where jax.numpy departs from the array API standard, portax follows the standard (see _standard.py).
from portax_jax._standard import (  # noqa: F401  (re-exported: they replace jax.numpy's)
    acos,
    acosh,
    arccos,
    arccosh,
    arcsinh,
    arctanh,
    asinh,
    atanh,
    cosh,
    cumulative_prod,
    exp,
    expm1,
    finfo,
    floor_divide,
    iinfo,
    log,
    log1p,
    mod,
    remainder,
    searchsorted,
    sign,
    sinh,
    sqrt,
    tanh,
)


def at_get(x: Any, index: Any, *, mode: str | None = None, fill_value: Any = None, **kwargs: Any) -> Any:
    return x.at[index].get(mode=mode, fill_value=fill_value, **kwargs)


def at_update(x: Any, index: Any, values: Any, op: str, *, mode: str | None = None, **kwargs: Any) -> Any:
    ref = x.at[index]
    if op in ("min", "max", "set", "add", "multiply", "divide", "power"):
        return getattr(ref, op)(values, mode=mode, **kwargs)
    raise ValueError(f"unknown .at[] operation {op!r}")


def __getattr__(name: str) -> Any:
    # Every other name is jax.numpy's own function: portax's signatures are generated from it.
    return getattr(_jnp, name)
