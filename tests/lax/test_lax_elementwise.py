"""Elementwise ``portax.lax`` primitives against real ``jax.lax`` on every backend: values, shapes, dtypes, XLA's
edge semantics (integer division and remainder, shifts, rounding), JAX's dtype errors word for word, and
compositions with jit, grad and vmap."""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import assert_native, to_numpy
from lax_util import check_both

F = np.array([-2.5, -1.0, -0.5, 0.0, 0.25, 0.5, 1.5, 2.5, 3.0], dtype=np.float32)
POSITIVE = np.array([0.1, 0.5, 1.0, 2.0, 7.5], dtype=np.float32)
UNIT = np.array([-0.9, -0.5, 0.0, 0.3, 0.8], dtype=np.float32)
INTS = np.array([-7, -3, -1, 0, 1, 2, 5, 100, -(2**31)], dtype=np.int32)
C = np.array([1 + 2j, -0.5 + 0.25j, 3 - 1j], dtype=np.complex64)
B = np.array([True, False, True, False])


def compare(ours, theirs, rtol=2e-6, atol=1e-6):
    """Same dtype, shape and values (NaNs in the same places)."""
    actual, expected = to_numpy(ours), np.asarray(theirs)
    assert actual.dtype == expected.dtype, f"dtype {actual.dtype} != {expected.dtype}"
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    if actual.dtype.kind in "fc":
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(actual, expected)


UNARY = [
    ("neg", F), ("neg", INTS), ("neg", C), ("abs", F), ("abs", INTS), ("abs", C), ("sign", F), ("sign", INTS), ("sign", C),
    ("floor", F), ("ceil", F), ("round", F), ("is_finite", np.array([1.0, np.inf, -np.inf, np.nan], np.float32)),
    ("exp", F), ("exp", C), ("exp2", F), ("log", POSITIVE), ("log", C), ("log1p", POSITIVE), ("expm1", F),
    ("sqrt", POSITIVE), ("sqrt", C), ("rsqrt", POSITIVE), ("cbrt", F), ("tanh", F), ("logistic", F),
    ("logistic", C), ("sin", F), ("cos", F), ("tan", UNIT), ("asin", UNIT), ("acos", UNIT), ("atan", F),
    ("sinh", F), ("cosh", F), ("asinh", F), ("acosh", POSITIVE + 1), ("atanh", UNIT), ("erf", F), ("erfc", F),
    ("erf_inv", UNIT), ("lgamma", POSITIVE), ("digamma", POSITIVE), ("bessel_i0e", F), ("bessel_i1e", F),
    ("real", C), ("imag", C), ("conj", C), ("conj", F), ("square", F), ("square", INTS), ("reciprocal", POSITIVE),
    ("bitwise_not", INTS), ("bitwise_not", B), ("population_count", INTS), ("clz", INTS),
    ("clz", np.array([0, 1, 255, 256, 2**20, -1], np.int32)), ("population_count", np.array([0, 255, 7], np.uint8)),
    ("clz", np.array([0, 1, 255, 16], np.uint8)),
]


@pytest.mark.parametrize(("name", "x"), UNARY, ids=[f"{n}-{x.dtype}" for n, x in UNARY])
def test_unary_matches_jax(name, x, xp, jax_reference):
    jax, jnp = jax_reference
    ours = getattr(portax.lax, name)(xp.asarray(x))
    assert_native(ours)
    compare(ours, getattr(jax.lax, name)(jnp.asarray(x)), rtol=2e-5, atol=2e-6)


X = np.array([-7.0, -7.0, 7.5, 7.5, 0.0, 3.0, -2.0, np.nan], np.float32)
Y = np.array([2.0, -2.0, 2.0, -2.0, 1.0, 0.0, 3.0, 1.0], np.float32)
IX = np.array([-7, -7, 7, 7, 0, 5, -5, 9, -(2**31)], np.int32)
IY = np.array([2, -2, 2, -2, 3, 0, 0, 4, -1], np.int32)
SHIFT = np.array([0, 1, 3, 31, 32, 33, -1, 5, 4], np.int32)
U8 = np.array([0, 1, 128, 255, 7], np.uint8)
U8_SHIFT = np.array([0, 1, 7, 8, 9], np.uint8)

