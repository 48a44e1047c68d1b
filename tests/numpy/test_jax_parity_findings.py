"""Values, dtypes and errors that differed from JAX on torch (issue 13's findings), on every backend against real JAX.

Each case runs through portax on the backend under test and through ``jax.numpy`` on the same NumPy data (skipped
where jax is not installed): the shapes, dtype names and values must agree, or both must raise the same class.
"""

from __future__ import annotations

import warnings

import numpy as np
import portax
import pytest
from helpers import to_numpy

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")


def _a(value, dtype):
    return np.asarray(value, dtype=dtype)


_SINGULAR = [[1.0, 2.0], [2.0, 4.0]]
_NAN_MATRIX = [[np.nan, 2.0], [2.0, 4.0]]

#: name -> (function of (namespace, array constructor), whether it needs x64 on)
CASES = {
    "bool left_shift": lambda x, A: x.left_shift(A([True, False], "bool"), A([True, True], "bool")),
    "bool right_shift by int8": lambda x, A: x.right_shift(A([True, False], "bool"), A([1, 0], "int8")),
    "uint16 add": lambda x, A: x.add(A([1, 65535], "uint16"), A([3, 4], "uint16")),
    "uint32 subtract": lambda x, A: x.subtract(A([1, 2], "uint32"), A([3, 1], "uint32")),
    "uint32 less": lambda x, A: x.less(A([1, 2], "uint32"), A([3, 1], "uint32")),
    "uint16 maximum": lambda x, A: x.maximum(A([1, 2], "uint16"), A([3, 1], "uint16")),
    "uint32 square": lambda x, A: x.square(A([1, 70000], "uint32")),
    "uint16 gcd": lambda x, A: x.gcd(A([12, 18], "uint16"), A([8, 27], "uint16")),
    "uint32 ptp": lambda x, A: x.ptp(A([1, 7, 3], "uint32")),
    "uint16 negative": lambda x, A: x.negative(A([1, 0], "uint16")),
    "uint32 sign": lambda x, A: x.sign(A([5, 0], "uint32")),
    "uint16 logical_not": lambda x, A: x.logical_not(A([5, 0], "uint16")),
    "uint32 * int32": lambda x, A: x.multiply(A([3], "uint32"), A([2], "int32")),
    "int32 + 2**31": lambda x, A: x.add(A([1], "int32"), 2**31),
    "2**31 + int32": lambda x, A: x.add(2**31, A([1], "int32")),
    "add(255, int8)": lambda x, A: x.add(255, A([1], "int8")),
    "maximum(int8, 300)": lambda x, A: x.maximum(A([1], "int8"), 300),
    "asarray(255, int8)": lambda x, A: x.asarray(255, dtype="int8"),
    "astype nan/inf to int32": lambda x, A: x.astype(A([np.nan, np.inf, -np.inf, 3e9, -3e9, 1.5], "float32"), "int32"),
    "astype to uint8": lambda x, A: x.astype(A([np.nan, 300.0, -5.0, 3e9], "float32"), "uint8"),
    "ldexp overflow": lambda x, A: x.ldexp(A(0.75, "float32"), 128),
    "ldexp of 0": lambda x, A: x.ldexp(A([0.0, 1.0], "float32"), A([200, -200], "int32")),
    "floor_divide uint8 by 0": lambda x, A: x.floor_divide(A([3, 0], "uint8"), A([0, 0], "uint8")),
    "floor_divide uint16 by 0": lambda x, A: x.floor_divide(A([3, 5], "uint16"), A([0, 2], "uint16")),
    "inv singular": lambda x, A: x.linalg.inv(A(_SINGULAR, "float32")),
    "solve singular": lambda x, A: x.linalg.solve(A(_SINGULAR, "float32"), A([1.0, 1.0], "float32")),
    "svd NaN": lambda x, A: x.linalg.svd(A(_NAN_MATRIX, "float32"), compute_uv=False),
    "pinv NaN": lambda x, A: x.linalg.pinv(A(_NAN_MATRIX, "float32")),
    "lstsq NaN": lambda x, A: x.linalg.lstsq(A(_NAN_MATRIX, "float32"), A([1.0, 1.0], "float32"))[0],
    "matrix_rank NaN": lambda x, A: x.linalg.matrix_rank(A(_NAN_MATRIX, "float32")),
    "eigvals NaN": lambda x, A: x.linalg.eigvals(A(_NAN_MATRIX, "float32")),
    "reshape to a shape array": lambda x, A: x.reshape(A(np.arange(6.0), "float32"), A([2, 3], "int32")),
    "norm of empty, ord=2": lambda x, A: x.linalg.norm(A(np.zeros((0, 3)), "float32"), ord=2),
    "median of (3, 0) over axis 0": lambda x, A: x.median(A(np.zeros((3, 0)), "float32"), axis=0, keepdims=True),
    "median of (0, 3) over axis 0": lambda x, A: x.median(A(np.zeros((0, 3)), "float32"), axis=0),
    "median of (0, 3) over axis 0, keepdims": lambda x, A: x.median(A(np.zeros((0, 3)), "float32"), axis=0, keepdims=True),
    "median of (0,)": lambda x, A: x.median(A(np.zeros(0), "float32")),
    "quantile of (3, 0) over axis 1": lambda x, A: x.quantile(A(np.zeros((3, 0)), "float32"), 0.5, axis=1),
    "percentile of (0, 0) over axis 0": lambda x, A: x.percentile(A(np.zeros((0, 0)), "float32"), 50.0, axis=0),
    "nanmedian of (0,)": lambda x, A: x.nanmedian(A(np.zeros(0), "float32")),
    "nanmedian of (0, 0) over axis 0": lambda x, A: x.nanmedian(A(np.zeros((0, 0)), "float32"), axis=0),
    "nanmedian of (3, 0) over axis 1": lambda x, A: x.nanmedian(A(np.zeros((3, 0)), "float32"), axis=1),
    "uint32 flip": lambda x, A: x.flip(A([[1, 4000000000], [3, 4]], "uint32"), axis=1),
    "uint16 flipud": lambda x, A: x.flipud(A([1, 65535], "uint16")),
    "uint32 invert": lambda x, A: x.invert(A([1, 4000000000], "uint32")),
    "uint16 bitwise_not": lambda x, A: x.bitwise_not(A([0, 65535], "uint16")),
    "full(2, 2**31, int32)": lambda x, A: x.full(2, 2**31, dtype="int32"),
    "full(2, -2**31 - 1, int32)": lambda x, A: x.full(2, -(2**31) - 1, dtype="int32"),
    "full(2, 300, int8)": lambda x, A: x.full(2, 300, dtype="int8"),
    "full(2, -1, uint8)": lambda x, A: x.full(2, -1, dtype="uint8"),
    "full(2, 2**31)": lambda x, A: x.full(2, 2**31),
    "full(2, 2**64, int32)": lambda x, A: x.full(2, 2**64, dtype="int32"),
    "full_like(int8, 300)": lambda x, A: x.full_like(A([1, 2], "int8"), 300),
    "inner with mismatched axes": lambda x, A: x.inner(A([1.0, 2.0, 3.0], "float32"), A(np.ones((3, 1)), "float32")),
    "at[].multiply(2.5) of int32": lambda x, A: x.asarray(A([4, 1], "int32")).at[0].multiply(2.5),
    "at[].add(1.5) twice of int32": lambda x, A: x.asarray(A([4, 1], "int32")).at[A([0, 0], "int32")].add(1.5),
    "at[].min(0.5) of int32": lambda x, A: x.asarray(A([4, 1], "int32")).at[0].min(0.5),
    "at[].set(-1.5) of uint8": lambda x, A: x.asarray(A([4, 1], "uint8")).at[0].set(-1.5),
    "at[].power(1.5) of int32": lambda x, A: x.asarray(A([4, 2], "int32")).at[0].power(1.5),
}
X64_CASES = {
    "x64 bool left_shift": lambda x, A: x.left_shift(A([True, False], "bool"), A([True, True], "bool")),
    "x64 int32 true_divide": lambda x, A: x.true_divide(A([1, 2], "int32"), A([3, 3], "int32")),
    "x64 int32 mean": lambda x, A: x.mean(A([1, 2], "int32")),
    "x64 int32 std": lambda x, A: x.std(A([1, 2], "int32")),
    "x64 int32 reciprocal": lambda x, A: x.reciprocal(A([1, 2], "int32")),
    "x64 int32 ldexp": lambda x, A: x.ldexp(A([1, 2], "int32"), A([1, 2], "int32")),
    "x64 int64 true_divide": lambda x, A: x.true_divide(A([1, 2], "int64"), A([3, 3], "int64")),
    "x64 matrix_rank": lambda x, A: x.linalg.matrix_rank(A(_SINGULAR, "float32")),
    # dtypes are the point; inputs with exact results (values are compared exactly here)
    "x64 int64 sin": lambda x, A: x.sin(A([0, 0], "int64")),
    "x64 uint64 sqrt": lambda x, A: x.sqrt(A([1, 4], "uint64")),
    "x64 int64 exp (special complex values path)": lambda x, A: x.exp(A([0, 0], "int64")),
    "x64 int64 arccos": lambda x, A: x.arccos(A([1, 1], "int64")),
    "x64 int32 sin": lambda x, A: x.sin(A([0, 0], "int32")),
    "x64 float32 log": lambda x, A: x.log(A([1.0, 1.0], "float32")),
}


