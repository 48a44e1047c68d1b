"""Elementwise functions of portax.numpy on torch, with jax.numpy's semantics.

Where a torch function already has jnp's semantics (dtype rules included) it is bound directly; binary functions go
through :func:`_binary`, which applies JAX's promotion (weak Python scalars, 0-d tensors as strong as any other) only
when the operands' dtypes differ, so the common same-dtype call costs two type checks.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from portax.backend import array_equal_over, complex_special_values, isclose_over

from portax_torch._common import (
    _UNSIGNED_WIDE,
    Tensor,
    as_signed_bits,
    as_tensor,
    inexact_of_int,
    is_inexact,
    is_python_scalar,
    normalize_axis,
    promote,
    promote_pair,
    result_dtype,
    to_default_float,
    to_inexact,
    via_int64,
)
from portax_torch._dtypes import DEFAULT_FLOAT


def _binary(torch_fn: Any, name: str, scalars_ok: bool = True, inexact: bool = False) -> Any:
    def op(x1: Any, x2: Any, /) -> Tensor:
        if inexact and (type(x1) is int or type(x2) is int):
            # jnp's promote_args_inexact: an integer tensor becomes float before a Python int meets it, so
            # arctan2(uint8 0, -1) is pi (the -1 is not first wrapped to uint8 255).
            if type(x1) is Tensor and not (x1.dtype.is_floating_point or x1.dtype.is_complex):
                x1 = x1.to(inexact_of_int(x1.dtype))
            if type(x2) is Tensor and not (x2.dtype.is_floating_point or x2.dtype.is_complex):
                x2 = x2.to(inexact_of_int(x2.dtype))
        if type(x1) is not Tensor or type(x2) is not Tensor or x1.dtype is not x2.dtype:
            # Fast path: torch's own weak scalar promotion agrees with JAX's for a float scalar with a float
            # tensor and an int scalar with a non-bool tensor.
            tp = type(x2)
            if not (scalars_ok and type(x1) is Tensor and (
                (tp is float and (x1.dtype.is_floating_point or x1.dtype.is_complex))
                or (tp is int and x1.dtype is not torch.bool and -2147483648 <= x2 <= 2147483647)
            )):
                x1, x2 = promote_pair(x1, x2, scalars_ok)
        if inexact:
            if isinstance(x1, Tensor) and not (x1.dtype.is_floating_point or x1.dtype.is_complex):
                x1 = x1.to(inexact_of_int(x1.dtype))
            if isinstance(x2, Tensor) and not (x2.dtype.is_floating_point or x2.dtype.is_complex):
                x2 = x2.to(inexact_of_int(x2.dtype))
        try:
            return torch_fn(x1, x2)
        except NotImplementedError as error:
            return _unsigned_fallback(torch_fn, name, x1, x2, error)

    def exact_op(x1: Any, x2: Any, /) -> Tensor:
        # ``op`` without the ``inexact`` step: the same-dtype call is two type tests, one dtype test and torch's call.
        if type(x1) is Tensor and type(x2) is Tensor and x1.dtype is x2.dtype:
            try:
                return torch_fn(x1, x2)
            except NotImplementedError as error:
                return _unsigned_fallback(torch_fn, name, x1, x2, error)
        return op(x1, x2)

    if not inexact:
        op_for_name = exact_op
        exact_op.__name__ = exact_op.__qualname__ = name
        exact_op.__doc__ = f"jax.numpy.{name} on torch tensors (JAX's type promotion)."
        return op_for_name
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"jax.numpy.{name} on torch tensors (JAX's type promotion)."
    return op


def _unsigned_fallback(torch_fn: Any, name: str, x1: Any, x2: Any, error: NotImplementedError) -> Tensor:
    """``torch_fn`` on uint16/uint32/uint64 operands, which torch 2.13 has no CPU kernel for (``"add_stub" not
    implemented for 'UInt32'``): computed in int64 and cast back (exact: see ``via_int64``); other errors re-raised."""
    if not any(isinstance(v, Tensor) and v.dtype in _UNSIGNED_WIDE for v in (x1, x2)):
        raise error
    return via_int64(torch_fn, name, x1, x2)


def _inexact_unary(torch_fn: Any, name: str) -> Any:
    def op(x: Tensor, /) -> Tensor:
        return torch_fn(to_inexact(x))

    op.__name__ = op.__qualname__ = name
    return op


def _float_valued(torch_fn: Any, name: str) -> Any:
    """``torch_fn`` (a float-valued unary function) with jnp's result dtype for every input: torch promotes integers
    to its default float32, which is JAX's except for int64/uint64 with x64 on (float64). Float and complex tensors
    reach ``torch_fn`` straight from the dispatcher (``portax_torch.natives``), so this runs for integers only."""

    def op(x: Tensor, /) -> Tensor:
        dtype = getattr(x, "dtype", None)  # torch_fn raises its TypeError for what is no tensor ("a", None)
        if dtype is torch.int64 or dtype is torch.uint64:
            x = x.to(inexact_of_int(dtype))
        return torch_fn(x)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"jax.numpy.{name} on torch tensors (JAX's result dtype for integer inputs)."
    return op


# --- unary functions with jnp's semantics in torch (ints promote to float32 = torch's default dtype) ---
sin = _float_valued(torch.sin, "sin")


cos = _float_valued(torch.cos, 'cos')


tan = _float_valued(torch.tan, 'tan')


arcsin = asin = _float_valued(torch.asin, 'asin')


arctan = atan = _float_valued(torch.atan, 'atan')


arcsinh = asinh = _float_valued(torch.asinh, 'asinh')


arccosh = acosh = _float_valued(torch.acosh, 'acosh')


arctanh = atanh = _float_valued(torch.atanh, 'atanh')


exp2 = _float_valued(torch.exp2, 'exp2')


log = _float_valued(torch.log, 'log')


log2 = _float_valued(torch.log2, 'log2')


log10 = _float_valued(torch.log10, 'log10')


sqrt = _float_valued(torch.sqrt, 'sqrt')


def _complex_fix(name: str) -> Any:
    base = getattr(torch, name)
    fixed = complex_special_values(torch, torch.complex, name, base)

    def function(x: Tensor, /) -> Tensor:
        dtype = x.dtype
        if not dtype.is_complex:
            return base(x.to(inexact_of_int(dtype)) if dtype is torch.int64 or dtype is torch.uint64 else x)
        return fixed(x)

    function.__name__ = name
    function.__doc__ = f"``jax.numpy.{name}`` on torch, with the array API's special values for complex arguments."
    return function


exp = _complex_fix("exp")


expm1 = _complex_fix("expm1")


log1p = _complex_fix("log1p")


sinh = _complex_fix("sinh")


cosh = _complex_fix("cosh")


tanh = _complex_fix("tanh")


acos = arccos = _complex_fix("acos")


sinc = _float_valued(torch.sinc, 'sinc')


i0 = _inexact_unary(torch.i0, "i0")


isfinite = torch.isfinite


isinf = torch.isinf


isnan = torch.isnan


signbit = torch.signbit


def logical_not(x: Tensor, /) -> Tensor:
    return x == 0 if x.dtype in _UNSIGNED_WIDE else torch.logical_not(x)  # no torch uint16/32/64 kernel


def _keep_bool(torch_fn: Any, name: str) -> Any:
    # jnp.floor/ceil/trunc/positive return bool and int arrays unchanged; torch has no bool kernels for them.
    def op(x: Tensor, /) -> Tensor:
        return x if x.dtype is torch.bool else torch_fn(x)

    op.__name__ = op.__qualname__ = name
    return op


positive = _keep_bool(torch.positive, "positive")


floor = _keep_bool(torch.floor, "floor")


ceil = _keep_bool(torch.ceil, "ceil")


trunc = _keep_bool(torch.trunc, "trunc")


def rint(x: Tensor, /) -> Tensor:
    if x.dtype.is_complex:  # torch has no complex round kernel; jnp.rint rounds both parts
        return torch.complex(torch.round(x.real), torch.round(x.imag))
    return torch.round(to_default_float(x))


def fabs(x: Tensor, /) -> Tensor:
    if x.dtype.is_complex:
        raise TypeError("portax.numpy.fabs does not support complex arrays (as jax.numpy); use abs")
    return torch.abs(to_inexact(x))


def rad2deg(x: Tensor, /) -> Tensor:
    x = to_inexact(x)
    return x * (180.0 / math.pi) if x.dtype.is_complex else torch.rad2deg(x)


def deg2rad(x: Tensor, /) -> Tensor:
    x = to_inexact(x)
    return x * (math.pi / 180.0) if x.dtype.is_complex else torch.deg2rad(x)


degrees = rad2deg


radians = deg2rad


def cbrt(x: Tensor, /) -> Tensor:
    x = to_inexact(x)
    return torch.sign(x) * torch.abs(x).pow(1.0 / 3.0)


def abs(x: Tensor, /) -> Tensor:
    if x.dtype is torch.bool or x.dtype in _UNSIGNED_WIDE:
        return x  # unsigned values are their own absolute value (torch has no uint16/32/64 abs kernel)
    return torch.abs(x)


absolute = abs


def negative(x: Tensor, /) -> Tensor:
    if x.dtype is torch.bool:
        raise TypeError("portax.numpy.negative does not accept bool arrays (as jax.numpy); use logical_not")
    if x.dtype in _UNSIGNED_WIDE:
        return via_int64(torch.neg, "negative", x)  # wraps modulo 2**bits, as jnp (no torch uint16/32/64 kernel)
    return torch.neg(x)


def sign(x: Tensor, /) -> Tensor:
    if x.dtype is torch.bool:
        raise TypeError("portax.numpy.sign does not accept bool arrays (as jax.numpy)")
    if x.dtype.is_floating_point:
        # The standard: sign(-0.0) is +0 (torch.sign gives +0 there) and NaN stays NaN (torch.sign(NaN) is 0).
        return torch.where(torch.isnan(x), x, torch.sign(x))
    if x.dtype in _UNSIGNED_WIDE:
        return via_int64(torch.sgn, "sign", x)
    return torch.sgn(x)


def square(x: Tensor, /) -> Tensor:
    if x.dtype is torch.bool:
        return x.to(torch.int32)  # jnp.square(bool) is int32
    if x.dtype in _UNSIGNED_WIDE:
        return via_int64(torch.square, "square", x)  # torch has no uint16/32/64 pow kernel
    return torch.square(x)


def reciprocal(x: Tensor, /) -> Tensor:
    return torch.reciprocal(to_inexact(x))


def conjugate(x: Tensor, /) -> Tensor:
    return torch.conj_physical(x) if x.dtype.is_complex else x


conj = conjugate


def real(val: Tensor, /) -> Tensor:
    return torch.real(val) if val.dtype.is_complex else val


def imag(val: Tensor, /) -> Tensor:
    return torch.imag(val) if val.dtype.is_complex else torch.zeros_like(val)


def angle(z: Tensor, deg: bool = False) -> Tensor:
    z = as_tensor(z)
    # jnp.angle: the default float for integers (float64 with x64 on), and, as jax 0.10, for a 0-d real float too.
    z = to_default_float(z) if not z.dtype.is_floating_point or z.ndim else z.to(DEFAULT_FLOAT)
    # atan2(0, x) for real x, as jnp.angle: angle(-0.0) is pi.
    out = torch.angle(z) if z.dtype.is_complex else torch.atan2(torch.zeros_like(z), z)
    return torch.rad2deg(out) if deg else out


def isneginf(x: Tensor, /, out: None = None) -> Tensor:
    return torch.isneginf(x)


def isposinf(x: Tensor, /, out: None = None) -> Tensor:
    return torch.isposinf(x)


def isreal(x: Tensor) -> Tensor:
    x = as_tensor(x)
    return torch.imag(x) == 0 if x.dtype.is_complex else torch.ones_like(x, dtype=torch.bool)


def iscomplex(x: Tensor) -> Tensor:
    x = as_tensor(x)
    return torch.imag(x) != 0 if x.dtype.is_complex else torch.zeros_like(x, dtype=torch.bool)


def bitwise_not(x: Tensor, /) -> Tensor:
    return as_signed_bits(torch.bitwise_not, x)  # no uint16/32/64 bitwise_not kernel in torch


bitwise_invert = invert = bitwise_not


def bitwise_count(x: Tensor, /) -> Tensor:
    if x.dtype.is_floating_point or x.dtype.is_complex:
        raise TypeError(f"portax.numpy.bitwise_count needs an integer or bool array, got {x.dtype}")
    if x.dtype is torch.bool:
        return x.to(torch.uint8)
    bits = x.element_size() * 8
    # numpy/jnp count the bits of the absolute value; unsigned values are counted as they are (uint64 through its
    # int64 bit pattern, where the logical shift below masks the sign fill).
    wide = x.view(torch.int64) if x.dtype is torch.uint64 else x.to(torch.int64)
    if x.dtype.is_signed:
        wide = torch.abs(wide)
    count = torch.zeros(x.shape, dtype=torch.int64, device=x.device)
    for shift in range(bits):
        count += (wide >> shift) & 1
    return count.to(torch.uint8)


def round(a: Tensor, decimals: int = 0, out: None = None) -> Tensor:
    if out is not None:
        raise ValueError("portax.numpy.round does not support out= (JAX arrays are immutable)")
    if a.dtype.is_complex:
        return torch.complex(round(a.real, decimals), round(a.imag, decimals))
    if a.dtype is torch.bool:
        raise ValueError("portax.numpy.round does not accept bool arrays (as jax.numpy: bool is not inexact); cast first")
    if not a.dtype.is_floating_point:
        if decimals >= 0:
            return a
        raise NotImplementedError("integer portax.numpy.round is not implemented for decimals < 0 (as jax.numpy)")
    if decimals == 0:
        return torch.round(a)
    return torch.round(a, decimals=decimals)


around = round


def frexp(x: Tensor, /) -> tuple[Tensor, Tensor]:
    mantissa, exponent = torch.frexp(to_inexact(x))
    return mantissa, exponent.to(torch.int32)


def ldexp(x1: Any, x2: Any, /) -> Tensor:
    x1 = to_inexact(as_tensor(x1))
    x2 = as_tensor(x2)
    if x1.dtype.is_complex:
        kinds = ", ".join(str(dtype).replace("torch.", "") for dtype in (x1.dtype, x2.dtype))
        raise ValueError(f"portax.numpy.ldexp: ldexp not supported for input types ({kinds}) (as jax.numpy)")
    if x2.dtype.is_floating_point or x2.dtype.is_complex:
        raise ValueError(f"portax.numpy.ldexp needs an integer exponent, got {x2.dtype} (as jax.numpy)")
    # Scale in three exact steps of at most 2**(maxexp - 1) each: 2**x2 alone overflows for x2 >= maxexp, which gives
    # inf for ldexp(0.75, 128) (JAX: 2.55e38) and NaN for ldexp(0, 200) (JAX: 0). Beyond 3 steps the result is 0 or inf.
    limit = int(math.log2(torch.finfo(x1.dtype).max))  # maxexp - 1: 127 for float32
    exponent = torch.clamp(x2.to(torch.int64), -3 * limit, 3 * limit)
    first = torch.div(exponent, 3, rounding_mode="trunc")
    second = torch.div(exponent - first, 2, rounding_mode="trunc")
    two = torch.asarray(2.0, dtype=x1.dtype, device=x1.device)
    for part in (first, second, exponent - first - second):
        x1 = x1 * torch.pow(two, part.to(x1.dtype))
    return x1


def modf(x: Tensor, /, out: None = None) -> tuple[Tensor, Tensor]:
    x = to_inexact(x)
    whole = torch.trunc(x)
    return x - whole, whole


def spacing(x: Tensor, /) -> Tensor:
    x = to_inexact(x)
    toward = torch.where(torch.signbit(x), -math.inf, math.inf).to(x.dtype)
    return torch.nextafter(x, toward) - x


def nan_to_num(x: Tensor, copy: bool = True, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None):
    x = as_tensor(x)
    if x.dtype.is_complex:
        return torch.complex(
            nan_to_num(x.real, copy, nan, posinf, neginf), nan_to_num(x.imag, copy, nan, posinf, neginf)
        )
    if not x.dtype.is_floating_point:
        return x
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# --- binary functions ---
add = _binary(torch.add, "add")


subtract = _binary(torch.subtract, "subtract")


multiply = _binary(torch.multiply, "multiply")


true_divide = divide = _binary(torch.true_divide, "divide", inexact=True)


equal = _binary(torch.eq, "equal")


not_equal = _binary(torch.ne, "not_equal")


_less = _binary(torch.lt, "less")


_less_equal = _binary(torch.le, "less_equal")


_greater = _binary(torch.gt, "greater")


_greater_equal = _binary(torch.ge, "greater_equal")


def _lexicographic(real_fn: Any, torch_fn: Any, name: str) -> Any:
    # jnp orders complex numbers lexicographically (real part, then imaginary part); torch refuses.
    def op(x1: Any, x2: Any, /) -> Tensor:
        if (type(x1) is Tensor and x1.dtype.is_complex) or (type(x2) is Tensor and x2.dtype.is_complex) or (
            type(x1) is complex or type(x2) is complex
        ):
            x1, x2 = promote_pair(x1, x2, scalars_ok=False)
            return (x1.real != x2.real) & torch_fn(x1.real, x2.real) | (x1.real == x2.real) & torch_fn(
                x1.imag, x2.imag)
        return real_fn(x1, x2)

    op.__name__ = op.__qualname__ = name
    return op


less = _lexicographic(_less, torch.lt, "less")


less_equal = _lexicographic(_less_equal, torch.le, "less_equal")


greater = _lexicographic(_greater, torch.gt, "greater")


greater_equal = _lexicographic(_greater_equal, torch.ge, "greater_equal")


bitwise_and = _binary(torch.bitwise_and, "bitwise_and")


bitwise_or = _binary(torch.bitwise_or, "bitwise_or")


bitwise_xor = _binary(torch.bitwise_xor, "bitwise_xor")


_maximum = _binary(torch.maximum, "maximum", scalars_ok=False)


_minimum = _binary(torch.minimum, "minimum", scalars_ok=False)


_fmax = _binary(torch.fmax, "fmax", scalars_ok=False)


_fmin = _binary(torch.fmin, "fmin", scalars_ok=False)


def _complex_extreme(real_fn: Any, pick_first: Any, nan_ignoring: bool, name: str) -> Any:
    def op(x1: Any, x2: Any, /) -> Tensor:
        if not ((type(x1) is Tensor and x1.dtype.is_complex) or (type(x2) is Tensor and x2.dtype.is_complex)
                or type(x1) is complex or type(x2) is complex):
            return real_fn(x1, x2)
        x1, x2 = promote_pair(x1, x2, scalars_ok=False)
        out = torch.where(pick_first(x1, x2), x1, x2)
        nan1, nan2 = torch.isnan(x1), torch.isnan(x2)
        if nan_ignoring:
            return torch.where(nan1, x2, torch.where(nan2, x1, out))
        return torch.where(nan1, x1, torch.where(nan2, x2, out))

    op.__name__ = op.__qualname__ = name
    return op


maximum = _complex_extreme(_maximum, lambda a, b: greater_equal(a, b), False, "maximum")


minimum = _complex_extreme(_minimum, lambda a, b: less_equal(a, b), False, "minimum")


fmax = _complex_extreme(_fmax, lambda a, b: greater_equal(a, b), True, "fmax")


fmin = _complex_extreme(_fmin, lambda a, b: less_equal(a, b), True, "fmin")


def _atan2(y: Tensor, x: Tensor) -> Tensor:
    if y.dtype.is_complex:  # XLA's complex atan2 (which jnp.arctan2 gives): -i log((x + i y) / sqrt(x**2 + y**2))
        return -1j * torch.log((x + 1j * y) / torch.sqrt(x * x + y * y))
    return torch.atan2(y, x)


arctan2 = atan2 = _binary(_atan2, "arctan2", scalars_ok=False, inexact=True)


hypot = _binary(torch.hypot, "hypot", scalars_ok=False, inexact=True)


nextafter = _binary(torch.nextafter, "nextafter", scalars_ok=False, inexact=True)


copysign = _binary(torch.copysign, "copysign", scalars_ok=False, inexact=True)


logaddexp = _binary(torch.logaddexp, "logaddexp", scalars_ok=False, inexact=True)


logaddexp2 = _binary(torch.logaddexp2, "logaddexp2", scalars_ok=False, inexact=True)


logical_and = _binary(torch.logical_and, "logical_and", scalars_ok=False)


logical_or = _binary(torch.logical_or, "logical_or", scalars_ok=False)


logical_xor = _binary(torch.logical_xor, "logical_xor", scalars_ok=False)


_gcd = _binary(torch.gcd, "gcd", scalars_ok=False)


_lcm = _binary(torch.lcm, "lcm", scalars_ok=False)


_left_shift = _binary(torch.bitwise_left_shift, "left_shift")


_right_shift = _binary(torch.bitwise_right_shift, "right_shift")


def _int_only(fn: Any, name: str) -> Any:
    def op(x1: Any, x2: Any, /) -> Tensor:
        out = fn(x1, x2)
        if out.dtype.is_floating_point or out.dtype.is_complex:
            raise TypeError(f"portax.numpy.{name} needs integer arrays, got {out.dtype}")
        return out

    op.__name__ = op.__qualname__ = name
    return op


def _shift(fn: Any, name: str) -> Any:
    def op(x1: Any, x2: Any, /) -> Tensor:
        x1, x2 = promote_pair(x1, x2, scalars_ok=False)
        if x1.dtype.is_floating_point or x1.dtype.is_complex:
            raise TypeError(f"portax.numpy.{name} needs integer arrays, got {x1.dtype}")
        if x1.dtype is torch.bool:  # jnp's promote_args_numeric (dtypes.to_numeric_dtype): two bools shift as int32
            x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
        if x1.dtype in _UNSIGNED_WIDE:
            return via_int64(op, name, x1, x2)
        bits = x1.element_size() * 8
        out = fn(x1, x2)
        # XLA's shifts by >= the bit width give 0 (or the sign fill for arithmetic right shifts).
        too_far = (x2 >= bits) | (x2 < 0)
        if name == "right_shift" and x1.dtype.is_signed:
            fill = torch.where(x1 < 0, -1, 0).to(x1.dtype)
        else:
            fill = torch.zeros_like(out)
        return torch.where(too_far, fill, out)

    op.__name__ = op.__qualname__ = name
    return op


gcd = _int_only(_gcd, "gcd")


lcm = _int_only(_lcm, "lcm")


left_shift = bitwise_left_shift = _shift(torch.bitwise_left_shift, "left_shift")


right_shift = bitwise_right_shift = _shift(torch.bitwise_right_shift, "right_shift")


def floor_divide(x1: Any, x2: Any, /) -> Tensor:
    x1, x2 = promote_pair(x1, x2, scalars_ok=False)
    if x1.dtype.is_complex:
        raise TypeError("portax.numpy.floor_divide does not support complex arrays (as jax.numpy)")
    if x1.dtype is torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)  # jnp: bool // bool is int32
    if x1.dtype in _UNSIGNED_WIDE or x1.dtype is torch.uint8:
        # XLA's unsigned division by zero gives all ones (255 for uint8); no rounding correction for unsigned.
        zero = x2 == 0
        safe = torch.where(zero, torch.ones_like(x2), x2)
        quotient = via_int64(torch.floor_divide, "floor_divide", x1, safe) if x1.dtype in _UNSIGNED_WIDE else (
            torch.floor_divide(x1, safe))
        return torch.where(zero, torch.full((), torch.iinfo(x1.dtype).max, dtype=x1.dtype), quotient)
    if not x1.dtype.is_floating_point:
        # XLA's integer division by zero gives -1 and its remainder x1; jnp.floor_divide then rounds nonzero x1
        # down once more (-2). Reproduce instead of raising ZeroDivisionError.
        zero = x2 == 0
        safe = torch.where(zero, torch.ones_like(x2), x2)
        by_zero = torch.where(x1 == 0, -1, -2).to(x1.dtype)
        return torch.where(zero, by_zero, torch.floor_divide(x1, safe))
    # jnp's _float_divmod: exact through fmod, then round (not floor) of the corrected quotient.
    mod = torch.fmod(x1, x2)
    div = (x1 - mod) / x2
    fix = (mod != 0) & (torch.sign(x2) != torch.sign(mod))
    div = torch.where(fix, div - 1, div)
    rounded = torch.where(div >= 0, torch.floor(div + 0.5), torch.ceil(div - 0.5))
    # The standard's special cases are those of floor(x1 / x2) (inf // 2 == inf, 1 // -inf == -0, -0 // 1 == -0),
    # where the divmod-based result gives NaN or -1 (as portax on jax, portax_jax/elementwise.py).
    quotient = x1 / x2
    special = (x2 == 0) | (x1 == 0) | (torch.isinf(x1) & torch.isfinite(x2)) | (torch.isfinite(x1) & torch.isinf(x2))
    return torch.where(special, torch.floor(quotient), rounded)


def _integer_by_zero_is_zero(op: Any, x1: Tensor, x2: Tensor) -> Tensor:
    """``op(x1, x2)`` on integers, 0 where ``x2 == 0`` (jnp's remainder/fmod; torch raises there)."""
    safe = torch.where(x2 == 0, torch.ones_like(x2), x2)
    return torch.where(x2 == 0, torch.zeros_like(x1), op(x1, safe))


def remainder(x1: Any, x2: Any, /) -> Tensor:
    x1, x2 = promote_pair(x1, x2, scalars_ok=False)
    if x1.dtype.is_complex:
        raise TypeError("portax.numpy.remainder does not support complex arrays (as jax.numpy)")
    if x1.dtype is torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    if x1.dtype in _UNSIGNED_WIDE:
        return via_int64(remainder, "remainder", x1, x2)
    if not x1.dtype.is_floating_point:
        return _integer_by_zero_is_zero(torch.remainder, x1, x2)
    out = torch.remainder(x1, x2)
    # A zero remainder has the sign of x2 (the standard, NumPy); torch keeps the sign of x1 for -0 % 1.
    return torch.where(out == 0, torch.copysign(torch.zeros_like(out), x2), out)


mod = remainder


def fmod(x1: Any, x2: Any, /) -> Tensor:
    x1, x2 = promote_pair(x1, x2, scalars_ok=False)
    if x1.dtype.is_complex:
        raise TypeError("portax.numpy.fmod does not support complex arrays (as jax.numpy)")
    if x1.dtype is torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    if x1.dtype in _UNSIGNED_WIDE:
        return via_int64(fmod, "fmod", x1, x2)
    if not x1.dtype.is_floating_point:
        return _integer_by_zero_is_zero(torch.fmod, x1, x2)
    return torch.fmod(x1, x2)


def divmod(x1: Any, x2: Any, /) -> tuple[Tensor, Tensor]:
    return floor_divide(x1, x2), remainder(x1, x2)


def power(x1: Any, x2: Any, /) -> Tensor:
    if type(x1) is not Tensor or type(x2) is not Tensor or x1.dtype is not x2.dtype:
        x1, x2 = promote_pair(x1, x2, scalars_ok=False)
    if x1.dtype.is_floating_point or x1.dtype.is_complex:
        return torch.pow(x1, x2)
    if x1.dtype is torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)  # jnp: bool ** bool is int32
    if x1.dtype in _UNSIGNED_WIDE:
        return via_int64(power, "power", x1, x2)
    negative_exp = x2 < 0
    if not bool(negative_exp.any()):
        return torch.pow(x1, x2)
    # jnp.power on integers is binary exponentiation over the exponent's low 6 bits (more would overflow for
    # any base > 1), so a negative exponent gives what its bit pattern gives; torch refuses negative exponents.
    exponent = x2 & 63
    base, exponent = torch.broadcast_tensors(x1, exponent)
    acc = torch.ones_like(base)
    for _ in range(6):
        acc = torch.where((exponent & 1) == 1, acc * base, acc)
        base = base * base
        exponent = exponent >> 1
    return acc


