"""``portax.numpy`` on JAX: jax.numpy itself, plus the ``at_get``/``at_update`` hooks of the portable ``.at[]``."""

from __future__ import annotations

from typing import Any

import jax.numpy as _jnp

# Where jax.numpy departs from the array API standard, portax follows the standard; the corrections are laid out by
# area with the torch backend's module names (elementwise, sorting, reductions, dtypes).
from portax_jax.dtypes import finfo as finfo, iinfo as iinfo
from portax_jax.elementwise import (
    acos as acos,
    acosh as acosh,
    arccos as arccos,
    arccosh as arccosh,
    arcsinh as arcsinh,
    arctanh as arctanh,
    asinh as asinh,
    atanh as atanh,
    cosh as cosh,
    exp as exp,
    expm1 as expm1,
    floor_divide as floor_divide,
    log as log,
    log1p as log1p,
    mod as mod,
    remainder as remainder,
    sign as sign,
    sinh as sinh,
    sqrt as sqrt,
    tanh as tanh,
)
from portax_jax.reductions import cumulative_prod as cumulative_prod
from portax_jax.sorting import searchsorted as searchsorted


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
