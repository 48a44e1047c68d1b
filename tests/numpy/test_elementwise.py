"""Element-wise functions against NumPy: hypothesis inputs (shapes 0-d to 3-d, empty, broadcasting), dtype sweeps."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_backend, broadcastable_pair, canonical_dtype, check, float_arrays, int_arrays, to_numpy
from hypothesis import given, strategies as st

# name -> (NumPy reference, input range). Ranges keep float32 results finite and away from poles.
UNARY_FLOAT = {
    "abs": (np.abs, -1e3, 1e3),
    "absolute": (np.absolute, -1e3, 1e3),
    "negative": (np.negative, -1e3, 1e3),
    "positive": (np.positive, -1e3, 1e3),
    "sign": (np.sign, -1e3, 1e3),
    "square": (np.square, -1e3, 1e3),
    "sqrt": (np.sqrt, 0, 1e3),
    "cbrt": (np.cbrt, -1e3, 1e3),
    "reciprocal": (np.reciprocal, 0.5, 1e3),
    "exp": (np.exp, -50, 50),
    "exp2": (np.exp2, -50, 50),
    "expm1": (np.expm1, -50, 50),
    "log": (np.log, 1e-3, 1e3),
    "log2": (np.log2, 1e-3, 1e3),
    "log10": (np.log10, 1e-3, 1e3),
    "log1p": (np.log1p, -0.99, 1e3),
    "sin": (np.sin, -100, 100),
    "cos": (np.cos, -100, 100),
    "tan": (np.tan, -1.5, 1.5),
    "arcsin": (np.arcsin, -1, 1),
    "arccos": (np.arccos, -1, 1),
    "arctan": (np.arctan, -1e3, 1e3),
    "asin": (np.arcsin, -1, 1),
    "acos": (np.arccos, -1, 1),
    "atan": (np.arctan, -1e3, 1e3),
    "sinh": (np.sinh, -20, 20),
    "cosh": (np.cosh, -20, 20),
    "tanh": (np.tanh, -20, 20),
    "arcsinh": (np.arcsinh, -1e3, 1e3),
    "arccosh": (np.arccosh, 1, 1e3),
    "arctanh": (np.arctanh, -0.99, 0.99),
    "asinh": (np.arcsinh, -1e3, 1e3),
    "acosh": (np.arccosh, 1, 1e3),
    "atanh": (np.arctanh, -0.99, 0.99),
    "floor": (np.floor, -1e3, 1e3),
    "ceil": (np.ceil, -1e3, 1e3),
    "trunc": (np.trunc, -1e3, 1e3),
    "rint": (np.rint, -1e3, 1e3),
    "fabs": (np.fabs, -1e3, 1e3),
    "deg2rad": (np.deg2rad, -1e3, 1e3),
    "rad2deg": (np.rad2deg, -100, 100),
    "degrees": (np.degrees, -100, 100),
    "radians": (np.radians, -1e3, 1e3),
    "sinc": (np.sinc, -20, 20),
    "signbit": (np.signbit, -1e3, 1e3),
    "isfinite": (np.isfinite, -1e3, 1e3),
    "isnan": (np.isnan, -1e3, 1e3),
    "isinf": (np.isinf, -1e3, 1e3),
    "i0": (np.i0, -20, 20),
    "conj": (np.conj, -1e3, 1e3),
    "real": (np.real, -1e3, 1e3),
    "imag": (np.imag, -1e3, 1e3),
}
# Functions whose error grows with the input magnitude in float32 (absolute, not relative, agreement).
_ABSOLUTE_TOLERANCE = {"sin": 1e-5, "cos": 1e-5, "sinc": 1e-6, "tan": 1e-5}


@pytest.mark.parametrize("name", sorted(UNARY_FLOAT))
def test_unary_float32(xp, name):
    reference, low, high = UNARY_FLOAT[name]

    @given(float_arrays(min_value=low, max_value=high))
    def run(data):
        with np.errstate(all="ignore"):
            expected = reference(data.astype(np.float64)).astype(canonical_dtype(reference(data).dtype))
        check(getattr(xp, name)(as_backend(xp, data)), expected, atol=_ABSOLUTE_TOLERANCE.get(name))

    run()


# Integer inputs: NumPy promotes to float64 (-> float32) or keeps int32, as JAX does.
UNARY_INT = ["abs", "negative", "positive", "sign", "square", "sqrt", "exp", "log1p", "sin", "cos", "tanh", "floor",
             "ceil", "trunc", "rint", "cbrt", "isfinite", "isnan", "isinf", "signbit", "fabs", "deg2rad"]


@pytest.mark.parametrize("name", UNARY_INT)
def test_unary_int32(xp, name):
    data = np.array([[-3, -1, 0], [1, 2, 7]], np.int32)
    reference = getattr(np, name)
    with np.errstate(all="ignore"):
        expected = reference(data)
    if name in {"sqrt", "log1p"}:
        data, expected = np.abs(data), reference(np.abs(data))
    check(getattr(xp, name)(as_backend(xp, data)), expected)


@pytest.mark.parametrize("name", ["abs", "sqrt", "exp", "sin", "logical_not", "invert", "bitwise_not", "isnan"])
def test_unary_bool(xp, name):
    data = np.array([True, False, True])
    expected = getattr(np, name)(data)
    if expected.dtype.kind == "f":  # bool -> the default float (JAX: float32; NumPy picks float16)
        expected = getattr(np, name)(data.astype(np.float64)).astype(np.float32)
    check(getattr(xp, name)(as_backend(xp, data)), expected)


UNARY_COMPLEX = ["abs", "negative", "square", "sqrt", "exp", "log", "sin", "cos", "tanh", "conj", "conjugate", "real",
                 "imag", "angle", "reciprocal", "isfinite", "sign", "expm1", "log1p"]


@pytest.mark.parametrize("name", UNARY_COMPLEX)
def test_unary_complex64(xp, name):
    data = np.array([1 + 2j, -0.5 + 0.25j, 3 - 1j, 0.5j], np.complex64)
    expected = getattr(np, name)(data.astype(np.complex128))
    check(getattr(xp, name)(as_backend(xp, data)), expected)


def test_unary_special_values(xp):
    data = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0], np.float32)
    x = as_backend(xp, data)
    for name in ["isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "abs", "sign", "floor", "exp",
                 "negative", "sqrt"]:
        with np.errstate(all="ignore"):
            check(getattr(xp, name)(x), getattr(np, name)(data))


# name -> (NumPy reference, input range, integer inputs allowed)
BINARY_FLOAT = {
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "maximum": np.maximum, "minimum": np.minimum,
    "fmax": np.fmax, "fmin": np.fmin, "arctan2": np.arctan2, "atan2": np.arctan2, "hypot": np.hypot,
    "logaddexp": np.logaddexp, "logaddexp2": np.logaddexp2, "copysign": np.copysign, "heaviside": np.heaviside,
    "equal": np.equal, "not_equal": np.not_equal, "less": np.less, "less_equal": np.less_equal,
    "greater": np.greater, "greater_equal": np.greater_equal,
}


@pytest.mark.parametrize("name", sorted(BINARY_FLOAT))
def test_binary_float32_broadcasting(xp, name):
    reference = BINARY_FLOAT[name]

    @given(broadcastable_pair(np.float32, min_value=-100, max_value=100))
    def run(pair):
        a, b = pair
        expected = reference(a.astype(np.float64), b.astype(np.float64))
        expected = expected.astype(canonical_dtype(reference(a, b).dtype))
        check(getattr(xp, name)(as_backend(xp, a), as_backend(xp, b)), expected)

    run()


@pytest.mark.parametrize("name", ["divide", "true_divide", "floor_divide", "remainder", "fmod"])
def test_division_float32(xp, name):
    if not hasattr(np, name):
        pytest.skip(f"numpy has no {name}")

    @given(broadcastable_pair(np.float32, min_value=-100, max_value=100))
    def run(pair):
        a, b = pair
        b = np.where(np.abs(b) < 0.5, np.float32(1.5), b).astype(np.float32)
        reference = getattr(np, name)
        expected = reference(a.astype(np.float64), b.astype(np.float64)).astype(np.float32)
        # floor-based results are discontinuous: a last-ulp difference in a/b may flip them; compare loosely there
        check(getattr(xp, name)(as_backend(xp, a), as_backend(xp, b)), expected, rtol=1e-4, atol=1e-4)

    run()


def test_power_float32(xp):
    @given(broadcastable_pair(np.float32, min_value=0.1, max_value=4))
    def run(pair):
        a, b = pair
        expected = np.power(a.astype(np.float64), b.astype(np.float64)).astype(np.float32)
        check(xp.power(as_backend(xp, a), as_backend(xp, b)), expected, rtol=1e-4)
        check(xp.pow(as_backend(xp, a), as_backend(xp, b)), expected, rtol=1e-4)

    run()


INT_BINARY = ["add", "subtract", "multiply", "maximum", "minimum", "floor_divide", "remainder", "fmod", "gcd", "lcm",
              "bitwise_and", "bitwise_or", "bitwise_xor", "equal", "less", "greater_equal", "divide"]


@pytest.mark.parametrize("name", INT_BINARY)
def test_binary_int32_broadcasting(xp, name):
    @given(broadcastable_pair(np.int32))
    def run(pair):
        a, b = pair
        if name in {"floor_divide", "remainder", "fmod", "divide"}:
            b = np.where(b == 0, np.int32(7), b).astype(np.int32)
        expected = getattr(np, name)(a, b)
        check(getattr(xp, name)(as_backend(xp, a), as_backend(xp, b)), expected)

    run()


def test_integer_power_and_shifts(xp):
    a = np.array([1, 2, 3, -4, 5], np.int32)
    b = np.array([0, 1, 2, 3, 4], np.int32)
    check(xp.power(as_backend(xp, a), as_backend(xp, b)), np.power(a, b))
    check(xp.left_shift(as_backend(xp, a), as_backend(xp, b)), np.left_shift(a, b))
    check(xp.right_shift(as_backend(xp, a), as_backend(xp, b)), np.right_shift(a, b))
    check(xp.bitwise_left_shift(as_backend(xp, a), as_backend(xp, b)), np.left_shift(a, b))
    check(xp.bitwise_right_shift(as_backend(xp, a), as_backend(xp, b)), np.right_shift(a, b))
    check(xp.invert(as_backend(xp, a)), np.invert(a))
    check(xp.bitwise_invert(as_backend(xp, a)), np.invert(a))


def test_integer_division_signs_follow_python(xp):
    # floor_divide / remainder round toward -inf (NumPy, JAX); fmod keeps the dividend's sign (C).
    a = np.array([7, -7, 7, -7], np.int32)
    b = np.array([2, 2, -2, -2], np.int32)
    check(xp.floor_divide(as_backend(xp, a), as_backend(xp, b)), np.floor_divide(a, b))
    check(xp.remainder(as_backend(xp, a), as_backend(xp, b)), np.remainder(a, b))
    check(xp.fmod(as_backend(xp, a), as_backend(xp, b)), np.fmod(a, b))
    quotient, remainder = xp.divmod(as_backend(xp, a), as_backend(xp, b))
    check(quotient, a // b)
    check(remainder, a % b)
    fa = a.astype(np.float32)
    fb = b.astype(np.float32)
    quotient, remainder = xp.divmod(as_backend(xp, fa), as_backend(xp, fb))
    check(quotient, fa // fb)
    check(remainder, fa % fb)


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or",
                                  "bitwise_xor", "equal", "not_equal", "add", "multiply", "maximum"])
def test_binary_bool(xp, name):
    a = np.array([True, True, False, False])
    b = np.array([True, False, True, False])
    expected = getattr(np, name)(a, b)
    check(getattr(xp, name)(as_backend(xp, a), as_backend(xp, b)), expected)


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "power", "equal", "not_equal"])
def test_binary_complex64(xp, name):
    a = np.array([1 + 2j, -0.5 + 0.25j, 3 - 1j], np.complex64)
    b = np.array([0.5 - 1j, 2 + 0j, -1 + 1j], np.complex64)
    expected = getattr(np, name)(a.astype(np.complex128), b.astype(np.complex128))
    check(getattr(xp, name)(as_backend(xp, a), as_backend(xp, b)), expected, rtol=1e-5)


def test_mixed_dtype_binary_promotion(xp):
    i = np.array([1, 2, 3], np.int32)
    f = np.array([0.5, 1.5, 2.5], np.float32)
    c = np.array([1j, 2, 3], np.complex64)
    b = np.array([True, False, True])
    check(xp.add(as_backend(xp, i), as_backend(xp, f)), i + f)
    check(xp.multiply(as_backend(xp, f), as_backend(xp, c)), f * c)
    check(xp.add(as_backend(xp, b), as_backend(xp, i)), b + i)
    check(xp.divide(as_backend(xp, i), as_backend(xp, i)), (i / i).astype(np.float32))


def test_operators_on_native_arrays(xp):
    a = np.array([1.5, -2.0, 3.0], np.float32)
    b = np.array([0.5, 4.0, -1.0], np.float32)
    x, y = as_backend(xp, a), as_backend(xp, b)
    check(x + y, a + b)
    check(x * 2, a * 2)
    check(x / y, a / b)
    check(-x, -a)
    check(x**2, a**2)
    check(x < y, a < b)


def test_frexp_modf_ldexp_nextafter_spacing(xp):
    data = np.array([0.0, 1.5, -3.25, 1024.0, 1e-3], np.float32)
    x = as_backend(xp, data)
    mantissa, exponent = xp.frexp(x)
    want_mantissa, want_exponent = np.frexp(data)
    check(mantissa, want_mantissa)
    check(exponent, want_exponent.astype(np.int32))
    fractional, integral = xp.modf(x)
    check(fractional, np.modf(data)[0])
    check(integral, np.modf(data)[1])
    check(xp.ldexp(x, as_backend(xp, np.array([1, 2, -1, 0, 3], np.int32))), np.ldexp(data, [1, 2, -1, 0, 3]))
    check(xp.nextafter(x, as_backend(xp, np.full(5, np.inf, np.float32))), np.nextafter(data, np.float32(np.inf)),
          exact=True)
    check(xp.spacing(as_backend(xp, np.array([1.0, 1000.0], np.float32))),
          np.spacing(np.array([1.0, 1000.0], np.float32)), exact=True)


@given(float_arrays(min_value=-10, max_value=10), st.floats(-5, 0), st.floats(0, 5))
def test_clip(xp, data, low, high):
    check(xp.clip(as_backend(xp, data), low, high), np.clip(data, np.float32(low), np.float32(high)))


def test_clip_with_arrays_and_one_side(xp):
    data = np.arange(-3, 4, dtype=np.int32)
    check(xp.clip(as_backend(xp, data), min=-1), np.clip(data, -1, None))
    check(xp.clip(as_backend(xp, data), max=2), np.clip(data, None, 2))
    low = np.full(7, -2, np.int32)
    check(xp.clip(as_backend(xp, data), as_backend(xp, low), 1), np.clip(data, low, 1))


@pytest.mark.parametrize("decimals", [0, 1, 2, -1])
def test_round(xp, decimals):
    data = np.array([0.5, 1.5, 2.5, -0.5, 1.234567, 123.456, -7.89], np.float32)
    expected = np.round(data.astype(np.float64), decimals).astype(np.float32)  # half to even, as NumPy and JAX
    check(xp.round(as_backend(xp, data), decimals), expected, rtol=1e-6)
    check(xp.around(as_backend(xp, data), decimals), expected, rtol=1e-6)
    if decimals >= 0:  # jax.numpy.round raises NotImplementedError for integers with decimals < 0 (JAX 0.10)
        integers = np.array([15, 25, -35], np.int32)
        check(xp.round(as_backend(xp, integers), decimals), np.round(integers, decimals))


def test_nan_to_num(xp):
    data = np.array([np.nan, np.inf, -np.inf, 1.5], np.float32)
    check(xp.nan_to_num(as_backend(xp, data)), np.nan_to_num(data))
    check(xp.nan_to_num(as_backend(xp, data), nan=-1.0, posinf=9.0, neginf=-9.0),
          np.nan_to_num(data, nan=-1.0, posinf=9.0, neginf=-9.0))
    integers = np.array([1, 2], np.int32)
    check(xp.nan_to_num(as_backend(xp, integers)), integers)


def test_isclose_allclose_array_equal(xp):
    a = np.array([1.0, 2.0, np.nan, np.inf], np.float32)
    b = np.array([1.0 + 1e-7, 2.1, np.nan, np.inf], np.float32)
    x, y = as_backend(xp, a), as_backend(xp, b)
    check(xp.isclose(x, y), np.isclose(a, b))
    check(xp.isclose(x, y, equal_nan=True), np.isclose(a, b, equal_nan=True))
    check(xp.isclose(x, y, rtol=0.1), np.isclose(a, b, rtol=0.1))
    assert bool(to_numpy(xp.allclose(x[:1], y[:1])))
    assert not bool(to_numpy(xp.allclose(x, y)))
    assert bool(to_numpy(xp.allclose(x, y, rtol=0.1, equal_nan=True)))
    assert bool(to_numpy(xp.array_equal(x[:2], x[:2])))
    assert not bool(to_numpy(xp.array_equal(x[:2], y[:2])))
    assert not bool(to_numpy(xp.array_equal(x[:2], x[:1])))
    assert bool(to_numpy(xp.array_equal(x, x, equal_nan=True)))


def test_where_select_piecewise(xp):
    data = np.linspace(-2, 2, 9, dtype=np.float32)
    x = as_backend(xp, data)
    check(xp.where(x > 0, x, 0.0), np.where(data > 0, data, 0))
    check(xp.where(x > 0, x, as_backend(xp, np.float32(-1))), np.where(data > 0, data, -1))
    condlist = [x < -1, x > 1]
    check(xp.select(condlist, [x * 2, x * 3], 0.0), np.select([data < -1, data > 1], [data * 2, data * 3], 0.0))
    check(xp.piecewise(x, [x < 0, x >= 0], [lambda v: -v, lambda v: v**2]),
          np.piecewise(data, [data < 0, data >= 0], [lambda v: -v, lambda v: v**2]))
    check(xp.piecewise(x, [x < 0], [0.0, 1.0]), np.piecewise(data, [data < 0], [0.0, 1.0]))


def test_heaviside_values(xp):
    data = np.array([-1.0, 0.0, 2.0], np.float32)
    check(xp.heaviside(as_backend(xp, data), 0.5), np.heaviside(data, 0.5))


def test_int_arrays_strategy_sum_of_elementwise(xp):
    @given(int_arrays())
    def run(data):
        check(xp.abs(as_backend(xp, data)), np.abs(data))

    run()


def test_arctan2_of_complex_numbers_matches_jax(xp):
    # jnp.arctan2 takes complex input (XLA's atan2: -i log((x + i y) / sqrt(x**2 + y**2))); torch.atan2 has no complex
    # kernel. NumPy refuses complex, so real JAX is the reference.
    jnp = pytest.importorskip("jax.numpy")
    y = np.array([1 + 2j, -1, 0, 2j, -3, 0.5 - 0.25j], np.complex64)
    x = np.array([3 - 1j, -1, -2, 0, 0, -0.75 + 1j], np.complex64)
    expected = np.asarray(jnp.arctan2(y, x))
    check(xp.arctan2(as_backend(xp, y), as_backend(xp, x)), expected, rtol=1e-5, atol=1e-6)
    check(xp.arctan2(as_backend(xp, y), as_backend(xp, x.real.copy())), np.asarray(jnp.arctan2(y, x.real)),
          rtol=1e-5, atol=1e-6)