BINARY = [
    ("add", X, Y), ("add", IX, IY), ("add", C, C[::-1]), ("sub", X, Y), ("sub", IX, IY), ("mul", X, Y),
    ("mul", IX, IY), ("div", X, Y), ("div", IX, IY), ("div", U8, np.array([2, 0, 3, 5, 7], np.uint8)), ("rem", X, Y),
    ("rem", IX, IY), ("pow", POSITIVE, POSITIVE[::-1]), ("pow", POSITIVE, np.array([0, 1, 2, -1, 3], np.int32)),
    ("max", X, Y), ("max", IX, IY), ("max", B, B[::-1]), ("min", X, Y), ("min", IX, IY), ("atan2", X, Y),
    ("nextafter", X, Y), ("complex", X, Y), ("eq", X, Y), ("ne", X, Y), ("lt", X, Y), ("le", IX, IY),
    ("gt", X, Y), ("ge", IX, IY), ("eq", C, C[::-1]), ("bitwise_and", IX, IY), ("bitwise_or", IX, IY),
    ("bitwise_xor", IX, IY), ("bitwise_and", B, B[::-1]), ("bitwise_xor", B, B[::-1]),
    ("shift_left", IX, SHIFT), ("shift_right_logical", IX, SHIFT), ("shift_right_arithmetic", IX, SHIFT),
    ("shift_left", U8, U8_SHIFT), ("shift_right_logical", U8, U8_SHIFT), ("shift_right_arithmetic", U8, U8_SHIFT),
]


@pytest.mark.parametrize(("name", "x", "y"), BINARY, ids=[f"{n}-{x.dtype}" for n, x, _ in BINARY])
def test_binary_matches_jax(name, x, y, xp, jax_reference):
    jax, jnp = jax_reference
    ours = getattr(portax.lax, name)(xp.asarray(x), xp.asarray(y))
    assert_native(ours)
    compare(ours, getattr(jax.lax, name)(jnp.asarray(x), jnp.asarray(y)), rtol=2e-5)


@pytest.mark.parametrize(
    ("name", "x", "y"),
    [("add", np.ones((2, 1, 3), np.float32), np.arange(4, dtype=np.float32).reshape(1, 4, 1)),
     ("mul", np.ones(3, np.float32), 2.0), ("sub", 1.0, np.arange(3, dtype=np.float32)), ("add", 1.0, 2.0),
     ("max", np.arange(3, dtype=np.int32), 1), ("eq", np.arange(3, dtype=np.int32), 1)],
    ids=["broadcast", "array-float", "float-array", "scalars", "int-scalar", "compare-scalar"],
)
def test_binary_broadcasting_and_python_scalars(name, x, y, xp, jax_reference):
    """lax binary ops broadcast like NumPy and take Python scalars of the array's kind (JAX 0.10)."""
    jax, jnp = jax_reference

    def convert(value, module):
        return module.asarray(value) if isinstance(value, np.ndarray) else value

    compare(getattr(portax.lax, name)(convert(x, xp), convert(y, xp)), getattr(jax.lax, name)(convert(x, jnp), convert(y, jnp)))


@pytest.mark.parametrize("method", [0, 1])
def test_round_methods(method, xp, jax_reference):
    jax, jnp = jax_reference
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999997, -0.49999997, 3.7], np.float32)
    ours = portax.lax.round(xp.asarray(x), portax.lax.RoundingMethod(method))
    compare(ours, jax.lax.round(jnp.asarray(x), jax.lax.RoundingMethod(method)))


@pytest.mark.parametrize("y", [0, 1, 2, 3, 5, -1, -2])
def test_integer_pow(y, xp, jax_reference):
    jax, jnp = jax_reference
    compare(portax.lax.integer_pow(xp.asarray(X[:-1]), y), jax.lax.integer_pow(jnp.asarray(X[:-1]), y), rtol=1e-5)
    if y >= 0:
        compare(portax.lax.integer_pow(xp.asarray(IX[:5]), y), jax.lax.integer_pow(jnp.asarray(IX[:5]), y))


