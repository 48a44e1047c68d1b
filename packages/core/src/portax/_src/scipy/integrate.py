"""``portax.scipy.integrate``: JAX's ``jax.scipy.integrate`` (the trapezoidal rule) on every backend."""

from __future__ import annotations

from typing import Any

import portax.numpy as pnp


def trapezoid(y: Any, x: Any = None, dx: Any = 1.0, axis: int = -1) -> Any:
    """The integral of ``y`` along ``axis`` by the trapezoidal rule (sample points ``x`` or spacing ``dx``).

    Example:
        >>> import portax.numpy as pnp
        >>> from portax.scipy.integrate import trapezoid
        >>> float(trapezoid(pnp.array([1.0, 2.0, 3.0])))
        4.0
    """
    return pnp.trapezoid(y, x=x, dx=dx, axis=axis)
