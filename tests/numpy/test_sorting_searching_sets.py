"""Sorting, searching and set functions against NumPy (stable sorts, size=/fill_value= for static shapes)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_backend, check, check_tuple, finite_floats, to_numpy
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

small_int_arrays = hnp.arrays(np.int32, hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=6),
                              elements=st.integers(-3, 3))


@given(small_int_arrays, st.booleans())
def test_sort_and_stable_argsort(xp, data, descending):
    x = as_backend(xp, data)
    expected = np.sort(data, axis=-1)
    order = np.argsort(data, axis=-1, kind="stable")
    if descending:
        expected = np.flip(expected, axis=-1)
        # stable descending keeps equal elements in their original order (array API 2024.12, JAX)
        order = np.argsort(-data, axis=-1, kind="stable")
    check(xp.sort(x, axis=-1, descending=descending), expected)
    check(xp.argsort(x, axis=-1, stable=True, descending=descending), order.astype(np.int32))


@pytest.mark.parametrize("axis", [0, 1, -1, None])
def test_sort_axes_and_dtypes(xp, axis):
    data = np.array([[3.0, -1.0, 2.0], [np.nan, 0.5, -7.0]], np.float32)  # NaN sorts last
    check(xp.sort(as_backend(xp, data), axis=axis), np.sort(data, axis=axis))
    check(xp.argsort(as_backend(xp, data), axis=axis), np.argsort(data, axis=axis, kind="stable").astype(np.int32))
    booleans = np.array([True, False, True, False])
    check(xp.sort(as_backend(xp, booleans)), np.sort(booleans))


def test_lexsort(xp):
    first = np.array([1, 5, 1, 4, 3, 4, 4], np.int32)
    last = np.array([9, 4, 0, 4, 0, 2, 1], np.int32)
    check(xp.lexsort((as_backend(xp, first), as_backend(xp, last))), np.lexsort((first, last)).astype(np.int32))


@pytest.mark.parametrize("kth", [0, 2, 4])
def test_partition_argpartition(xp, kth):
    data = np.array([7, 1, 5, 3, 9, 2], np.int32)
    result = to_numpy(xp.partition(as_backend(xp, data), kth))
    assert result.dtype == np.int32
    expected_sorted = np.sort(data)
    assert result[kth] == expected_sorted[kth]
    assert np.all(result[:kth] <= result[kth]) and np.all(result[kth + 1 :] >= result[kth])
    np.testing.assert_array_equal(np.sort(result), expected_sorted)
    order = to_numpy(xp.argpartition(as_backend(xp, data), kth))
    assert data[order][kth] == expected_sorted[kth]
    np.testing.assert_array_equal(np.sort(order), np.arange(6))


@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted(xp, side):
    sorted_values = np.array([1.0, 2.0, 2.0, 3.5, 7.0], np.float32)
    queries = np.array([[0.0, 2.0], [3.5, 10.0]], np.float32)
    check(xp.searchsorted(as_backend(xp, sorted_values), as_backend(xp, queries), side=side),
          np.searchsorted(sorted_values, queries, side=side).astype(np.int32))
    check(xp.searchsorted(as_backend(xp, sorted_values), 2.0, side=side),
          np.int32(np.searchsorted(sorted_values, 2.0, side=side)))
    unsorted = np.array([3.0, 1.0, 2.0], np.float32)
    sorter = np.argsort(unsorted).astype(np.int32)
    check(xp.searchsorted(as_backend(xp, unsorted), as_backend(xp, queries), side=side, sorter=as_backend(xp, sorter)),
          np.searchsorted(unsorted, queries, side=side, sorter=sorter).astype(np.int32))


@given(hnp.arrays(np.float32, st.integers(1, 8), elements=finite_floats(np.float32, -5, 5)),
       hnp.arrays(np.float32, st.integers(0, 5), elements=finite_floats(np.float32, -6, 6)))
def test_searchsorted_hypothesis(xp, values, queries):
    values = np.sort(values)
    check(xp.searchsorted(as_backend(xp, values), as_backend(xp, queries)),
          np.searchsorted(values, queries).astype(np.int32))


def test_digitize(xp):
    bins = np.array([0.0, 1.0, 2.5, 4.0], np.float32)
    data = np.array([-1.0, 0.0, 1.2, 2.5, 5.0], np.float32)
    check(xp.digitize(as_backend(xp, data), as_backend(xp, bins)), np.digitize(data, bins).astype(np.int32))
    check(xp.digitize(as_backend(xp, data), as_backend(xp, bins), right=True),
          np.digitize(data, bins, right=True).astype(np.int32))


@pytest.mark.parametrize("right", [False, True])
def test_digitize_decreasing_bins(xp, right):
    # Both directions search with the same side (jnp.digitize, np.digitize): torch gave 5 where NumPy gives 4 below.
    bins = np.array([1.0, 0.0, -1.0, -2.0, -3.0], np.float32)
    data = np.array([-4.0, -3.0, -2.5, 0.0, 3.0], np.float32)
    expected = np.digitize(data, bins, right=right).astype(np.int32)
    check(xp.digitize(as_backend(xp, data), as_backend(xp, bins), right=right), expected)


def test_searching_and_set_operations_of_complex_numbers(xp):
    # Lexicographic (real, imag) order, as NumPy and JAX; torch has no complex sort or searchsorted kernel.
    grid = np.array([3 - 1j, 1 + 2j, 1 - 5j, 3 - 1j, -2 + 0j], np.complex64)
    queries = np.array([1 + 0j, 3 - 1j, 1 - 5j, 9 + 9j], np.complex64)
    ordered = np.sort(grid)
    for side in ("left", "right"):
        check(xp.searchsorted(as_backend(xp, ordered), as_backend(xp, queries), side=side),
              np.searchsorted(ordered, queries, side=side).astype(np.int32))
    jnp = pytest.importorskip("jax.numpy")  # NumPy's digitize refuses complex input; JAX's takes it
    for bins in (np.unique(grid), np.unique(grid)[::-1].copy()):
        for right in (False, True):
            check(xp.digitize(as_backend(xp, queries), as_backend(xp, bins), right=right),
                  np.asarray(jnp.digitize(queries, bins, right=right)))
    check(xp.intersect1d(as_backend(xp, grid), as_backend(xp, queries)), np.intersect1d(grid, queries))
    check(xp.setxor1d(as_backend(xp, grid), as_backend(xp, queries)), np.setxor1d(grid, queries))


@given(small_int_arrays)
def test_unique_family(xp, data):
    x = as_backend(xp, data)
    values, index, inverse, counts = np.unique(data, return_index=True, return_inverse=True, return_counts=True)
    check(xp.unique(x), values)
    result = xp.unique(x, return_index=True, return_inverse=True, return_counts=True)
    check(result[0], values)
    check(result[1], index.astype(np.int32))
    check(xp.ravel(result[2]), inverse.ravel().astype(np.int32))
    check(result[3], counts.astype(np.int32))
    check(xp.unique_values(x), values)
    all_ = xp.unique_all(x)
    check(all_.values, values)
    check(all_.counts, counts.astype(np.int32))
    check(xp.unique_counts(x).counts, counts.astype(np.int32))
    inverse_result = xp.unique_inverse(x)
    check(inverse_result.inverse_indices, inverse.reshape(data.shape).astype(np.int32))


@pytest.mark.parametrize("size", [2, 5, 8])
def test_unique_with_size_and_fill_value(xp, size):
    data = np.array([3, 1, 3, 2, 1], np.int32)
    values = np.unique(data)  # [1, 2, 3]
    padded = np.concatenate([values, np.full(max(0, size - len(values)), values[0])])[:size]
    check(xp.unique(as_backend(xp, data), size=size), padded.astype(np.int32))  # default fill: the smallest value
    filled = np.concatenate([values, np.full(max(0, size - len(values)), -1)])[:size]
    check(xp.unique(as_backend(xp, data), size=size, fill_value=-1), filled.astype(np.int32))


def test_unique_axis_and_nan(xp):
    data = np.array([[1, 2], [3, 4], [1, 2]], np.int32)
    check(xp.unique(as_backend(xp, data), axis=0), np.unique(data, axis=0))
    floats = np.array([2.0, np.nan, 1.0, 2.0], np.float32)
    check(xp.unique(as_backend(xp, floats)), np.unique(floats))


@pytest.mark.parametrize("function", ["intersect1d", "union1d", "setdiff1d", "setxor1d"])
def test_set_operations(xp, function):
    a = np.array([5, 1, 3, 3, 7], np.int32)
    b = np.array([3, 4, 5, 9], np.int32)
    check(getattr(xp, function)(as_backend(xp, a), as_backend(xp, b)), getattr(np, function)(a, b))


def test_set_operations_with_size(xp):
    a = np.array([5, 1, 3, 3, 7], np.int32)
    b = np.array([3, 4, 5, 9], np.int32)
    check(xp.intersect1d(as_backend(xp, a), as_backend(xp, b), size=3, fill_value=0), np.array([3, 5, 0], np.int32))
    check(xp.setdiff1d(as_backend(xp, a), as_backend(xp, b), size=3, fill_value=-1), np.array([1, 7, -1], np.int32))
    check(xp.union1d(as_backend(xp, a), as_backend(xp, b), size=8, fill_value=0),
          np.array([1, 3, 4, 5, 7, 9, 0, 0], np.int32))


def test_intersect1d_return_indices(xp):
    a = np.array([5, 1, 3, 7], np.int32)
    b = np.array([3, 4, 5], np.int32)
    check_tuple(xp.intersect1d(as_backend(xp, a), as_backend(xp, b), return_indices=True),
                [r.astype(np.int32) for r in np.intersect1d(a, b, return_indices=True)])


@given(small_int_arrays, st.booleans())
def test_isin(xp, data, invert):
    test_values = np.array([0, 2, -3], np.int32)
    check(xp.isin(as_backend(xp, data), as_backend(xp, test_values), invert=invert),
          np.isin(data, test_values, invert=invert))


def test_max_min_argmax_of_ties_pick_first(xp):
    data = np.array([[1, 3, 3], [2, 2, 0]], np.int32)
    check(xp.argmax(as_backend(xp, data), axis=1), np.argmax(data, axis=1))
    check(xp.argmin(as_backend(xp, data), axis=1), np.argmin(data, axis=1))
