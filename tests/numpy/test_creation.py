"""Creation functions against NumPy: values, shapes (0-d, empty) and JAX's x64-off dtypes."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_backend, check, to_numpy

DTYPES = ["float32", "int32", "bool", "complex64"]


@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 0, 3), (2, 3)])
@pytest.mark.parametrize("function", ["zeros", "ones", "empty"])
def test_zeros_ones_empty_default_dtype(xp, function, shape):
    result = getattr(xp, function)(shape)
    expected = getattr(np, function)(shape, dtype=np.float32)
    if function == "empty":
        check(result, expected, exact=False, rtol=np.inf, atol=np.inf)
    else:
        check(result, expected)


@pytest.mark.parametrize("dtype", DTYPES)
def test_zeros_ones_full_with_dtype(xp, dtype):
    check(xp.zeros((2, 3), dtype=getattr(xp, dtype)), np.zeros((2, 3), dtype))
    check(xp.ones(4, dtype=getattr(xp, dtype)), np.ones(4, dtype))
    check(xp.full((2,), 1, dtype=getattr(xp, dtype)), np.full((2,), 1, dtype))


def test_full_infers_dtype_from_fill_value(xp):
    check(xp.full((2, 2), 7), np.full((2, 2), 7, np.int32))
    check(xp.full((2,), 1.5), np.full((2,), 1.5, np.float32))
    check(xp.full((), True), np.full((), True))
    check(xp.full(3, 1 + 2j), np.full(3, 1 + 2j, np.complex64))
    check(xp.full((2, 3), as_backend(xp, [1.0, 2.0, 3.0], np.float32)), np.full((2, 3), [1.0, 2.0, 3.0], np.float32))


@pytest.mark.parametrize("dtype", DTYPES)
def test_like_functions_keep_shape_and_dtype(xp, dtype):
    data = np.arange(6).reshape(2, 3).astype(dtype)
    x = as_backend(xp, data)
    check(xp.zeros_like(x), np.zeros_like(data))
    check(xp.ones_like(x), np.ones_like(data))
    check(xp.full_like(x, 1), np.full_like(data, 1))
    assert to_numpy(xp.empty_like(x)).shape == (2, 3)
    check(xp.zeros_like(x, dtype=xp.float32), np.zeros((2, 3), np.float32))


@pytest.mark.parametrize(
    "args",
    [(5,), (0,), (2, 7), (2, 7, 2), (7, 2, -1), (0.0, 1.0, 0.25), (1, 2.5, 0.5), (-3,), (5.0,)],
)
def test_arange(xp, args):
    check(xp.arange(*args), np.arange(*args))


@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_arange_with_dtype(xp, dtype):
    check(xp.arange(0, 10, 3, dtype=getattr(xp, dtype)), np.arange(0, 10, 3, dtype=dtype))


@pytest.mark.parametrize(
    ("start", "stop", "num", "endpoint"),
    [(0, 1, 5, True), (0, 1, 5, False), (-2.5, 3.5, 7, True), (3, -3, 4, True), (0, 1, 1, True), (0, 1, 0, True),
     (1, 1, 3, True), (0, 10, 100, True)],
)
def test_linspace(xp, start, stop, num, endpoint):
    check(xp.linspace(start, stop, num, endpoint=endpoint), np.linspace(start, stop, num, endpoint=endpoint))


def test_linspace_endpoint_is_exact(xp):
    for stop in (1.0, 0.1, 3.7, -12.3, 1e6 + 0.5):
        result = to_numpy(xp.linspace(0.0, stop, 100))
        assert result[-1] == np.float32(stop), (stop, result[-1])
        assert result[0] == 0.0


def test_linspace_retstep_and_dtype(xp):
    samples, step = xp.linspace(0, 2, 5, retstep=True)
    check(samples, np.linspace(0, 2, 5, dtype=np.float32))
    assert float(to_numpy(step)) == pytest.approx(0.5)
    check(xp.linspace(0, 10, 6, dtype=xp.int32), np.linspace(0, 10, 6).astype(np.int32))


def test_linspace_with_an_array_endpoint(xp):
    # The seed's parameter sweep: `linspace(0, param, 100)` with `param` an array (torch.linspace rejects tensors).
    param = as_backend(xp, np.float32(2.5))
    check(xp.linspace(0, param, 100), np.linspace(0, 2.5, 100, dtype=np.float32))
    assert to_numpy(xp.linspace(0, param, 100))[-1] == np.float32(2.5)


def test_linspace_with_array_start_and_stop_vectors(xp):
    start = np.array([0.0, 1.0, -1.0], np.float32)
    stop = np.array([1.0, 3.0, 5.0], np.float32)
    check(xp.linspace(as_backend(xp, start), as_backend(xp, stop), 5), np.linspace(start, stop, 5).astype(np.float32))
    check(
        xp.linspace(as_backend(xp, start), as_backend(xp, stop), 4, axis=1),
        np.linspace(start, stop, 4, axis=1).astype(np.float32),
    )


def test_logspace_geomspace(xp):
    check(xp.logspace(0, 3, 4), np.logspace(0, 3, 4))
    check(xp.logspace(0, 2, 3, base=2.0), np.logspace(0, 2, 3, base=2.0))
    check(xp.logspace(0, 1, 5, endpoint=False), np.logspace(0, 1, 5, endpoint=False))
    check(xp.geomspace(1, 1000, 4), np.geomspace(1, 1000, 4))
    check(xp.geomspace(2, 32, 5, endpoint=False), np.geomspace(2, 32, 5, endpoint=False))


@pytest.mark.parametrize(("n", "m", "k"), [(3, None, 0), (2, 4, 1), (4, 2, -1), (0, None, 0), (3, 3, 5)])
def test_eye(xp, n, m, k):
    check(xp.eye(n, m, k), np.eye(n, m, k, dtype=np.float32))


def test_eye_identity_tri_dtypes(xp):
    check(xp.eye(3, dtype=xp.int32), np.eye(3, dtype=np.int32))
    check(xp.identity(3), np.identity(3, dtype=np.float32))
    check(xp.identity(2, dtype=xp.bool), np.identity(2, dtype=bool))
    check(xp.tri(3), np.tri(3, dtype=np.float32))
    check(xp.tri(3, 4, 1), np.tri(3, 4, 1, dtype=np.float32))
    check(xp.tri(4, 2, -1, dtype=xp.int32), np.tri(4, 2, -1, dtype=np.int32))


@pytest.mark.parametrize("k", [0, 1, -1, 5])
@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (2, 3, 4), (0, 3)])
def test_tril_triu(xp, shape, k):
    data = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    x = as_backend(xp, data)
    check(xp.tril(x, k), np.tril(data, k))
    check(xp.triu(x, k), np.triu(data, k))


@pytest.mark.parametrize("k", [0, 1, -2])
def test_diag(xp, k):
    vector = np.array([1, 2, 3], np.int32)
    check(xp.diag(as_backend(xp, vector), k), np.diag(vector, k))
    matrix = np.arange(12, dtype=np.float32).reshape(3, 4)
    check(xp.diag(as_backend(xp, matrix), k), np.diag(matrix, k))
    check(xp.diagflat(as_backend(xp, vector), k), np.diagflat(vector, k))


@pytest.mark.parametrize("indexing", ["xy", "ij"])
def test_meshgrid(xp, indexing):
    a = np.arange(3, dtype=np.float32)
    b = np.arange(4, dtype=np.int32)
    expected = np.meshgrid(a, b, indexing=indexing)
    result = xp.meshgrid(as_backend(xp, a), as_backend(xp, b), indexing=indexing)
    assert len(result) == 2
    check(result[0], expected[0])
    check(result[1], expected[1])
    sparse = xp.meshgrid(as_backend(xp, a), as_backend(xp, a), sparse=True)
    for got, want in zip(sparse, np.meshgrid(a, a, sparse=True), strict=True):
        check(got, want)


@pytest.mark.parametrize("dtype", DTYPES)
def test_asarray_and_array_from_numpy(xp, dtype):
    data = np.arange(6).reshape(2, 3).astype(dtype)
    check(xp.asarray(data), data)
    check(xp.array(data), data)
    check(xp.asarray(data, dtype=xp.float32), data.astype(np.float32))


def test_asarray_canonicalises_64_bit_inputs(xp):
    check(xp.asarray(np.arange(3, dtype=np.float64)), np.arange(3, dtype=np.float32))
    check(xp.asarray(np.arange(3, dtype=np.int64)), np.arange(3, dtype=np.int32))
    check(xp.asarray([[1.0, 2.0], [3.0, 4.0]]), np.array([[1, 2], [3, 4]], np.float32))
    check(xp.asarray(3.5), np.float32(3.5))
    check(xp.asarray([True, False]), np.array([True, False]))


def test_array_copies(xp):
    x = as_backend(xp, np.arange(3, dtype=np.float32))
    y = xp.array(x)
    z = xp.copy(x)
    check(y, np.arange(3, dtype=np.float32))
    check(z, np.arange(3, dtype=np.float32))


def test_indices_and_triangle_indices(xp):
    for got, want in zip(xp.indices((2, 3)), np.indices((2, 3)), strict=True):
        check(got, want)
    for got, want in zip(xp.tril_indices(3), np.tril_indices(3), strict=True):
        check(got, want)
    for got, want in zip(xp.triu_indices(3, 1, 4), np.triu_indices(3, 1, 4), strict=True):
        check(got, want)
    for got, want in zip(xp.diag_indices(3), np.diag_indices(3), strict=True):
        check(got, want)


def test_vander(xp):
    data = np.array([1.0, 2.0, 3.0], np.float32)
    check(xp.vander(as_backend(xp, data)), np.vander(data))
    check(xp.vander(as_backend(xp, data), 2, increasing=True), np.vander(data, 2, increasing=True))