def test_clamp_values_and_scalar_bounds(xp, jax_reference):
    jax, jnp = jax_reference
    compare(portax.lax.clamp(-1.0, xp.asarray(X), 2.0), jax.lax.clamp(-1.0, jnp.asarray(X), 2.0))
    low, high = np.full(8, -1.0, np.float32), np.linspace(0, 3, 8).astype(np.float32)
    compare(
        portax.lax.clamp(xp.asarray(low), xp.asarray(X), xp.asarray(high)),
        jax.lax.clamp(jnp.asarray(low), jnp.asarray(X), jnp.asarray(high)),
    )


def test_mul_out_dtype(xp, jax_reference):
    jax, jnp = jax_reference
    x = np.array([100, -100, 7], np.int8)
    compare(portax.lax.mul(xp.asarray(x), xp.asarray(x), out_dtype=xp.int32), jax.lax.mul(jnp.asarray(x), jnp.asarray(x), out_dtype=jnp.int32))


# -- JAX's errors, word for word ------------------------------------------------------------------------------------


def _error(function, *args):
    with pytest.raises(Exception) as info:  # noqa: PT011 (the class is compared with JAX's below)
        function(*args)
    return info.value


ERRORS = [
    ("add", (np.ones(3, np.float32), np.ones(3, np.int32))),
    ("add", (np.ones(3, np.float32), 2)),
    ("add", (np.ones(3, np.float16), 2.0)),
    ("sub", (np.ones(3, np.int32), np.ones(3, np.int8))),
    ("max", (np.ones(3, np.float32), np.ones(3, np.float16))),
    ("lt", (np.ones(3, np.int32), np.ones(3, np.float32))),
    ("add", (np.ones(3, np.bool_), np.ones(3, np.bool_))),
    ("add", (np.ones(3, np.float32), np.ones(2, np.float32))),
    ("exp", (np.ones(3, np.int32),)),
    ("floor", (np.ones(3, np.complex64),)),
    ("neg", (np.ones(3, np.bool_),)),
    ("real", (np.ones(3, np.float32),)),
    ("abs", (np.ones(3, np.uint8),)),
    ("bitwise_and", (np.ones(3, np.float32), np.ones(3, np.float32))),
    ("bitwise_not", (np.ones(3, np.float32),)),
    ("shift_left", (np.ones(3, np.int32), np.ones(3, np.float32))),
    ("rem", (np.ones(3, np.complex64), np.ones(3, np.complex64))),
    ("pow", (np.ones(3, np.int32), np.ones(3, np.int32))),
    ("pow", (np.ones(3, np.float32), np.ones(3, np.float16))),
    ("reciprocal", (np.ones(3, np.int32),)),
    ("clamp", (0, np.ones(3, np.float32), 1.0)),
    ("complex", (np.ones(3, np.int32), np.ones(3, np.int32))),
]


@pytest.mark.parametrize(("name", "args"), ERRORS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(ERRORS)])
def test_errors_match_jax(name, args, xp, jax_reference):
    """lax does not promote: mismatched or unaccepted dtypes raise JAX's TypeError with JAX's message."""
    jax, jnp = jax_reference
    ours = _error(getattr(portax.lax, name), *[xp.asarray(a) if isinstance(a, np.ndarray) else a for a in args])
    theirs = _error(getattr(jax.lax, name), *[jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args])
    assert type(ours) is type(theirs) is TypeError
    assert str(ours) == str(theirs)


def test_integer_pow_negative_exponent_of_integers(xp):
    with pytest.raises(TypeError, match="Integers cannot be raised to negative powers"):
        portax.lax.integer_pow(xp.asarray(np.ones(3, np.int32)), -2)


# -- compositions -----------------------------------------------------------------------------------------------------