pow = power


def _promote_inexact(x1: Any, x2: Any) -> tuple[Tensor, Tensor]:
    """jnp's ``promote_args_inexact``: integer tensors become float before a Python int meets them (heaviside(uint8
    0, -1) is -1.0, not 255.0 from -1 wrapped to uint8 first)."""
    if type(x1) is int or type(x2) is int:
        x1, x2 = (to_inexact(v) if type(v) is Tensor else v for v in (x1, x2))
    x1, x2 = promote_pair(x1, x2, scalars_ok=False)
    return to_inexact(x1), to_inexact(x2)


def float_power(x: Any, y: Any, /) -> Tensor:
    return torch.pow(*_promote_inexact(x, y))


def heaviside(x1: Any, x2: Any, /) -> Tensor:
    x1, x2 = _promote_inexact(x1, x2)
    out = torch.where(x1 < 0, torch.zeros_like(x1), torch.where(x1 > 0, torch.ones_like(x1), x2))
    return torch.where(torch.isnan(x1), x1, out)


def clip(arr: Any = None, /, min: Any = None, max: Any = None) -> Tensor:
    arr = as_tensor(arr)
    dtype = result_dtype(*(v for v in (arr, min, max) if v is not None))
    if arr.dtype is not dtype:
        arr = arr.to(dtype)
    if min is not None:
        arr = torch.clamp_min(arr, min if is_python_scalar(min) else as_tensor(min).to(dtype))
    if max is not None:
        arr = torch.clamp_max(arr, max if is_python_scalar(max) else as_tensor(max).to(dtype))
    return arr