def _outcome(fn, namespace, make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(namespace, make)
        except (TypeError, ValueError, OverflowError, IndexError) as error:
            return error


def _check(fn, xp):
    theirs = _outcome(fn, jnp, lambda v, dt: jnp.asarray(np.asarray(v, dtype=dt)))
    ours = _outcome(fn, xp, lambda v, dt: xp.asarray(np.asarray(v, dtype=dt)))
    if isinstance(theirs, Exception):
        builtin = next(c for c in type(theirs).__mro__ if c.__module__ == "builtins")  # JAX's class, or its base
        assert isinstance(ours, builtin), f"JAX raises {type(theirs).__name__}, portax gave {ours!r}"
        return
    assert not isinstance(ours, Exception), f"JAX returns a value, portax raised {ours!r}"
    ours_np, theirs_np = np.asarray(to_numpy(ours)), np.asarray(theirs)
    assert ours_np.shape == theirs_np.shape
    assert ours_np.dtype == theirs_np.dtype
    np.testing.assert_array_equal(ours_np, theirs_np)


@pytest.mark.parametrize("name", list(CASES))
def test_matches_jax(name, xp):
    _check(CASES[name], xp)


@pytest.mark.parametrize("name", list(X64_CASES))
def test_matches_jax_with_x64(name, xp):
    was, jax_was = portax.config.jax_enable_x64, jax.config.jax_enable_x64
    portax.config.update("jax_enable_x64", True)
    jax.config.update("jax_enable_x64", True)
    try:
        _check(X64_CASES[name], xp)
    finally:
        portax.config.update("jax_enable_x64", was)
        jax.config.update("jax_enable_x64", jax_was)
