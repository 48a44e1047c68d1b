"""Shape and layout manipulation against NumPy: reshape, stacking, splitting, tiling, padding, products."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_backend, check, check_tuple, float_arrays, shapes
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

DTYPES = ["float32", "int32", "bool", "complex64"]


def sample(shape, dtype="float32"):
    return (np.arange(int(np.prod(shape))) % 7 - 2).astype(dtype).reshape(shape)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reshape_ravel_transpose_keep_dtype(xp, dtype):
    data = sample((2, 3, 4), dtype)
    x = as_backend(xp, data)
    check(xp.reshape(x, (4, 6)), data.reshape(4, 6))
    check(xp.reshape(x, (-1,)), data.reshape(-1))
    check(xp.reshape(x, (2, -1), order="F"), data.reshape((2, -1), order="F"))
    check(xp.ravel(x), data.ravel())
    check(xp.transpose(x), data.transpose())
    check(xp.transpose(x, (1, 0, 2)), data.transpose(1, 0, 2))
    check(xp.permute_dims(x, (2, 0, 1)), data.transpose(2, 0, 1))
    check(xp.matrix_transpose(x), np.matrix_transpose(data))


@given(float_arrays(shapes))
def test_reshape_roundtrip_hypothesis(xp, data):
    x = as_backend(xp, data)
    check(xp.reshape(xp.ravel(x), data.shape), data)
    check(xp.expand_dims(x, 0), np.expand_dims(data, 0))
    check(xp.atleast_1d(x), np.atleast_1d(data))
    check(xp.atleast_2d(x), np.atleast_2d(data))
    check(xp.atleast_3d(x), np.atleast_3d(data))


def test_squeeze_expand_dims(xp):
    data = sample((1, 3, 1))
    x = as_backend(xp, data)
    check(xp.squeeze(x), data.squeeze())
    check(xp.squeeze(x, axis=0), data.squeeze(0))
    check(xp.squeeze(x, axis=(0, 2)), data.squeeze((0, 2)))
    check(xp.expand_dims(x, (0, -1)), np.expand_dims(data, (0, -1)))


def test_swapaxes_moveaxis_rollaxis(xp):
    data = sample((2, 3, 4))
    x = as_backend(xp, data)
    check(xp.swapaxes(x, 0, 2), np.swapaxes(data, 0, 2))
    check(xp.moveaxis(x, 0, -1), np.moveaxis(data, 0, -1))
    check(xp.moveaxis(x, (0, 1), (2, 0)), np.moveaxis(data, (0, 1), (2, 0)))
    check(xp.rollaxis(x, 2), np.rollaxis(data, 2))


@pytest.mark.parametrize("dtype", DTYPES)
def test_concatenate_stack(xp, dtype):
    a, b = sample((2, 3), dtype), sample((2, 3), dtype)[::-1]
    x, y = as_backend(xp, a), as_backend(xp, b)
    check(xp.concatenate([x, y]), np.concatenate([a, b]))
    check(xp.concatenate([x, y], axis=1), np.concatenate([a, b], axis=1))
    check(xp.concatenate([x, y], axis=None), np.concatenate([a, b], axis=None))
    check(xp.concat([x, y], axis=-1), np.concat([a, b], axis=-1))
    check(xp.stack([x, y]), np.stack([a, b]))
    check(xp.stack([x, y], axis=-1), np.stack([a, b], axis=-1))
    check(xp.hstack([x, y]), np.hstack([a, b]))
    check(xp.vstack([x, y]), np.vstack([a, b]))
    check(xp.dstack([x, y]), np.dstack([a, b]))
    check(xp.column_stack([x[:, 0], y[:, 1]]), np.column_stack([a[:, 0], b[:, 1]]))
    check(xp.block([[x, y], [y, x]]), np.block([[a, b], [b, a]]))


def test_concatenate_promotes_and_accepts_empty(xp):
    a = np.array([1, 2], np.int32)
    b = np.array([0.5], np.float32)
    check(xp.concatenate([as_backend(xp, a), as_backend(xp, b)]), np.concatenate([a, b]))
    empty = np.zeros((0, 3), np.float32)
    full = sample((2, 3))
    check(xp.concatenate([as_backend(xp, empty), as_backend(xp, full)]), np.concatenate([empty, full]))
    check(xp.hstack([as_backend(xp, np.float32(1)), as_backend(xp, np.float32(2))]), np.hstack([1.0, 2.0]).astype(np.float32))


@pytest.mark.parametrize("sections", [3, [1, 4], [0, 2, 2]])
def test_split_family(xp, sections):
    data = sample((6, 6))
    x = as_backend(xp, data)
    check_tuple(xp.split(x, sections), np.split(data, sections))
    check_tuple(xp.split(x, sections, axis=1), np.split(data, sections, axis=1))
    check_tuple(xp.hsplit(x, sections), np.hsplit(data, sections))
    check_tuple(xp.vsplit(x, sections), np.vsplit(data, sections))
    check_tuple(xp.dsplit(as_backend(xp, sample((2, 2, 6))), sections), np.dsplit(sample((2, 2, 6)), sections))


@pytest.mark.parametrize("sections", [1, 3, 4, 7])
def test_array_split_uneven(xp, sections):
    data = sample((7, 2))
    check_tuple(xp.array_split(as_backend(xp, data), sections), np.array_split(data, sections))


def test_unstack(xp):
    data = sample((3, 2))
    check_tuple(xp.unstack(as_backend(xp, data)), list(data))
    check_tuple(xp.unstack(as_backend(xp, data), axis=1), list(data.T))


@pytest.mark.parametrize("reps", [2, (2, 1), (1, 3, 2), 0])
def test_tile(xp, reps):
    data = sample((2, 3), "int32")
    check(xp.tile(as_backend(xp, data), reps), np.tile(data, reps))


def test_repeat(xp):
    data = sample((2, 3))
    x = as_backend(xp, data)
    check(xp.repeat(x, 2), np.repeat(data, 2))
    check(xp.repeat(x, 2, axis=1), np.repeat(data, 2, axis=1))
    counts = np.array([1, 0, 3], np.int32)
    check(xp.repeat(x, as_backend(xp, counts), axis=1), np.repeat(data, counts, axis=1))
    check(xp.repeat(x, as_backend(xp, counts), axis=1, total_repeat_length=4), np.repeat(data, counts, axis=1))


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "wrap", "linear_ramp", "maximum",
                                  "mean", "minimum", "empty"])
def test_pad_modes(xp, mode):
    data = sample((3, 4))
    x = as_backend(xp, data)
    expected = np.pad(data, ((1, 2), (2, 0)), mode=mode)
    result = xp.pad(x, ((1, 2), (2, 0)), mode=mode)
    if mode == "empty":  # the padding's values are unspecified
        assert result.shape == expected.shape
        return
    check(result, expected)


def test_pad_widths_and_values(xp):
    data = sample((2, 3), "int32")
    x = as_backend(xp, data)
    check(xp.pad(x, 1), np.pad(data, 1))
    check(xp.pad(x, (1, 2)), np.pad(data, (1, 2)))
    check(xp.pad(x, ((0, 1), (2, 0)), constant_values=9), np.pad(data, ((0, 1), (2, 0)), constant_values=9))
    check(xp.pad(x, 1, constant_values=((1, 2), (3, 4))), np.pad(data, 1, constant_values=((1, 2), (3, 4))))


@pytest.mark.parametrize(("shift", "axis"), [(1, None), (-2, None), (1, 0), (2, 1), ((1, 2), (0, 1)), (7, -1)])
def test_roll(xp, shift, axis):
    data = sample((3, 4))
    check(xp.roll(as_backend(xp, data), shift, axis), np.roll(data, shift, axis))


def test_flip_rot90(xp):
    data = sample((2, 3, 4))
    x = as_backend(xp, data)
    check(xp.flip(x), np.flip(data))
    check(xp.flip(x, 1), np.flip(data, 1))
    check(xp.flip(x, (0, 2)), np.flip(data, (0, 2)))
    check(xp.fliplr(x), np.fliplr(data))
    check(xp.flipud(x), np.flipud(data))
    for k in (-1, 0, 1, 2, 3, 5):
        check(xp.rot90(x, k), np.rot90(data, k))
    check(xp.rot90(x, 1, axes=(1, 2)), np.rot90(data, 1, axes=(1, 2)))


def test_broadcasting_functions(xp):
    a, b = sample((3, 1)), sample((1, 4), "int32")
    check(xp.broadcast_to(as_backend(xp, a), (2, 3, 4)), np.broadcast_to(a, (2, 3, 4)))
    check_tuple(xp.broadcast_arrays(as_backend(xp, a), as_backend(xp, b)), np.broadcast_arrays(a, b))
    assert tuple(xp.broadcast_shapes((3, 1), (1, 4), (4,))) == (3, 4)


@given(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4))
def test_broadcast_shapes_hypothesis(xp, shapes_case):
    assert tuple(xp.broadcast_shapes(*shapes_case.input_shapes)) == shapes_case.result_shape


def test_shape_queries(xp):
    x = as_backend(xp, sample((2, 3)))
    assert xp.shape(x) == (2, 3)
    assert xp.ndim(x) == 2
    assert xp.size(x) == 6
    assert xp.size(x, 1) == 3


@pytest.mark.parametrize("dtype", ["float32", "int32", "complex64"])
def test_products(xp, dtype):
    a, b = sample((2, 3), dtype), sample((3, 4), dtype)
    v, w = sample((3,), dtype), sample((3,), dtype)[::-1].copy()
    A, B, V, W = (as_backend(xp, t) for t in (a, b, v, w))
    check(xp.matmul(A, B), a @ b)
    check(A @ B, a @ b)
    check(xp.dot(A, B), np.dot(a, b))
    check(xp.dot(V, W), np.dot(v, w))
    check(xp.dot(A, 2), np.dot(a, 2).astype(dtype))
    check(xp.vdot(V, W), np.vdot(v, w))
    check(xp.inner(V, W), np.inner(v, w))
    check(xp.inner(A, A), np.inner(a, a))
    check(xp.outer(V, W), np.outer(v, w))
    check(xp.kron(A, A), np.kron(a, a))
    check(xp.tensordot(A, B, axes=1), np.tensordot(a, b, axes=1))
    check(xp.tensordot(A, A, axes=([0, 1], [0, 1])), np.tensordot(a, a, axes=([0, 1], [0, 1])))
    check(xp.vecdot(V, W), np.vecdot(v, w))
    check(xp.cross(V, W), np.cross(v, w))


def test_vdot_conjugates_and_matmul_batches(xp):
    a = np.array([1 + 2j, 3 - 1j], np.complex64)
    b = np.array([2 - 1j, 1j], np.complex64)
    check(xp.vdot(as_backend(xp, a), as_backend(xp, b)), np.vdot(a, b))
    check(xp.vecdot(as_backend(xp, a), as_backend(xp, b)), np.vecdot(a, b))
    batch = sample((5, 2, 3))
    check(xp.matmul(as_backend(xp, batch), as_backend(xp, sample((3, 4)))), batch @ sample((3, 4)))
    check(xp.matmul(as_backend(xp, sample((3,))), as_backend(xp, sample((3, 4)))), sample((3,)) @ sample((3, 4)))


def test_matmul_mixed_dtypes_promote(xp):
    a, b = sample((2, 3), "int32"), sample((3, 2), "float32")
    check(xp.matmul(as_backend(xp, a), as_backend(xp, b)), a @ b)


@pytest.mark.parametrize(
    ("subscripts", "shapes_"),
    [("ij,jk->ik", [(2, 3), (3, 4)]), ("ii->i", [(3, 3)]), ("ij->", [(2, 3)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
     ("i,j->ij", [(3,), (4,)]), ("...ij,...jk", [(2, 2, 3), (3, 1)]), ("ijk->kji", [(2, 3, 4)])],
)
def test_einsum(xp, subscripts, shapes_):
    arrays = [sample(shape) for shape in shapes_]
    check(xp.einsum(subscripts, *(as_backend(xp, a) for a in arrays)), np.einsum(subscripts, *arrays))


def test_cross_variants(xp):
    a = sample((4, 3))
    b = sample((4, 3))[::-1].copy()
    check(xp.cross(as_backend(xp, a), as_backend(xp, b)), np.cross(a, b))
    check(xp.cross(as_backend(xp, a[:, :2]), as_backend(xp, b)), np.cross(a[:, :2], b))
    check(xp.cross(as_backend(xp, a.T), as_backend(xp, b.T), axis=0), np.cross(a.T, b.T, axis=0))


def test_astype_and_can_cast(xp):
    data = np.array([1.7, -2.2, 0.0], np.float32)
    x = as_backend(xp, data)
    check(xp.astype(x, xp.int32), data.astype(np.int32))
    check(xp.astype(x, xp.bool), data.astype(bool))
    check(xp.astype(x, xp.complex64), data.astype(np.complex64))
    assert xp.can_cast(xp.int8, xp.int32)
    assert not xp.can_cast(xp.float32, xp.int32)
    assert xp.isdtype(xp.float32, "real floating")
    assert not xp.isdtype(xp.int32, "real floating")
    assert xp.isdtype(xp.int32, ("integral", "bool"))


@given(st.sampled_from(["float32", "int32", "bool"]), shapes)
def test_resize_and_insert_delete_append(xp, dtype, shape):
    data = sample(shape, dtype)
    x = as_backend(xp, data)
    check(xp.append(x, x), np.append(data, data))
    check(xp.resize(x, (2, 5)) if data.size else xp.zeros((2, 5), getattr(xp, dtype)),
          np.resize(data, (2, 5)) if data.size else np.zeros((2, 5), dtype))


def test_insert_delete(xp):
    data = sample((3, 4))
    x = as_backend(xp, data)
    check(xp.delete(x, 1, axis=1), np.delete(data, 1, axis=1))
    check(xp.delete(x, np.array([0, 2]), axis=0), np.delete(data, [0, 2], axis=0))  # JAX rejects lists
    check(xp.insert(x, 1, 9.0, axis=0), np.insert(data, 1, 9.0, axis=0))
    check(xp.insert(xp.ravel(x), 3, 5.0), np.insert(data.ravel(), 3, 5.0))


def test_trim_zeros(xp):
    data = np.array([0, 0, 1, 2, 0, 3, 0], np.int32)
    check(xp.trim_zeros(as_backend(xp, data)), np.trim_zeros(data))
    check(xp.trim_zeros(as_backend(xp, data), "f"), np.trim_zeros(data, "f"))
