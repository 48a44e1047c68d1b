"""Reductions where jax.numpy 0.10 departs from the array API standard: ``cumulative_prod``'s dtype."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from portax_jax._common import _kind


def cumulative_prod(x: Any, /, *, axis: int | None = None, dtype: Any = None, include_initial: bool = False) -> Any:
    """``jax.numpy.cumulative_prod`` with ``cumulative_sum``'s dtype rule (small integers accumulate in the default
    integer dtype of their signedness), as the standard asks; jax.numpy keeps e.g. uint8."""
    if dtype is None:
        kind = _kind(x)
        if kind in "biu":
            dtype = jnp.cumulative_sum(jnp.zeros((0,), jnp.result_type(x))).dtype
    return jnp.cumulative_prod(x, axis=axis, dtype=dtype, include_initial=include_initial)
