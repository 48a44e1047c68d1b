"""Elementwise primitives of ``portax.lax`` (``jax.lax.add``, ``exp``, ``shift_right_logical``, ...).

Core formulas over ``portax.numpy`` with ``jax.lax``'s rules: no dtype promotion (same dtypes or JAX's
``TypeError``), the dtype classes each op accepts, NumPy-style broadcasting, and XLA's semantics where NumPy's
differ (``div`` truncates integers toward zero, ``rem`` is C's ``fmod``, integer division by zero gives -1 and
remainder ``x``, shifts by the bit width or more give 0 or the sign). On JAX each one is ``jax.lax``'s own.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import portax.numpy as pnp
from portax._src import transforms
from portax._src.lax_ops import (
    ANY,
    FLOATING,
    INEXACT,
    INTEGER,
    LOGICAL,
    NUMBER,
    ORDERED,
    as_array,
    bits,
    check_accepts,
    check_same_dtypes,
    check_shapes,
    dtype_name,
    dtype_of,
    kernel,
    kind,
    letters,
    primitive,
)
from portax._src.scipy import _elementary as special

Array = Any
ArrayLike = Any


class RoundingMethod(enum.IntEnum):
    """How :func:`round` breaks ties (``jax.lax.RoundingMethod``; its integer values, so JAX accepts them too)."""

    AWAY_FROM_ZERO = 0
    TO_NEAREST_EVEN = 1


# -- factories: one line per primitive below ------------------------------------------------------------------------


def _unary(name: str, accepted: tuple[str, ...], formula: Callable[[Array], Array], doc: str, accuracy: bool = False):
    accepted_kinds = letters(accepted)

    def checked(x: ArrayLike) -> Array:
        dtype = getattr(x, "dtype", None)
        if dtype is None or kind(dtype) not in accepted_kinds or type(x).__module__ == "numpy":
            check_accepts(_ERROR_NAMES.get(name, name), accepted, x)
            x = as_array(x)
        return kernel(name, formula, x)(x)

    if accuracy:

        def core(x: ArrayLike, *, accuracy: Any = None) -> Array:
            return checked(x)

    else:

        def core(x: ArrayLike) -> Array:  # type: ignore[misc]
            return checked(x)

    core.__name__ = core.__qualname__ = name
    core.__doc__ = (
        f"{doc} (``jax.lax.{name}``).\n\n    Args:\n        x: an array or scalar of dtype "
        f"{', '.join(accepted)}.\n\n    Returns:\n        An array of the shape and dtype of ``x``.\n\n"
        f"    Raises:\n        TypeError: ``x`` has a dtype ``jax.lax.{name}`` does not accept."
    )
    if accuracy:
        core.__doc__ += "\n\n    ``accuracy`` is accepted for JAX's signature; backends other than JAX ignore it."
    return primitive(core)


def _binary(name: str, accepted: tuple[str, ...], formula: Callable[[Array, Array], Array], doc: str):
    accepted_kinds = letters(accepted)

    def core(x: ArrayLike, y: ArrayLike) -> Array:
        dtype = getattr(x, "dtype", None)
        # Common case first: two backend arrays of one accepted dtype and one shape need no more checks.
        if not (
            dtype is not None
            and type(y) is type(x)
            and getattr(y, "dtype", None) == dtype
            and kind(dtype) in accepted_kinds
            and x.shape == y.shape
            and type(x).__module__ != "numpy"
        ):
            check_accepts(_ERROR_NAMES.get(name, name), accepted, x, y)
            check_same_dtypes(_ERROR_NAMES.get(name, name), x, y)
            check_shapes(name, x, y)
        return kernel(name, formula, x, y)(x, y)

    core.__name__ = core.__qualname__ = name
    core.__doc__ = (
        f"{doc} (``jax.lax.{name}``), broadcasting, without dtype promotion.\n\n    Args:\n        x, y: arrays or "
        f"scalars of one dtype ({', '.join(accepted)}).\n\n    Raises:\n        TypeError: the dtypes differ, one "
        "is not accepted, or the shapes do not broadcast (JAX's messages)."
    )
    return primitive(core)


#: JAX's messages call a few primitives by their HLO names.
_ERROR_NAMES = {"bitwise_and": "and", "bitwise_or": "or", "bitwise_xor": "xor", "bitwise_not": "not"}


def _leading_array(x: ArrayLike, y: ArrayLike) -> tuple[Array, ArrayLike]:
    """``x`` as an array (``portax.numpy`` needs an array or a scalar beside one), ``y`` as given."""
    return as_array(x, y), y


# -- arithmetic -----------------------------------------------------------------------------------------------------


def _signed_or_unsigned_minus_one(x: Array) -> Array:
    # XLA's integer division by zero: all bits set (-1 signed, the maximum unsigned).
    return pnp.full_like(x, (1 << bits(x.dtype)) - 1 if kind(x.dtype) == "u" else -1)


def _safe_divisor(y: Array) -> tuple[Array, Array, Array]:
    """``(y with 0 and -1 replaced by 1, y == 0, y == -1)``: CPUs trap INT_MIN / -1, which XLA wraps."""
    zero, minus_one = y == 0, y == -1 if kind(y.dtype) == "i" else pnp.zeros_like(y, dtype=bool)
    return pnp.where(zero | minus_one, pnp.ones_like(y), y), zero, minus_one


def _div(x: ArrayLike, y: ArrayLike) -> Array:
    x, y = as_array(x, y), as_array(y, x)
    if kind(x.dtype) not in "iu":
        return pnp.divide(x, y)
    safe, zero, minus_one = _safe_divisor(y)
    floor = pnp.floor_divide(x, safe)
    # floor -> toward zero: one more where the exact quotient is negative and not whole.
    toward_zero = floor + pnp.astype((floor * safe != x) & ((x < 0) != (safe < 0)), x.dtype)
    toward_zero = pnp.where(minus_one, -x, toward_zero)
    return pnp.where(zero, _signed_or_unsigned_minus_one(toward_zero), toward_zero)


def _rem(x: ArrayLike, y: ArrayLike) -> Array:
    x, y = as_array(x, y), as_array(y, x)
    if kind(x.dtype) not in "iu":
        return pnp.fmod(x, y)
    safe, zero, minus_one = _safe_divisor(y)
    out = pnp.where(minus_one, pnp.zeros_like(x), pnp.fmod(x, safe))
    return pnp.where(zero, pnp.broadcast_to(x, out.shape), out)  # XLA: x % 0 == x


add = _binary("add", NUMBER, lambda x, y: pnp.add(*_leading_array(x, y)), "Elementwise ``x + y``")
sub = _binary("sub", NUMBER, lambda x, y: pnp.subtract(*_leading_array(x, y)), "Elementwise ``x - y``")
div = _binary("div", NUMBER, _div, "Elementwise ``x / y``; integers are truncated toward zero (C's ``/``)")
rem = _binary("rem", ("integer", "floating"), _rem, "Elementwise remainder with the sign of ``x`` (C's ``fmod``)")
max = _binary("max", ANY, lambda x, y: pnp.maximum(*_leading_array(x, y)), "Elementwise maximum (NaN propagates)")  # noqa: A001
min = _binary("min", ANY, lambda x, y: pnp.minimum(*_leading_array(x, y)), "Elementwise minimum (NaN propagates)")  # noqa: A001
atan2 = _binary("atan2", INEXACT, lambda x, y: pnp.arctan2(*_leading_array(x, y)), "Elementwise ``atan(x / y)``")
nextafter = _binary("nextafter", FLOATING, lambda x, y: pnp.nextafter(*_leading_array(x, y)), "The next float after ``x1`` toward ``x2``")


@primitive
def mul(x: ArrayLike, y: ArrayLike, *, out_dtype: Any = None) -> Array:
    """Elementwise ``x * y`` (``jax.lax.mul``), broadcasting, without dtype promotion.

    Args:
        x, y: arrays or scalars of one numeric dtype.
        out_dtype: compute and return this dtype instead (both operands are converted first).

    Raises:
        TypeError: the dtypes differ or are not numeric, or the shapes do not broadcast.
    """
    check_accepts("mul", NUMBER, x, y)
    check_same_dtypes("mul", x, y)
    check_shapes("mul", x, y)
    x = as_array(x, y)
    if out_dtype is not None:
        return pnp.multiply(pnp.astype(x, out_dtype), pnp.astype(as_array(y, x), out_dtype))
    return pnp.multiply(x, y)


@primitive
def pow(x: ArrayLike, y: ArrayLike) -> Array:  # noqa: A001 (JAX's name)
    """Elementwise ``x ** y`` (``jax.lax.pow``): ``x`` inexact, ``y`` an integer array or of ``x``'s dtype.

    Raises:
        TypeError: ``x`` is not inexact, or ``y`` is inexact of another dtype.
    """
    check_accepts("pow", INEXACT, x, positional=True)
    x_dtype, y_dtype = dtype_of(x), dtype_of(y)
    if kind(y_dtype) not in "iu" and (kind(y_dtype) not in "fc" or y_dtype != x_dtype):
        raise TypeError(
            "the first argument to pow must have an inexact dtype (float or complex), and the second argument must "
            "have an inexact or integer dtype, and two inexact dtypes must match, but got "
            f"{dtype_name(x_dtype)} and {dtype_name(y_dtype)} respectively."
        )
    check_shapes("pow", x, y)
    return pnp.power(as_array(x, y), y)


@primitive
def integer_pow(x: ArrayLike, y: int) -> Array:
    """``x ** y`` for a static integer ``y`` (``jax.lax.integer_pow``); ``y < 0`` needs an inexact ``x``.

    Raises:
        TypeError: integer ``x`` with ``y < 0`` (JAX's message).
    """
    check_accepts("integer_pow", NUMBER, x)
    x = as_array(x)
    y = int(y)
    if y < 0 and kind(x.dtype) in "iu":
        raise TypeError(
            f"Integers cannot be raised to negative powers, got integer_pow({_short(x)}, {y})"
        )
    if y == 0:
        return pnp.ones_like(x)
    if y == 1:
        return x
    if y == 2:
        return x * x
    if y < 0:
        return pnp.reciprocal(pnp.power(x, -y))
    return pnp.power(x, y)


def _short(x: Array) -> str:
    return f"{dtype_name(x.dtype)}{list(x.shape)}".replace(" ", "")


@primitive
def reciprocal(x: ArrayLike) -> Array:
    """Elementwise ``1 / x`` (``jax.lax.reciprocal``, i.e. ``integer_pow(x, -1)``).

    Raises:
        TypeError: ``x`` has an integer dtype.
    """
    return integer_pow(x, -1)


@primitive
def square(x: ArrayLike) -> Array:
    """Elementwise ``x * x`` (``jax.lax.square``)."""
    check_accepts("square", NUMBER, x)
    x = as_array(x)
    return x * x


def _round(x: Array, rounding_method: Any) -> Array:
    if int(rounding_method) == RoundingMethod.TO_NEAREST_EVEN:
        return pnp.round(x)
    whole = pnp.trunc(x)
    return pnp.where(pnp.abs(x - whole) >= 0.5, whole + pnp.sign(x), whole)  # x - trunc(x) is exact


@primitive
def round(x: ArrayLike, rounding_method: Any = RoundingMethod.AWAY_FROM_ZERO) -> Array:  # noqa: A001
    """Round to the nearest integer (``jax.lax.round``); ties away from zero unless ``TO_NEAREST_EVEN``.

    Args:
        x: a floating array.
        rounding_method: a :class:`RoundingMethod` (or its int value 0 or 1).

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> lax.round(jnp.array([0.5, 1.5, -2.5])).tolist()
        [1.0, 2.0, -3.0]
        >>> lax.round(jnp.array([0.5, 1.5, -2.5]), lax.RoundingMethod.TO_NEAREST_EVEN).tolist()
        [0.0, 2.0, -2.0]
    """
    check_accepts("round", FLOATING, x)
    if int(rounding_method) not in (0, 1):
        raise ValueError(f"round: rounding_method must be a lax.RoundingMethod, got {rounding_method!r}")
    return _round(as_array(x), rounding_method)


# -- unary math -----------------------------------------------------------------------------------------------------


def _logistic(x: Array) -> Array:
    if kind(x.dtype) == "c":
        return 1 / (1 + pnp.exp(-x))
    return special.expit(x)


def _sign(x: Array) -> Array:
    return pnp.sign(x)


def _to_complex(x: Array) -> Array:
    return pnp.astype(x, pnp.result_type(x, 1j))


neg = _unary("neg", NUMBER, pnp.negative, "Elementwise ``-x``")
sign = _unary("sign", NUMBER, _sign, "Elementwise sign (``x / |x|`` for complex)")
floor = _unary("floor", FLOATING, pnp.floor, "Elementwise floor")
ceil = _unary("ceil", FLOATING, pnp.ceil, "Elementwise ceiling")
is_finite = _unary("is_finite", FLOATING, pnp.isfinite, "Whether each element is neither infinite nor NaN")
exp = _unary("exp", INEXACT, pnp.exp, "Elementwise ``e ** x``", accuracy=True)
exp2 = _unary("exp2", INEXACT, pnp.exp2, "Elementwise ``2 ** x``", accuracy=True)
log = _unary("log", INEXACT, pnp.log, "Elementwise natural logarithm", accuracy=True)
log1p = _unary("log1p", INEXACT, pnp.log1p, "Elementwise ``log(1 + x)``, accurate near 0", accuracy=True)
expm1 = _unary("expm1", INEXACT, pnp.expm1, "Elementwise ``e ** x - 1``, accurate near 0", accuracy=True)
sqrt = _unary("sqrt", INEXACT, pnp.sqrt, "Elementwise square root", accuracy=True)
rsqrt = _unary("rsqrt", INEXACT, lambda x: 1 / pnp.sqrt(x), "Elementwise ``1 / sqrt(x)``", accuracy=True)
cbrt = _unary("cbrt", FLOATING, pnp.cbrt, "Elementwise cube root", accuracy=True)
tanh = _unary("tanh", INEXACT, pnp.tanh, "Elementwise hyperbolic tangent", accuracy=True)
logistic = _unary("logistic", INEXACT, _logistic, "Elementwise ``1 / (1 + exp(-x))``", accuracy=True)
sin = _unary("sin", INEXACT, pnp.sin, "Elementwise sine", accuracy=True)
cos = _unary("cos", INEXACT, pnp.cos, "Elementwise cosine", accuracy=True)
tan = _unary("tan", INEXACT, pnp.tan, "Elementwise tangent", accuracy=True)
asin = _unary("asin", INEXACT, pnp.arcsin, "Elementwise inverse sine")
acos = _unary("acos", INEXACT, pnp.arccos, "Elementwise inverse cosine")
atan = _unary("atan", INEXACT, pnp.arctan, "Elementwise inverse tangent")
sinh = _unary("sinh", INEXACT, pnp.sinh, "Elementwise hyperbolic sine")
cosh = _unary("cosh", INEXACT, pnp.cosh, "Elementwise hyperbolic cosine")
asinh = _unary("asinh", INEXACT, pnp.arcsinh, "Elementwise inverse hyperbolic sine")
acosh = _unary("acosh", INEXACT, pnp.arccosh, "Elementwise inverse hyperbolic cosine")
atanh = _unary("atanh", INEXACT, pnp.arctanh, "Elementwise inverse hyperbolic tangent")
erf = _unary("erf", FLOATING, special.erf, "The error function")
erfc = _unary("erfc", FLOATING, special.erfc, "The complementary error function ``1 - erf(x)``")
erf_inv = _unary("erf_inv", FLOATING, special.erfinv, "The inverse error function")
lgamma = _unary("lgamma", FLOATING, special.gammaln, "The log of the absolute value of the gamma function")
digamma = _unary("digamma", FLOATING, special.digamma, "The digamma function")
bessel_i0e = _unary("bessel_i0e", FLOATING, special.i0e, "The exponentially scaled modified Bessel function I0")
bessel_i1e = _unary("bessel_i1e", FLOATING, special.i1e, "The exponentially scaled modified Bessel function I1")
abs = _unary("abs", ("floating", "complexfloating", "signedinteger"), pnp.abs, "Elementwise ``|x|``")  # noqa: A001
real = _unary("real", ("complexfloating",), pnp.real, "The real part of a complex array")
imag = _unary("imag", ("complexfloating",), pnp.imag, "The imaginary part of a complex array")
conj = _unary("conj", ("float32", "complexfloating", "float64"), lambda x: pnp.conj(_to_complex(x)), "The complex conjugate (a real ``x`` becomes complex)")


@primitive
def complex(x: ArrayLike, y: ArrayLike) -> Array:  # noqa: A001 (JAX's name)
    """``x + 1j * y`` from two floating arrays of one dtype (``jax.lax.complex``).

    Raises:
        TypeError: the dtypes differ or are not floating.
    """
    check_accepts("complex", ("float32", "float64"), x, y)
    check_same_dtypes("complex", x, y)
    check_shapes("complex", x, y)
    x, y = as_array(x, y), as_array(y, x)
    return kernel("complex", _complex, x, y)(x, y)


def _complex(x: Array, y: Array) -> Array:
    return _to_complex(x) + _to_complex(y) * 1j


# -- comparisons ----------------------------------------------------------------------------------------------------

eq = _binary("eq", ANY, lambda x, y: pnp.equal(*_leading_array(x, y)), "Elementwise ``x == y``")
ne = _binary("ne", ANY, lambda x, y: pnp.not_equal(*_leading_array(x, y)), "Elementwise ``x != y``")
lt = _binary("lt", ORDERED, lambda x, y: pnp.less(*_leading_array(x, y)), "Elementwise ``x < y``")
le = _binary("le", ORDERED, lambda x, y: pnp.less_equal(*_leading_array(x, y)), "Elementwise ``x <= y``")
gt = _binary("gt", ORDERED, lambda x, y: pnp.greater(*_leading_array(x, y)), "Elementwise ``x > y``")
ge = _binary("ge", ORDERED, lambda x, y: pnp.greater_equal(*_leading_array(x, y)), "Elementwise ``x >= y``")


@primitive
def clamp(min: ArrayLike, x: ArrayLike, max: ArrayLike) -> Array:  # noqa: A002 (JAX's names)
    """``x`` clipped into ``[min, max]`` (``jax.lax.clamp``); ``min``/``max`` are scalars or of ``x``'s shape.

    The gradient follows JAX: ``x`` gets it strictly inside, ``min``/``max`` where they bind strictly.

    Raises:
        TypeError: the three dtypes differ, or ``min``/``max`` have another shape than ``x`` and are not scalars.
    """
    check_same_dtypes("clamp", min, x, max)
    x = as_array(x, min if max is None else max)
    for name, bound in (("min", min), ("max", max)):
        shape = tuple(getattr(bound, "shape", ()))
        if shape and shape != tuple(x.shape):
            raise TypeError(
                f"clamp requires {name}.shape == operand.shape or {name}.shape == (), got {name}.shape={shape}, "
                f"operand.shape={tuple(x.shape)}."
            )
    low, high = as_array(min, x), as_array(max, x)
    inside = (x > low) & (x < high)
    # x exactly at a bound: the value is x, and no operand gets a gradient (jax.lax's clamp JVP rule).
    bound = pnp.where(low > x, low, pnp.where(high < x, high, transforms.stop_gradient(x)))
    return pnp.where(inside, x, bound)


# -- bits -----------------------------------------------------------------------------------------------------------


def _logical_right(x: Array, shift: Array) -> Array:
    """``x >> shift`` filling with zeros, for ``0 <= shift < bits`` (arithmetic shift, then the sign bits masked)."""
    width = bits(x.dtype)
    if kind(x.dtype) == "u":
        return pnp.right_shift(x, shift)
    arithmetic = pnp.right_shift(x, shift)
    ones_below = pnp.left_shift(pnp.ones_like(x), width - shift) - 1  # wraps to all ones when shift == 0
    return pnp.where(shift == 0, x, arithmetic & ones_below)


def _shift_amount(x: Array, y: Any) -> tuple[Array, Array]:
    y = as_array(y, x)
    out_of_range = (y < 0) | (y >= bits(x.dtype))
    return pnp.where(out_of_range, pnp.zeros_like(y), y), out_of_range


def _shift_left(x: ArrayLike, y: ArrayLike) -> Array:
    x = as_array(x, y)
    shift, out_of_range = _shift_amount(x, y)
    return pnp.where(out_of_range, pnp.zeros_like(x), pnp.left_shift(x, shift))


def _shift_right_logical(x: ArrayLike, y: ArrayLike) -> Array:
    x = as_array(x, y)
    shift, out_of_range = _shift_amount(x, y)
    return pnp.where(out_of_range, pnp.zeros_like(x), _logical_right(x, shift))


def _shift_right_arithmetic(x: ArrayLike, y: ArrayLike) -> Array:
    x = as_array(x, y)
    shift, out_of_range = _shift_amount(x, y)
    width = bits(x.dtype)
    if kind(x.dtype) == "i":
        sign_fill = pnp.where(x < 0, pnp.full_like(x, -1), pnp.zeros_like(x))
        return pnp.where(out_of_range, sign_fill, pnp.right_shift(x, shift))
    # XLA shifts unsigned integers arithmetically too: the top bit is copied into the vacated bits.
    all_ones = pnp.full_like(x, (1 << width) - 1)
    top = pnp.right_shift(x, width - 1) == 1
    filled = pnp.where(top, pnp.bitwise_not(pnp.right_shift(all_ones, shift)), pnp.zeros_like(x))
    shifted = pnp.right_shift(x, shift) | filled
    return pnp.where(out_of_range, pnp.where(top, all_ones, pnp.zeros_like(x)), shifted)


bitwise_and = _binary("bitwise_and", LOGICAL, lambda x, y: pnp.bitwise_and(*_leading_array(x, y)), "Elementwise AND")
bitwise_or = _binary("bitwise_or", LOGICAL, lambda x, y: pnp.bitwise_or(*_leading_array(x, y)), "Elementwise OR")
bitwise_xor = _binary("bitwise_xor", LOGICAL, lambda x, y: pnp.bitwise_xor(*_leading_array(x, y)), "Elementwise XOR")
bitwise_not = _unary("bitwise_not", LOGICAL, pnp.bitwise_not, "Elementwise NOT (logical NOT of booleans)")
shift_left = _binary("shift_left", INTEGER, _shift_left, "``x << y``; 0 where ``y`` is negative or at least the bit width")
shift_right_logical = _binary(
    "shift_right_logical", INTEGER, _shift_right_logical, "``x >> y`` filling with zeros; 0 where ``y`` is out of range"
)
shift_right_arithmetic = _binary(
    "shift_right_arithmetic", INTEGER, _shift_right_arithmetic, "``x >> y`` filling with the sign bit"
)


def _population_count(x: Array) -> Array:
    # NumPy's bitwise_count counts the bits of |x|; lax counts the two's complement bits: a negative x has
    # bits - popcount(~x) of them (~x >= 0).
    count = pnp.astype(pnp.bitwise_count(x), x.dtype)
    if kind(x.dtype) == "u":
        return count
    complement = pnp.astype(pnp.bitwise_count(pnp.bitwise_not(x)), x.dtype)
    return pnp.where(x < 0, bits(x.dtype) - complement, count)


def _clz(x: Array) -> Array:
    # Binary search for the highest set bit (Hacker's Delight, nlz): each step tests whether the top `half` bits are
    # all zero, counts them and shifts them out.
    width = bits(x.dtype)
    count = pnp.zeros_like(x)
    value = x
    half = width // 2
    while half:
        top_clear = _logical_right(value, pnp.full_like(value, width - half)) == 0
        count = pnp.where(top_clear, count + half, count)
        value = pnp.where(top_clear, pnp.left_shift(value, half), value)
        half //= 2
    return pnp.where(x == 0, pnp.full_like(x, width), count)


population_count = _unary("population_count", INTEGER, _population_count, "The number of set bits of each element")
clz = _unary("clz", INTEGER, _clz, "The number of leading zero bits of each element")
