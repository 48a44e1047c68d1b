"""Indexing, gathers and the portable ``.at[]`` update ``xp.at(x)[idx].op(v)`` with JAX's semantics (JAX 0.10).

JAX's documented rules (``jax.numpy.ndarray.at``): the input is never mutated; for ``set`` with repeated indices one
of the updates wins (which one is unspecified); ``add``/``multiply``/``min``/``max`` apply every update (NumPy's
``ufunc.at``); out-of-bounds indices in an update are dropped, in ``get`` they are clamped, unless ``mode="fill"``
(then ``fill_value``, NaN for floats by default). References are NumPy's ``ufunc.at`` and hand-computed arrays.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_backend, check, check_tuple, float_arrays, to_numpy
from hypothesis import given, strategies as st

UPDATE_REFERENCES = {
    "set": None,
    "add": np.add,
    "multiply": np.multiply,
    "divide": np.divide,
    "power": np.power,
    "min": np.minimum,
    "max": np.maximum,
}


def numpy_update(data, index, values, op):
    """The NumPy reference of an ``.at[]`` update without repeated or out-of-bounds indices."""
    out = data.copy()
    if op == "set":
        out[index] = values
    else:
        UPDATE_REFERENCES[op].at(out, index, values)
    return out


@pytest.mark.parametrize("op", sorted(UPDATE_REFERENCES))
@pytest.mark.parametrize(
    "index",
    [1, -1, (0, 2), (slice(None), 1), slice(1, 3), (slice(None, None, 2),), (Ellipsis, 0), (np.array([0, 2]),)],
    ids=["int", "negative", "tuple", "column", "slice", "step", "ellipsis", "fancy"],
)
def test_update_ops_never_mutate(xp, op, index):
    data = np.arange(1, 13, dtype=np.float32).reshape(3, 4)
    x = as_backend(xp, data)
    values = np.float32(2.0)
    result = getattr(xp.at(x)[index], op)(values)
    check(result, numpy_update(data, index, values, op))
    check(x, data)  # the input is unchanged


def test_update_with_array_values_broadcasts(xp):
    data = np.zeros((3, 4), np.float32)
    x = as_backend(xp, data)
    row = np.arange(4, dtype=np.float32)
    check(xp.at(x)[1].set(as_backend(xp, row)), numpy_update(data, 1, row, "set"))
    check(xp.at(x)[:, 1:3].add(as_backend(xp, np.ones((3, 2), np.float32))),
          numpy_update(data, (slice(None), slice(1, 3)), np.ones((3, 2), np.float32), "add"))
    check(xp.at(x)[...].set(7.0), np.full((3, 4), 7.0, np.float32))


@pytest.mark.parametrize("dtype", ["float32", "int32", "bool", "complex64"])
def test_update_keeps_dtype(xp, dtype):
    data = np.zeros(4, dtype)
    x = as_backend(xp, data)
    result = xp.at(x)[2].set(1)
    expected = data.copy()
    expected[2] = 1
    check(result, expected)
    check(x, data)


def test_add_with_repeated_indices_accumulates(xp):
    data = np.zeros(5, np.float32)
    index = np.array([0, 1, 1, 3, 1])
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0], np.float32)
    expected = data.copy()
    np.add.at(expected, index, values)
    check(xp.at(as_backend(xp, data))[as_backend(xp, index.astype(np.int32))].add(as_backend(xp, values)), expected)
    check(xp.at(as_backend(xp, data))[index].add(values), expected)  # NumPy index and values


@pytest.mark.parametrize("op", ["multiply", "min", "max"])
def test_other_accumulating_ops_with_repeated_indices(xp, op):
    data = np.array([2.0, 3.0, 5.0], np.float32)
    index = np.array([0, 0, 2, 0], np.int32)
    values = np.array([3.0, -1.0, 4.0, 0.5], np.float32)
    expected = data.copy()
    UPDATE_REFERENCES[op].at(expected, index, values)
    check(getattr(xp.at(as_backend(xp, data))[as_backend(xp, index)], op)(as_backend(xp, values)), expected)


def test_set_with_repeated_indices_one_update_wins(xp):
    data = np.zeros(4, np.float32)
    index = np.array([1, 1, 1, 3], np.int32)
    values = np.array([5.0, 6.0, 7.0, 8.0], np.float32)
    result = to_numpy(xp.at(as_backend(xp, data))[as_backend(xp, index)].set(as_backend(xp, values)))
    assert result[1] in (5.0, 6.0, 7.0)
    assert result[3] == 8.0 and result[0] == 0.0 and result[2] == 0.0


def test_out_of_bounds_updates_are_dropped(xp):
    data = np.arange(5, dtype=np.float32)
    x = as_backend(xp, data)
    index = as_backend(xp, np.array([1, 5, 100, -6, -1], np.int32))
    expected = data.copy()
    expected[1] = 10.0
    expected[-1] = 10.0
    check(xp.at(x)[index].set(10.0), expected)
    expected_add = data.copy()
    expected_add[[1, -1]] += 10.0
    check(xp.at(x)[index].add(10.0), expected_add)
    check(xp.at(x)[7].set(10.0), data)  # a scalar out-of-bounds index too
    check(xp.at(x)[7].add(10.0, mode="drop"), data)
    check(x, data)


def test_out_of_bounds_update_with_clip_mode(xp):
    data = np.arange(5, dtype=np.float32)
    result = xp.at(as_backend(xp, data))[as_backend(xp, np.array([7], np.int32))].set(-1.0, mode="clip")
    expected = data.copy()
    expected[4] = -1.0
    check(result, expected)


def test_out_of_bounds_gets_are_clamped(xp):
    data = np.arange(10, 15, dtype=np.float32)
    x = as_backend(xp, data)
    index = np.array([0, 4, 5, 100, -1, -5, -6, -100], np.int32)
    clamped = np.clip(np.where(index < 0, index + 5, index), 0, 4)
    check(xp.at(x)[as_backend(xp, index)].get(), data[clamped])
    check(xp.at(x)[as_backend(xp, index)].get(mode="clip"), data[clamped])


def test_out_of_bounds_gets_with_fill(xp):
    data = np.arange(10, 15, dtype=np.float32)
    x = as_backend(xp, data)
    index = np.array([0, 5, -1, -6, 2], np.int32)
    in_bounds = (index >= -5) & (index < 5)
    expected = np.where(in_bounds, data[np.clip(index, -5, 4)], np.nan).astype(np.float32)
    check(xp.at(x)[as_backend(xp, index)].get(mode="fill"), expected)
    expected_fill = np.where(in_bounds, data[np.clip(index, -5, 4)], -1.0).astype(np.float32)
    check(xp.at(x)[as_backend(xp, index)].get(mode="fill", fill_value=-1.0), expected_fill)
    ints = np.arange(5, dtype=np.int32)
    result = to_numpy(xp.at(as_backend(xp, ints))[as_backend(xp, np.array([1, 9], np.int32))].get(mode="fill",
                                                                                               fill_value=-7))
    np.testing.assert_array_equal(result, [1, -7])


def test_negative_indices(xp):
    data = np.arange(12, dtype=np.int32).reshape(3, 4)
    x = as_backend(xp, data)
    check(xp.at(x)[-1, -2].set(99), numpy_update(data, (-1, -2), 99, "set"))
    check(xp.at(x)[-1].get(), data[-1])
    check(xp.at(x)[:, -1].add(5), numpy_update(data, (slice(None), -1), 5, "add"))


def test_boolean_mask_updates(xp):
    data = np.array([-2.0, 1.0, -3.0, 4.0], np.float32)
    x = as_backend(xp, data)
    mask = data < 0
    expected = data.copy()
    expected[mask] = 0.0
    check(xp.at(x)[as_backend(xp, mask)].set(0.0), expected)
    expected_add = data.copy()
    expected_add[mask] += 10.0
    check(xp.at(x)[as_backend(xp, mask)].add(10.0), expected_add)
    check(xp.at(x)[as_backend(xp, mask)].get(), data[mask])
    check(x, data)


def test_multidimensional_fancy_index(xp):
    data = np.zeros((3, 3), np.float32)
    rows = np.array([0, 2, 2], np.int32)
    cols = np.array([1, 0, 0], np.int32)
    expected = data.copy()
    np.add.at(expected, (rows, cols), 1.0)
    check(xp.at(as_backend(xp, data))[as_backend(xp, rows), as_backend(xp, cols)].add(1.0), expected)


@given(float_arrays(st.tuples(st.integers(1, 6)), min_value=-5, max_value=5), st.data())
def test_add_matches_numpy_ufunc_at(xp, data, draw):
    size = data.shape[0]
    index = np.array(draw.draw(st.lists(st.integers(-size, size - 1), min_size=0, max_size=8)), np.int32)
    values = np.arange(len(index), dtype=np.float32) + 1
    expected = data.copy()
    np.add.at(expected, index, values)
    check(xp.at(as_backend(xp, data))[as_backend(xp, index)].add(as_backend(xp, values)), expected, atol=1e-5)


# -- plain indexing and gathers ----------------------------------------------------------------------------------


def test_basic_indexing_on_native_arrays(xp):
    data = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    x = as_backend(xp, data)
    for index in [0, -1, (1, 2), (slice(None), 0), (Ellipsis, 1), (None, 0), (slice(None, None, -1),),
                  (0, slice(1, None), slice(None, None, 2))]:
        if index == (slice(None, None, -1),) and "torch" in type(x).__module__:
            continue  # torch tensors reject negative steps in __getitem__; portax cannot change native indexing
        check(x[index], data[index])


def test_take(xp):
    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    x = as_backend(xp, data)
    index = np.array([0, 2, 3], np.int32)
    check(xp.take(x, as_backend(xp, index)), np.take(data, index))
    check(xp.take(x, as_backend(xp, index), axis=1), np.take(data, index, axis=1))
    check(xp.take(x, as_backend(xp, np.array([[0, 1], [2, 0]], np.int32)), axis=0),
          np.take(data, [[0, 1], [2, 0]], axis=0))
    check(xp.take(x, as_backend(xp, np.array([0, 20], np.int32)), mode="clip"), np.take(data, [0, 20], mode="clip"))
    check(xp.take(x, as_backend(xp, np.array([0, 13], np.int32)), mode="wrap"), np.take(data, [0, 13], mode="wrap"))


@pytest.mark.parametrize("axis", [0, 1, -1, None])
def test_take_along_axis(xp, axis):
    data = np.array([[10, 30, 20], [60, 40, 50]], np.float32)
    order = np.argsort(data, axis=axis)
    check(xp.take_along_axis(as_backend(xp, data), as_backend(xp, order.astype(np.int32)), axis=axis),
          np.take_along_axis(data, order, axis=axis))


def test_put_along_axis_is_functional(xp):
    data = np.array([[10, 30, 20], [60, 40, 50]], np.float32)
    index = np.array([[1], [0]], np.int32)
    expected = data.copy()
    np.put_along_axis(expected, index, 99.0, axis=1)
    x = as_backend(xp, data)
    check(xp.put_along_axis(x, as_backend(xp, index), 99.0, axis=1, inplace=False), expected)
    check(x, data)


@pytest.mark.parametrize("size", [None, 2, 6])
def test_nonzero_argwhere_where_with_size(xp, size):
    data = np.array([[0, 3, 0], [4, 0, 5]], np.int32)
    x = as_backend(xp, data)
    rows, cols = np.nonzero(data)
    if size is not None:  # pad with fill_value (0 by default) or truncate, as jax.numpy.nonzero does
        rows = np.pad(rows, (0, max(0, size - len(rows))))[:size]
        cols = np.pad(cols, (0, max(0, size - len(cols))))[:size]
    check_tuple(xp.nonzero(x, size=size), (rows.astype(np.int32), cols.astype(np.int32)))
    check(xp.argwhere(x, size=size), np.stack([rows, cols], axis=1).astype(np.int32))
    check_tuple(xp.where(x, size=size), (rows.astype(np.int32), cols.astype(np.int32)))
    check(xp.flatnonzero(x, size=size),
          (np.pad(np.flatnonzero(data), (0, max(0, (size or 0) - 3)))[:size]).astype(np.int32))


def test_nonzero_fill_value(xp):
    data = np.array([0, 7, 0], np.int32)
    (result,) = xp.nonzero(as_backend(xp, data), size=3, fill_value=-1)
    check(result, np.array([1, -1, -1], np.int32))


def test_compress_extract_place(xp):
    data = np.arange(6, dtype=np.float32).reshape(2, 3)
    condition = np.array([True, False, True])
    check(xp.compress(as_backend(xp, condition), as_backend(xp, data), axis=1), np.compress(condition, data, axis=1))
    mask = data > 2
    check(xp.extract(as_backend(xp, mask), as_backend(xp, data)), np.extract(mask, data))


def test_unravel_and_ravel_multi_index(xp):
    flat = np.array([0, 5, 11], np.int32)
    check_tuple(xp.unravel_index(as_backend(xp, flat), (3, 4)), [a.astype(np.int32) for a in np.unravel_index(flat, (3, 4))])
    rows, cols = np.array([0, 1, 2], np.int32), np.array([3, 1, 0], np.int32)
    check(xp.ravel_multi_index((as_backend(xp, rows), as_backend(xp, cols)), (3, 4)),
          np.ravel_multi_index((rows, cols), (3, 4)).astype(np.int32))


def test_diagonal_and_fill_diagonal(xp):
    data = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    check(xp.diagonal(as_backend(xp, data[0])), np.diagonal(data[0]))
    check(xp.diagonal(as_backend(xp, data), 1, 1, 2), np.diagonal(data, 1, 1, 2))
    check(xp.diagonal(as_backend(xp, data), -1, 0, 2), np.diagonal(data, -1, 0, 2))
    square = np.zeros((3, 3), np.float32)
    expected = square.copy()
    np.fill_diagonal(expected, 5.0)
    check(xp.fill_diagonal(as_backend(xp, square), 5.0, inplace=False), expected)


@pytest.mark.parametrize(
    "index",
    [(0, slice(None), [1, 2]), (slice(None), None, [1, 2], 0), ([1, 0], slice(None), -1), (-1, [[0], [2]], [1, 3])],
    ids=["int-slice-array", "slice-none-array-int", "array-slice-int", "int-array-array"],
)
def test_integers_among_array_indices_follow_numpy(xp, index):
    # An integer next to array indices is an advanced index (NumPy, JAX): separated by a slice, the broadcast axes
    # come first. torch's own rule keeps them in place (x[0, :, [1, 2]] was (3, 2) on torch, (2, 3) in NumPy/JAX).
    data = np.arange(60, dtype=np.float32).reshape(3, 4, 5)
    ours = tuple(as_backend(xp, np.asarray(i, np.int32)) if isinstance(i, list) else i for i in index)
    x = as_backend(xp, data)
    check(x.at[ours].get(), data[index])
    expected = data.copy()
    expected[index] = data[index] * 2.0 + 1.0
    check(x.at[ours].set(x.at[ours].get() * 2.0 + 1.0), expected)


def test_bad_boolean_mask_and_second_ellipsis_raise_index_error(xp):
    x = as_backend(xp, np.zeros((3, 4), np.float32))
    with pytest.raises(IndexError):
        x.at[as_backend(xp, np.array([True, False]))].get()  # JAX: a (2,) mask does not index an axis of 3
    with pytest.raises(IndexError):
        x.at[:, as_backend(xp, np.array([True, False, True]))].set(1.0)
    with pytest.raises(IndexError):
        x.at[..., ...].get()
