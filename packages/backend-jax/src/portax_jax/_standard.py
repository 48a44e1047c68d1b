"""Where jax.numpy differs from the array API standard 2024.12, the standard's behaviour (used by ``numpy.py``).

jax.numpy (0.10) follows the standard except in a few corners the official test suite (data-apis/array-api-tests)
finds: the IEEE special values of complex elementary functions (C99 Annex G, which the standard adopts),
signed zeros and infinities in real ``floor_divide``/``remainder``, the dtype of ``searchsorted`` and
``cumulative_prod``, and Python-float ``finfo`` attributes. Each function below takes jax.numpy's fast path for
everything else: the extra work is one dtype test, and the corrections are jitted ``where`` selections.
The torch backend must give the same values (the standard is the contract on every backend).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
from jax import lax

_NAN = math.nan
_INF = math.inf


def _kind(x: Any) -> str:
    dtype = getattr(x, "dtype", None)
    if dtype is not None:
        return dtype.kind
    if isinstance(x, bool):
        return "b"
    if isinstance(x, int):
        return "i"
    if isinstance(x, float):
        return "f"
    if isinstance(x, complex):
        return "c"
    return jnp.result_type(x).kind


def _complex(re: Any, im: Any) -> Any:
    # lax.complex keeps the signs of zeros and infinities (re + 1j * im would turn inf * 1j into nan + inf j).
    return lax.complex(re, im)


def _select(z: Any, out: Any, cases: list[tuple[Any, Any, Any]]) -> Any:
    """``out`` with each ``(mask, real, imag)`` case written where ``mask`` holds (later cases win)."""
    re_out, im_out = jnp.real(out), jnp.imag(out)
    for mask, re, im in cases:
        re_out = jnp.where(mask, re, re_out)
        im_out = jnp.where(mask, im, im_out)
    return _complex(re_out, im_out)


def _complex_fix(name: str, fix: Callable[[Any, Any, Any, Any], list[tuple[Any, Any, Any]]]) -> Callable[[Any], Any]:
    base = getattr(jnp, name)

    @jax.jit
    def fixed(z: Any) -> Any:
        re, im = jnp.real(z), jnp.imag(z)
        return _select(z, base(z), fix(z, re, im, jnp.zeros_like(re)))

    def function(x: Any, /) -> Any:
        if _kind(x) == "c":
            return fixed(x)
        return base(x)

    function.__name__ = name
    function.__doc__ = f"``jax.numpy.{name}`` with the array API's special values for complex arguments."
    return function


def _nonfinite(v: Any) -> Any:
    return jnp.isinf(v) | jnp.isnan(v)


# The cases below are those of the standard's "Special Cases" sections that jax.numpy 0.10 gets wrong, extended by
# the symmetries the standard states (f(conj(z)) == conj(f(z)), odd/even functions) so both signs behave alike.


def _exp_cases(z: Any, re: Any, im: Any, zero: Any, minus_inf_value: float = 0.0) -> list:
    return [
        ((re == -_INF) & _nonfinite(im), zero + minus_inf_value, zero),
        ((re == _INF) & _nonfinite(im), zero + _INF, zero + _NAN),
    ]


def _sinh_cases(z: Any, re: Any, im: Any, zero: Any) -> list:
    return [
        ((re == 0) & _nonfinite(im), re, zero + _NAN),
        (jnp.isinf(re) & _nonfinite(im), re, zero + _NAN),
    ]


def _cosh_cases(z: Any, re: Any, im: Any, zero: Any) -> list:
    return [
        ((re == 0) & _nonfinite(im), zero + _NAN, zero),
        (jnp.isinf(re) & _nonfinite(im), zero + _INF, zero + _NAN),
    ]


def _tanh_cases(z: Any, re: Any, im: Any, zero: Any) -> list:
    return [
        ((re == 0) & _nonfinite(im), re, zero + _NAN),
        (jnp.isinf(re) & jnp.isfinite(im), jnp.copysign(zero + 1, re), jnp.copysign(zero, im)),
    ]


def _log_cases(z: Any, re: Any, im: Any, zero: Any) -> list:
    return [((jnp.isinf(re) & jnp.isnan(im)) | (jnp.isnan(re) & jnp.isinf(im)), zero + _INF, zero + _NAN)]


def _sqrt_cases(z: Any, re: Any, im: Any, zero: Any) -> list:
    return [
        ((re == -_INF) & jnp.isnan(im), zero + _NAN, zero + _INF),
        ((re == _INF) & jnp.isnan(im), zero + _INF, zero + _NAN),
    ]


def _acos_cases(z: Any, re: Any, im: Any, zero: Any) -> list:
    return [((re == 0) & jnp.isnan(im), zero + math.pi / 2, zero + _NAN)]


def _acosh_cases(z: Any, re: Any, im: Any, zero: Any) -> list:
    return [
        (jnp.isfinite(re) & jnp.isnan(im), zero + _NAN, zero + _NAN),
        ((re == 0) & jnp.isnan(im), zero + _NAN, zero + math.pi / 2),
    ]


def _asinh_cases(z: Any, re: Any, im: Any, zero: Any) -> list:
    return [(jnp.isnan(re) & (im == 0), zero + _NAN, im)]


def _atanh_cases(z: Any, re: Any, im: Any, zero: Any) -> list:
    return [
        (jnp.isfinite(re) & jnp.isnan(im), zero + _NAN, zero + _NAN),
        ((re == 0) & jnp.isnan(im), re, zero + _NAN),
        (jnp.isinf(re) & jnp.isnan(im), jnp.copysign(zero, re), zero + _NAN),
        (jnp.isnan(re) & (jnp.isfinite(im) | jnp.isnan(im)), zero + _NAN, zero + _NAN),
    ]


def _sign_cases(z: Any, re: Any, im: Any, zero: Any) -> list:
    return [((re == 0) & (im == 0), zero, zero)]


exp = _complex_fix("exp", _exp_cases)
expm1 = _complex_fix("expm1", lambda z, re, im, zero: _exp_cases(z, re, im, zero, -1.0))
sinh = _complex_fix("sinh", _sinh_cases)
cosh = _complex_fix("cosh", _cosh_cases)
tanh = _complex_fix("tanh", _tanh_cases)
log = _complex_fix("log", _log_cases)
log1p = _complex_fix("log1p", _log_cases)
sqrt = _complex_fix("sqrt", _sqrt_cases)
acos = _complex_fix("acos", _acos_cases)
arccos = _complex_fix("arccos", _acos_cases)
acosh = _complex_fix("acosh", _acosh_cases)
arccosh = _complex_fix("arccosh", _acosh_cases)
asinh = _complex_fix("asinh", _asinh_cases)
arcsinh = _complex_fix("arcsinh", _asinh_cases)
atanh = _complex_fix("atanh", _atanh_cases)
arctanh = _complex_fix("arctanh", _atanh_cases)
_complex_sign = _complex_fix("sign", _sign_cases)


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


def _index_dtype() -> Any:
    return jax.dtypes.canonicalize_dtype(jnp.int64)


def searchsorted(a: Any, v: Any, side: str = "left", sorter: Any = None, *, method: str = "scan") -> Any:
    """``jax.numpy.searchsorted`` returning the default index dtype (int64 with x64 on), as the standard asks."""
    return jnp.searchsorted(a, v, side, sorter, method=method).astype(_index_dtype())


def cumulative_prod(x: Any, /, *, axis: int | None = None, dtype: Any = None, include_initial: bool = False) -> Any:
    """``jax.numpy.cumulative_prod`` with ``cumulative_sum``'s dtype rule (small integers accumulate in the default
    integer dtype of their signedness), as the standard asks; jax.numpy keeps e.g. uint8."""
    if dtype is None:
        kind = _kind(x)
        if kind in "biu":
            dtype = jnp.cumulative_sum(jnp.zeros((0,), jnp.result_type(x))).dtype
    return jnp.cumulative_prod(x, axis=axis, dtype=dtype, include_initial=include_initial)


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
        from portax._src.dtypes import to_numpy_dtype

        return to_numpy_dtype(dtype)
    return dtype


def finfo(dtype: Any) -> FInfo:
    """``jax.numpy.finfo`` with Python-float attributes (any dtype spelling, ``torch.float32`` too)."""
    return FInfo(jnp.finfo(_foreign_dtype(dtype)))


def iinfo(int_type: Any) -> Any:
    """``jax.numpy.iinfo`` (any dtype spelling, ``torch.int32`` too)."""
    return jnp.iinfo(_foreign_dtype(int_type))