def array_equiv(a1: Any, a2: Any) -> torch.Tensor:
    a1, a2 = as_tensor(a1), as_tensor(a2)
    try:
        shape = torch.broadcast_shapes(a1.shape, a2.shape)
    except RuntimeError:
        return torch.tensor(False)
    a1, a2 = promote(a1, a2)
    return torch.all(a1.broadcast_to(shape) == a2.broadcast_to(shape))


def packbits(a: Any, axis: int | None = None, bitorder: str = "big") -> torch.Tensor:
    arr = as_tensor(a)
    if arr.dtype.is_floating_point or arr.dtype.is_complex:
        raise TypeError("Expected an input array of integer or boolean data type")
    if bitorder not in ("little", "big"):
        raise ValueError("'order' must be either 'little' or 'big'")
    arr = (arr != 0).to(torch.int32)
    bits = torch.arange(8, dtype=torch.int32)
    if bitorder == "big":
        bits = torch.flip(bits, (0,))
    if axis is None:
        arr, axis = arr.reshape(-1), 0
    arr = arr.movedim(normalize_axis(axis, arr.ndim), -1)
    remainder_ = arr.shape[-1] % 8
    if remainder_:
        arr = torch.nn.functional.pad(arr, (0, 8 - remainder_))
    arr = arr.reshape(*arr.shape[:-1], arr.shape[-1] // 8, 8)
    packed = (arr << bits).sum(-1).to(torch.uint8)
    return packed.movedim(-1, normalize_axis(axis, packed.ndim))


def unpackbits(a: Any, axis: int | None = None, count: int | None = None, bitorder: str = "big") -> torch.Tensor:
    arr = as_tensor(a)
    if arr.dtype != torch.uint8:
        raise TypeError("Expected an input array of unsigned byte data type")
    if bitorder not in ("little", "big"):
        raise ValueError("'order' must be either 'little' or 'big'")
    bits = 1 << torch.arange(8, dtype=torch.int32)
    if bitorder == "big":
        bits = torch.flip(bits, (0,))
    if axis is None:
        arr, axis = arr.reshape(-1), 0
    axis = normalize_axis(axis, arr.ndim)
    arr = arr.movedim(axis, -1).to(torch.int32)
    unpacked = ((arr.unsqueeze(-1) & bits) > 0).to(torch.uint8)
    unpacked = unpacked.reshape(*unpacked.shape[:-2], -1)
    if count is not None:
        if count > unpacked.shape[-1]:
            unpacked = torch.nn.functional.pad(unpacked, (0, count - unpacked.shape[-1]))
        else:
            unpacked = unpacked[..., :count]
    return unpacked.movedim(-1, axis)


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = promote(a, b)
    if not is_inexact(a.dtype):
        return a == b
    rtol_t = as_tensor(rtol).to(a.real.dtype if a.is_complex() else a.dtype)
    atol_t = as_tensor(atol).to(rtol_t.dtype)
    return isclose_over(torch, a, b, rtol_t, atol_t, bool(equal_nan))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return torch.all(isclose(a, b, rtol, atol, equal_nan))


def array_equal(a1, a2, equal_nan=False):
    a1, a2 = promote(a1, a2)
    if a1.shape != a2.shape:
        return torch.tensor(False)
    return array_equal_over(torch, a1, a2, bool(equal_nan), is_inexact(a1.dtype))
