"""Corners of the array API standard and of jax.numpy that a backend gets wrong easily (found by data-apis/array-api-tests
and the torch backend's review, 2026-11-25): exact 64-bit creation from Python values, unsigned integers, result
dtypes, dispatch of nested lists and of dtype/scalar arguments. Every backend must give these answers."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_backend, check, to_numpy


def _declares(xp, name: str) -> bool:
    return name in xp.__array_namespace_info__().dtypes()


@pytest.mark.parametrize("value", [16777217.0, 1e300, 5e-324, -0.1])
def test_float64_creation_keeps_python_floats_exact(xp, value):
    if not _declares(xp, "float64"):
        pytest.skip("this backend mode declares no float64")
    for made in (
        xp.asarray(value, dtype=xp.float64),
        xp.asarray([value], dtype=xp.float64),
        xp.full((2,), value, dtype=xp.float64),
        xp.array([[value]], dtype=xp.float64),
    ):
        assert float(to_numpy(made).reshape(-1)[0]) == value


def test_complex128_creation_keeps_python_complex_exact(xp):
    if not _declares(xp, "complex128"):
        pytest.skip("this backend mode declares no complex128")
    value = 2 + 5.979626801669774e16j
    assert complex(to_numpy(xp.asarray(value, dtype=xp.complex128))) == value


def test_namespace_info_lists_only_the_standard_dtypes(xp):
    standard = {
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float32",
        "float64",
        "complex64",
        "complex128",
    }
    assert set(xp.__array_namespace_info__().dtypes()) <= standard


def test_arange_of_an_empty_range_is_empty(xp):
    assert to_numpy(xp.arange(-3)).shape == (0,)
    assert to_numpy(xp.arange(3, 1)).shape == (0,)
    check(xp.arange(5, dtype=xp.uint32), np.arange(5, dtype=np.uint32))


def test_block_with_nested_lists(xp):
    a = as_backend(xp, np.ones((2, 2), np.float32))
    b = as_backend(xp, np.zeros((2, 1), np.float32))
    c = as_backend(xp, np.zeros((1, 2), np.float32))
    d = as_backend(xp, np.ones((1, 1), np.float32))
    expected = np.block([[np.ones((2, 2)), np.zeros((2, 1))], [np.zeros((1, 2)), np.ones((1, 1))]]).astype(np.float32)
    check(xp.block([[a, b], [c, d]]), expected)
    check(xp.block([[1, 2], [3, 4]]), np.array([[1, 2], [3, 4]], np.int32))


def test_piecewise_with_a_list_of_functions_and_values(xp):
    x = as_backend(xp, np.array([-1.0, 1.0], np.float32))
    conditions = [as_backend(xp, np.array([True, False])), as_backend(xp, np.array([False, True]))]
    check(xp.piecewise(x, conditions, [lambda v: -v, lambda v: v * 2]), np.array([1.0, 2.0], np.float32))
    check(xp.piecewise(x, conditions[:1], [lambda v: -v, 7.0]), np.array([1.0, 7.0], np.float32))


def test_isscalar(xp):
    assert xp.isscalar(1.0) and xp.isscalar(as_backend(xp, np.float32(1.0)))
    assert not xp.isscalar([1.0]) and not xp.isscalar(as_backend(xp, np.ones(2, np.float32)))


def test_choose_nanquantile_nanpercentile(xp):
    index = as_backend(xp, np.array([0, 1], np.int32))
    choices = [as_backend(xp, np.array([1, 2], np.int32)), as_backend(xp, np.array([3, 4], np.int32))]
    check(xp.choose(index, choices), np.array([1, 4], np.int32))
    data = as_backend(xp, np.array([1.0, np.nan, 3.0], np.float32))
    check(xp.nanquantile(data, 0.5), np.float32(2.0))
    check(xp.nanpercentile(data, 50.0), np.float32(2.0))


@pytest.mark.parametrize("dtype", ["int32", "uint8"])
def test_dot_products_keep_the_promoted_integer_dtype(xp, dtype):
    v = as_backend(xp, np.array([1, 2, 3], dtype))
    check(xp.vdot(v, v), np.array(14, dtype))
    check(xp.vecdot(v, v), np.array(14, dtype))
    check(xp.linalg.vecdot(v, v), np.array(14, dtype))


@pytest.mark.parametrize(("dtype", "accumulator"), [("uint8", "uint32"), ("int8", "int32"), ("uint32", "uint32")])
def test_cumulative_and_trace_accumulate_small_integers_in_the_default_width(xp, dtype, accumulator):
    v = as_backend(xp, np.array([1, 2, 3], dtype))
    check(xp.cumulative_sum(v), np.array([1, 3, 6], accumulator))
    check(xp.cumulative_prod(v), np.array([1, 2, 6], accumulator))
    m = as_backend(xp, np.array([[1, 2], [3, 4]], dtype))
    check(xp.linalg.trace(m), np.array(5, accumulator))


def test_result_type_of_an_unsigned_dtype_and_a_python_int(xp):
    assert xp.result_type(xp.uint16, 1) == xp.uint16
    assert xp.result_type(xp.int8, 1.0) == xp.float32


@pytest.mark.parametrize("dtype", ["uint16", "uint32"])
def test_unsigned_arithmetic(xp, dtype):
    a_np, b_np = np.array([7, 9, 2**15], dtype), np.array([2, 4, 3], dtype)
    a, b = as_backend(xp, a_np), as_backend(xp, b_np)
    check(xp.floor_divide(a, b), a_np // b_np)
    check(xp.remainder(a, b), a_np % b_np)
    check(xp.power(b, b), b_np**b_np)
    check(xp.left_shift(a, b), np.left_shift(a_np, b_np))
    check(xp.max(a), np.max(a_np))
    check(xp.argmin(a), np.array(np.argmin(a_np), np.int32))
    check(xp.matmul(a[:2].reshape(1, 2), b[:2].reshape(2, 1)), a_np[:2].reshape(1, 2) @ b_np[:2].reshape(2, 1))
    check(xp.repeat(a, 2), np.repeat(a_np, 2))


def test_polyfit_covariance(xp):
    x_np = np.arange(6.0, dtype=np.float32)
    y_np = (x_np**2 + 0.1 * np.sin(x_np)).astype(np.float32)
    coefficients, covariance = xp.polyfit(as_backend(xp, x_np), as_backend(xp, y_np), 2, cov=True)
    expected_c, expected_cov = np.polyfit(x_np.astype(np.float64), y_np.astype(np.float64), 2, cov=True)
    np.testing.assert_allclose(to_numpy(coefficients), expected_c, rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(to_numpy(covariance), expected_cov, rtol=1e-2, atol=1e-6)
