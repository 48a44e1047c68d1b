"""Reductions and scans against NumPy: hypothesis inputs over shapes/axes, keepdims, dtypes, empty arrays."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_backend, canonical_dtype, check, finite_floats, nonempty_shapes, shapes
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp


def axes_for(shape: tuple[int, ...]) -> st.SearchStrategy:
    """None, one axis (negative too) or a tuple of distinct axes valid for ``shape``."""
    ndim = len(shape)
    if ndim == 0:
        return st.just(None)
    return st.one_of(
        st.none(),
        st.integers(-ndim, ndim - 1),
        st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple),
    )


def array_and_axis(dtype, shape_strategy=shapes, low=-10, high=10):
    elements = finite_floats(dtype, low, high) if np.dtype(dtype).kind in "fc" else st.integers(low, high)
    if np.dtype(dtype).kind == "b":
        elements = st.booleans()
    return shape_strategy.flatmap(lambda shape: st.tuples(hnp.arrays(dtype, shape, elements=elements), axes_for(shape)))


# name -> NumPy reference; all accept axis= and keepdims= and are defined on empty reductions
SUMS = {"sum": np.sum, "prod": np.prod, "mean": np.mean, "all": np.all, "any": np.any, "count_nonzero": np.count_nonzero}


@pytest.mark.parametrize("name", ["sum", "prod", "mean"])
def test_float_sums(xp, name):
    @given(array_and_axis(np.float32, low=-2, high=2), st.booleans())
    def run(case, keepdims):
        data, axis = case
        if name == "mean" and data.size == 0:
            return  # mean of nothing is NaN with a RuntimeWarning in NumPy; tested separately
        expected = getattr(np, name)(data.astype(np.float64), axis=axis, keepdims=keepdims).astype(np.float32)
        check(getattr(xp, name)(as_backend(xp, data), axis=axis, keepdims=keepdims), expected, rtol=1e-4, atol=1e-5)

    run()


@pytest.mark.parametrize("name", ["sum", "prod", "max", "min"])
def test_int_reductions_keep_int32(xp, name):
    @given(array_and_axis(np.int32, nonempty_shapes, -3, 3), st.booleans())
    def run(case, keepdims):
        data, axis = case
        check(getattr(xp, name)(as_backend(xp, data), axis=axis, keepdims=keepdims),
              getattr(np, name)(data, axis=axis, keepdims=keepdims))

    run()


@pytest.mark.parametrize("name", ["all", "any", "sum", "count_nonzero"])
def test_bool_reductions(xp, name):
    @given(array_and_axis(np.bool_), st.booleans())
    def run(case, keepdims):
        data, axis = case
        expected = getattr(np, name)(data, axis=axis, keepdims=keepdims)
        check(getattr(xp, name)(as_backend(xp, data), axis=axis, keepdims=keepdims), expected)

    run()


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin", "ptp"])
def test_float_extrema(xp, name):
    @given(array_and_axis(np.float32, nonempty_shapes), st.booleans())
    def run(case, keepdims):
        data, axis = case
        check(getattr(xp, name)(as_backend(xp, data), axis=axis, keepdims=keepdims),
              getattr(np, name)(data, axis=axis, keepdims=keepdims))

    run()


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin(xp, name):
    @given(array_and_axis(np.float32, nonempty_shapes, -3, 3), st.booleans())
    def run(case, keepdims):
        data, axis = case
        if isinstance(axis, tuple):
            axis = axis[0]
        # ties: the first occurrence wins on NumPy and JAX
        check(getattr(xp, name)(as_backend(xp, data), axis=axis, keepdims=keepdims),
              getattr(np, name)(data, axis=axis, keepdims=keepdims))

    run()


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("ddof", [0, 1])
def test_var_std_with_ddof(xp, name, ddof):
    @given(array_and_axis(np.float32, hnp.array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=5)),
           st.booleans())
    def run(case, keepdims):
        data, axis = case
        expected = getattr(np, name)(data.astype(np.float64), axis=axis, ddof=ddof, keepdims=keepdims)
        check(getattr(xp, name)(as_backend(xp, data), axis=axis, ddof=ddof, keepdims=keepdims),
              expected.astype(np.float32), rtol=1e-4, atol=1e-5)

    run()


def test_var_std_correction_keyword_and_ints(xp):
    data = np.array([[1, 2, 3, 4], [2, 4, 6, 9]], np.int32)
    check(xp.var(as_backend(xp, data), axis=1), np.var(data, axis=1))
    check(xp.std(as_backend(xp, data), correction=1), np.std(data, ddof=1))
    check(xp.mean(as_backend(xp, data), axis=0), np.mean(data, axis=0))


def test_reductions_with_dtype_argument(xp):
    data = np.array([1, 2, 3], np.int32)
    check(xp.sum(as_backend(xp, data), dtype=xp.float32), np.float32(6))
    check(xp.prod(as_backend(xp, data.astype(np.float32)), dtype=xp.float32), np.float32(6))
    check(xp.mean(as_backend(xp, data), dtype=xp.float32), np.float32(2))


def test_empty_reductions(xp):
    empty = np.zeros((0, 3), np.float32)
    x = as_backend(xp, empty)
    check(xp.sum(x), np.float32(0))
    check(xp.sum(x, axis=0), np.zeros(3, np.float32))
    check(xp.prod(x, axis=0), np.ones(3, np.float32))
    check(xp.all(x), np.True_)
    check(xp.any(x), np.False_)
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        expected = np.mean(empty, axis=0)
    check(xp.mean(x, axis=0), expected)
    check(xp.max(x, axis=1), np.zeros((0,), np.float32))
    check(xp.max(x, axis=0, initial=-1.0), np.full(3, -1.0, np.float32))


def test_reduction_where_and_initial(xp):
    data = np.arange(6, dtype=np.float32).reshape(2, 3)
    mask = np.array([[True, False, True], [False, True, True]])
    x, m = as_backend(xp, data), as_backend(xp, mask)
    check(xp.sum(x, where=m), np.sum(data, where=mask))
    check(xp.sum(x, axis=1, initial=10.0), np.sum(data, axis=1, initial=10.0))
    check(xp.max(x, axis=0, where=m, initial=-1.0), np.max(data, axis=0, where=mask, initial=-1.0))
    check(xp.mean(x, axis=1, where=m), np.mean(data, axis=1, where=mask))


def test_nan_propagation(xp):
    data = np.array([1.0, np.nan, 3.0], np.float32)
    x = as_backend(xp, data)
    for name in ["sum", "max", "min", "mean", "prod"]:
        check(getattr(xp, name)(x), getattr(np, name)(data))
    check(xp.argmax(x), np.argmax(data))  # NaN counts as the maximum (NumPy, JAX)


@pytest.mark.parametrize("name", ["nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanargmax", "nanargmin",
                                  "nanvar", "nanstd", "nancumsum", "nancumprod"])
def test_nan_functions(xp, name):
    data = np.array([[1.0, np.nan, 3.0], [np.nan, 5.0, -2.0]], np.float32)
    x = as_backend(xp, data)
    reference = getattr(np, name)
    check(getattr(xp, name)(x), reference(data.astype(np.float64)).astype(canonical_dtype(reference(data).dtype)))
    check(getattr(xp, name)(x, axis=1),
          reference(data.astype(np.float64), axis=1).astype(canonical_dtype(reference(data, axis=1).dtype)))


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_cumulative(xp, name):
    @given(array_and_axis(np.float32, nonempty_shapes, -2, 2))
    def run(case):
        data, axis = case
        if isinstance(axis, tuple):
            axis = axis[0]
        if axis is None:
            expected = getattr(np, name)(data.astype(np.float64))
        else:
            expected = getattr(np, name)(data.astype(np.float64), axis=axis)
        check(getattr(xp, name)(as_backend(xp, data), axis=axis), expected.astype(np.float32), rtol=1e-4, atol=1e-5)

    run()


def test_cumulative_dtypes(xp):
    ints = np.array([[1, 2], [3, 4]], np.int32)
    bools = np.array([True, False, True])
    check(xp.cumsum(as_backend(xp, ints), axis=0), np.cumsum(ints, axis=0))
    check(xp.cumprod(as_backend(xp, ints)), np.cumprod(ints))
    check(xp.cumsum(as_backend(xp, bools)), np.cumsum(bools))
    check(xp.cumsum(as_backend(xp, ints), dtype=xp.float32), np.cumsum(ints, dtype=np.float32))
    # array API spelling, with include_initial
    check(xp.cumulative_sum(as_backend(xp, ints), axis=1), np.cumulative_sum(ints, axis=1))
    check(xp.cumulative_sum(as_backend(xp, ints), axis=1, include_initial=True),
          np.cumulative_sum(ints, axis=1, include_initial=True))
    check(xp.cumulative_prod(as_backend(xp, ints), axis=0), np.cumulative_prod(ints, axis=0))


def test_complex_reductions(xp):
    data = np.array([[1 + 1j, 2 - 1j], [0.5j, -1]], np.complex64)
    x = as_backend(xp, data)
    check(xp.sum(x, axis=0), np.sum(data, axis=0))
    check(xp.prod(x), np.prod(data.astype(np.complex128)))
    check(xp.mean(x), np.mean(data.astype(np.complex128)))
    check(xp.var(x), np.var(data.astype(np.complex128)).astype(np.float32))


@pytest.mark.parametrize("offset", [0, 1, -1])
def test_trace(xp, offset):
    data = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    check(xp.trace(as_backend(xp, data[0]), offset), np.trace(data[0], offset))
    check(xp.trace(as_backend(xp, data), offset, axis1=1, axis2=2), np.trace(data, offset, axis1=1, axis2=2))
    ints = np.arange(9, dtype=np.int32).reshape(3, 3)
    check(xp.trace(as_backend(xp, ints), offset), np.trace(ints, offset))


@pytest.mark.parametrize("n", [1, 2])
def test_diff_and_ediff1d(xp, n):
    data = np.array([[1, 4, 9, 16], [2, 3, 5, 7]], np.float32)
    check(xp.diff(as_backend(xp, data), n=n), np.diff(data, n=n))
    check(xp.diff(as_backend(xp, data), n=n, axis=0) if n == 1 else xp.diff(as_backend(xp, data), axis=0),
          np.diff(data, axis=0))
    check(xp.diff(as_backend(xp, data), prepend=0, append=100), np.diff(data, prepend=0, append=100))
    ints = np.array([1, 5, 2], np.int32)
    check(xp.diff(as_backend(xp, ints), n=n), np.diff(ints, n=n))
    check(xp.ediff1d(as_backend(xp, data)), np.ediff1d(data))


def test_count_nonzero_axis(xp):
    data = np.array([[0, 1, 2], [0, 0, 3]], np.int32)
    check(xp.count_nonzero(as_backend(xp, data)), np.int32(np.count_nonzero(data)))
    check(xp.count_nonzero(as_backend(xp, data), axis=0), np.count_nonzero(data, axis=0))
    check(xp.count_nonzero(as_backend(xp, data), axis=1, keepdims=True), np.count_nonzero(data, axis=1, keepdims=True))