def build_smooth(t, lax, np_like):
    def program(x, y):
        a = lax.add(lax.mul(x, lax.sin(y)), lax.exp(lax.neg(lax.square(x))))
        b = lax.div(lax.logistic(x), lax.add(lax.integer_pow(y, 2), 1.0))
        c = lax.atan2(x, lax.add(lax.abs(y), 0.5)) + lax.tanh(lax.sub(x, y)) + lax.rsqrt(lax.add(lax.square(y), 1.0))
        return lax.pow(lax.add(lax.abs(a), 1.0), y) + b * c + lax.erf(x) + lax.log1p(lax.square(y))

    return program


SMOOTH_X = np.array([0.3, -1.2, 0.7, 1.9], np.float32)
SMOOTH_Y = np.array([1.1, 0.4, -0.8, 2.0], np.float32)


@pytest.mark.parametrize("mode", ["eager", "jit", "grad", "jit_grad", "vmap_grad", "jit_vmap"])
def test_elementwise_program_under_transforms(mode, xp, jax_reference):
    """A program of lax elementwise primitives: values and gradients agree with real JAX under each transform."""
    check_both(build_smooth, mode, xp, jax_reference, SMOOTH_X, SMOOTH_Y, rtol=2e-5, atol=2e-5)


def build_kinks(t, lax, np_like):
    def program(x):
        ties = lax.max(x, 1.0) + lax.min(x, 2.0)  # x has values exactly at the tie points
        return ties + lax.clamp(-1.0, x * 3.0, 2.0) + lax.select_n(lax.gt(x, 0.0), -x, x * x)

    return program


@pytest.mark.parametrize("mode", ["grad", "jit_grad", "vmap_grad"])
def test_gradients_at_ties_and_bounds_follow_jax(mode, xp, jax_reference):
    """max/min split the gradient at ties, clamp passes none at its bounds: JAX's rules."""
    x = np.array([1.0, 2.0, -1.0 / 3.0, 2.0 / 3.0, 0.5, -2.0], np.float32)
    check_both(build_kinks, mode, xp, jax_reference, x)


def test_grad_against_finite_differences(xp):
    """grad of a lax program against central differences in float64 NumPy."""

    def program(x):
        return portax.lax.reduce_sum(portax.lax.mul(portax.lax.cbrt(x), portax.lax.cos(x)), (0,))

    x = np.array([0.5, 1.3, 2.2], np.float32)
    grad = to_numpy(portax.grad(program)(xp.asarray(x)))
    eps = 1e-3
    xd = x.astype(np.float64)
    numeric = [
        ((np.cbrt(xd + eps * e) * np.cos(xd + eps * e)).sum() - (np.cbrt(xd - eps * e) * np.cos(xd - eps * e)).sum())
        / (2 * eps)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(grad, numeric, rtol=1e-3)


@pytest.mark.parametrize("mode", ["vmap", "jit_vmap"])
def test_integer_primitives_under_transforms(mode, xp, jax_reference):
    """Integer semantics (truncating div, fmod, logical shifts, clz) also hold traced and batched."""

    def build(t, lax, np_like):
        def program(x, y):
            return (lax.div(x, y), lax.rem(x, y), lax.shift_right_logical(x, lax.bitwise_and(y, 31)), lax.clz(x))

        return program

    check_both(build, mode, xp, jax_reference, IX.reshape(3, 3), IY.reshape(3, 3))


@pytest.mark.parametrize(
    ("name", "args"),
    [("add", (np.ones((2, 3), np.float32), np.ones(3, np.float32))),
     ("mul", (np.ones((2, 3), np.float32), np.ones((1, 2), np.float32))),
     ("clamp", (np.float32(0), np.ones((2, 3), np.float32), np.ones((1, 3), np.float32)))],
    ids=["rank", "sizes", "clamp-bound"],
)
def test_shape_errors_match_jax(name, args, xp, jax_reference):
    """lax broadcasts sizes of 1 but never adds axes: JAX's TypeError otherwise."""
    jax, jnp = jax_reference
    ours = _error(getattr(portax.lax, name), *[xp.asarray(a) for a in args])
    theirs = _error(getattr(jax.lax, name), *[jnp.asarray(a) for a in args])
    assert type(ours) is type(theirs) is TypeError
    assert str(ours) == str(theirs)
