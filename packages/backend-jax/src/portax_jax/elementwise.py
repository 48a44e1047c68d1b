"""Elementwise functions where jax.numpy 0.10 departs from the array API standard 2024.12: the IEEE special values
of complex elementary functions (core's tables, ``portax.backend.complex_special_values``), signed zeros and
infinities in real ``sign``/``floor_divide``/``remainder``. Each takes jax.numpy's fast path for everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
from jax import lax
from portax.backend import complex_special_values, select_cases

from portax_jax._common import _kind


def _complex_fix(name: str, base_name: str | None = None) -> Callable[[Any], Any]:
    """jax.numpy's ``name`` with core's complex special values (``portax.backend.complex_special_values``), jitted."""
    base = getattr(jnp, base_name or name)
    fixed = jax.jit(complex_special_values(jnp, lax.complex, base_name or name, base))

    def function(x: Any, /) -> Any:
        if _kind(x) == "c":
            return fixed(x)
        return base(x)

    function.__name__ = name
    function.__doc__ = f"``jax.numpy.{name}`` with the array API's special values for complex arguments."
    return function


@jax.jit
def _complex_sign(z: Any) -> Any:
    # sign(+-0 + +-0j) is 0 + 0j in the standard; jax.numpy gives signed zeros.
    re, im = jnp.real(z), jnp.imag(z)
    zero = jnp.zeros_like(re)
    return select_cases(jnp, lax.complex, jnp.sign(z), [((re == 0) & (im == 0), zero, zero)])


exp = _complex_fix("exp")
expm1 = _complex_fix("expm1")
sinh = _complex_fix("sinh")
cosh = _complex_fix("cosh")
tanh = _complex_fix("tanh")
log = _complex_fix("log")
log1p = _complex_fix("log1p")
sqrt = _complex_fix("sqrt")
acos = _complex_fix("acos")
arccos = _complex_fix("arccos", "acos")
acosh = _complex_fix("acosh")
arccosh = _complex_fix("arccosh", "acosh")
asinh = _complex_fix("asinh")
arcsinh = _complex_fix("arcsinh", "asinh")
atanh = _complex_fix("atanh")
arctanh = _complex_fix("arctanh", "atanh")


@jax.jit
def _float_sign(x: Any) -> Any:
    # sign(-0.0) is +0 in the standard; jax.numpy gives -0.0.
    return jnp.where(x == 0, jnp.zeros_like(x), jnp.sign(x))


def sign(x: Any, /) -> Any:
    """``jax.numpy.sign`` with the array API's signed-zero rules (``sign(-0.0) == +0``, ``sign(-0+0j) == 0+0j``)."""
    kind = _kind(x)
    if kind == "f":
        return _float_sign(x)
    if kind == "c":
        return _complex_sign(x)
    return jnp.sign(x)


@jax.jit
def _floor_divide_float(x1: Any, x2: Any) -> Any:
    # The standard's special cases are those of floor(x1 / x2) (e.g. inf // 2 == inf, 1 // -inf == -0), where
    # jax.numpy's divmod-based result gives nan or -1; elsewhere jax's exact result is kept.
    out = jnp.floor_divide(x1, x2)
    special = (x1 == 0) | (jnp.isinf(x1) & jnp.isfinite(x2)) | (jnp.isfinite(x1) & jnp.isinf(x2))
    return jnp.where(special, jnp.floor(jnp.true_divide(x1, x2)), out)


@jax.jit
def _remainder_float(x1: Any, x2: Any) -> Any:
    # A zero remainder has the sign of x2 (the standard; NumPy), jax.numpy keeps the sign of x1.
    out = jnp.remainder(x1, x2)
    return jnp.where(out == 0, jnp.copysign(jnp.zeros_like(out), x2), out)


def floor_divide(x1: Any, x2: Any, /) -> Any:
    """``jax.numpy.floor_divide`` with the array API's special values for floating-point arguments."""
    if _kind(x1) == "f" or _kind(x2) == "f":
        return _floor_divide_float(x1, x2)
    return jnp.floor_divide(x1, x2)


def remainder(x1: Any, x2: Any, /) -> Any:
    """``jax.numpy.remainder`` whose zero results take the sign of ``x2`` for floating-point arguments."""
    if _kind(x1) == "f" or _kind(x2) == "f":
        return _remainder_float(x1, x2)
    return jnp.remainder(x1, x2)


mod = remainder
