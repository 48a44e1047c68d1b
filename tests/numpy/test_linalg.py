"""``portax.numpy.linalg`` against NumPy/SciPy: results checked by value or by defining identities.

Decompositions are unique only up to signs/phases, so they are checked by reconstruction and orthogonality, and
their invariant parts (singular values, eigenvalues) by value.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
from helpers import as_backend, check, to_numpy
from hypothesis import given, strategies as st

RNG = np.random.default_rng(0)
SQUARE = RNG.standard_normal((4, 4)).astype(np.float32) + 4 * np.eye(4, dtype=np.float32)
BATCH = RNG.standard_normal((3, 4, 4)).astype(np.float32) + 4 * np.eye(4, dtype=np.float32)
TALL = RNG.standard_normal((5, 3)).astype(np.float32)
SPD = (SQUARE @ SQUARE.T + np.eye(4, dtype=np.float32)).astype(np.float32)
COMPLEX_SQUARE = (SQUARE + 1j * RNG.standard_normal((4, 4))).astype(np.complex64)

LOOSE = {"rtol": 2e-4, "atol": 2e-4}


@pytest.fixture
def linalg(xp):
    return xp.linalg


@pytest.mark.parametrize("matrix", [SQUARE, BATCH, COMPLEX_SQUARE], ids=["square", "batch", "complex"])
def test_inv_det_slogdet(linalg, xp, matrix):
    a = as_backend(xp, matrix)
    check(linalg.inv(a), np.linalg.inv(matrix.astype(np.complex128 if matrix.dtype.kind == "c" else np.float64)),
          **LOOSE)
    check(linalg.det(a), np.linalg.det(matrix.astype(np.float64 if matrix.dtype.kind == "f" else np.complex128)),
          rtol=1e-4)
    sign, logabsdet = linalg.slogdet(a)
    want_sign, want_logabsdet = np.linalg.slogdet(matrix.astype(np.float64 if matrix.dtype.kind == "f" else np.complex128))
    check(sign, want_sign, **LOOSE)
    check(logabsdet, want_logabsdet.astype(np.float32), **LOOSE)


def test_solve(linalg, xp):
    vector = RNG.standard_normal(4).astype(np.float32)
    matrix_rhs = RNG.standard_normal((4, 2)).astype(np.float32)
    check(linalg.solve(as_backend(xp, SQUARE), as_backend(xp, vector)), np.linalg.solve(SQUARE.astype(float), vector),
          **LOOSE)
    check(linalg.solve(as_backend(xp, SQUARE), as_backend(xp, matrix_rhs)),
          np.linalg.solve(SQUARE.astype(float), matrix_rhs), **LOOSE)
    batch_rhs = RNG.standard_normal((3, 4, 1)).astype(np.float32)
    check(linalg.solve(as_backend(xp, BATCH), as_backend(xp, batch_rhs)), np.linalg.solve(BATCH.astype(float), batch_rhs),
          **LOOSE)


@pytest.mark.parametrize("ord_", [None, 1, 2, np.inf, -np.inf, "fro", "nuc", -1, -2])
def test_matrix_norms(linalg, xp, ord_):
    if ord_ in ("fro", "nuc", -2, 2, -1, 1, np.inf, -np.inf) or ord_ is None:
        check(linalg.norm(as_backend(xp, SQUARE), ord=ord_), np.linalg.norm(SQUARE.astype(float), ord=ord_), **LOOSE)


@pytest.mark.parametrize("ord_", [None, 1, 2, 3, 0, np.inf, -np.inf])
def test_vector_norms(linalg, xp, ord_):
    vector = np.array([3.0, -4.0, 0.0, 1.0], np.float32)
    check(linalg.norm(as_backend(xp, vector), ord=ord_), np.linalg.norm(vector.astype(float), ord=ord_), **LOOSE)
    check(linalg.norm(as_backend(xp, TALL), ord=ord_, axis=0), np.linalg.norm(TALL.astype(float), ord=ord_, axis=0),
          **LOOSE)
    check(linalg.vector_norm(as_backend(xp, TALL), ord=2 if ord_ is None else ord_, axis=1, keepdims=True),
          np.linalg.norm(TALL.astype(float), ord=2 if ord_ is None else ord_, axis=1, keepdims=True), **LOOSE)


def test_norm_of_ints_and_complex(linalg, xp):
    check(linalg.norm(as_backend(xp, np.array([3, 4], np.int32))), np.float32(5.0))
    check(linalg.norm(as_backend(xp, COMPLEX_SQUARE)), np.linalg.norm(COMPLEX_SQUARE.astype(np.complex128)), **LOOSE)
    check(linalg.matrix_norm(as_backend(xp, BATCH), ord="fro"), np.linalg.matrix_norm(BATCH.astype(float)), **LOOSE)


def test_eigh_eigvalsh(linalg, xp):
    values, vectors = linalg.eigh(as_backend(xp, SPD))
    want_values = np.linalg.eigvalsh(SPD.astype(float))
    check(values, want_values, **LOOSE)
    v = to_numpy(vectors).astype(float)
    np.testing.assert_allclose(v @ np.diag(want_values) @ v.T, SPD, rtol=1e-3, atol=1e-3)
    np.testing.assert_allclose(v.T @ v, np.eye(4), atol=1e-4)
    check(linalg.eigvalsh(as_backend(xp, SPD)), want_values, **LOOSE)
    check(linalg.eigvalsh(as_backend(xp, SPD), UPLO="U"), np.linalg.eigvalsh(SPD.astype(float), UPLO="U"), **LOOSE)


@pytest.mark.parametrize("matrix", [TALL, TALL.T.copy(), BATCH], ids=["tall", "wide", "batch"])
def test_svd(linalg, xp, matrix):
    u, s, vh = linalg.svd(as_backend(xp, matrix), full_matrices=False)
    check(s, np.linalg.svd(matrix.astype(float), compute_uv=False), **LOOSE)
    u, s, vh = (to_numpy(t).astype(float) for t in (u, s, vh))
    np.testing.assert_allclose((u * s[..., None, :]) @ vh, matrix, rtol=1e-3, atol=1e-4)
    check(linalg.svd(as_backend(xp, matrix), compute_uv=False), np.linalg.svd(matrix.astype(float), compute_uv=False),
          **LOOSE)
    check(linalg.svdvals(as_backend(xp, matrix)), np.linalg.svd(matrix.astype(float), compute_uv=False), **LOOSE)
    full_u, _, full_vh = linalg.svd(as_backend(xp, matrix), full_matrices=True)
    assert to_numpy(full_u).shape[-1] == matrix.shape[-2] and to_numpy(full_vh).shape[-1] == matrix.shape[-1]


def test_cholesky(linalg, xp):
    check(linalg.cholesky(as_backend(xp, SPD)), np.linalg.cholesky(SPD.astype(float)), **LOOSE)
    check(linalg.cholesky(as_backend(xp, SPD), upper=True), scipy.linalg.cholesky(SPD.astype(float), lower=False),
          **LOOSE)


@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
def test_qr(linalg, xp, mode):
    if mode == "r":
        r = linalg.qr(as_backend(xp, TALL), mode="r")
        np.testing.assert_allclose(np.abs(to_numpy(r)), np.abs(np.linalg.qr(TALL.astype(float), mode="r")), **LOOSE)
        return
    q, r = linalg.qr(as_backend(xp, TALL), mode=mode)
    q, r = to_numpy(q).astype(float), to_numpy(r).astype(float)
    want_q, want_r = np.linalg.qr(TALL.astype(float), mode=mode)
    assert q.shape == want_q.shape and r.shape == want_r.shape
    np.testing.assert_allclose(q @ r, TALL, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(q.T @ q, np.eye(q.shape[1]), atol=1e-4)
    np.testing.assert_allclose(np.triu(r), r)


def test_pinv_lstsq_matrix_rank(linalg, xp):
    check(linalg.pinv(as_backend(xp, TALL)), np.linalg.pinv(TALL.astype(float)), **LOOSE)
    rhs = RNG.standard_normal(5).astype(np.float32)
    solution, residuals, rank, singular_values = linalg.lstsq(as_backend(xp, TALL), as_backend(xp, rhs))
    want = np.linalg.lstsq(TALL.astype(float), rhs, rcond=None)
    check(solution, want[0], **LOOSE)
    check(residuals, want[1], **LOOSE)
    assert int(to_numpy(rank)) == want[2]
    check(singular_values, want[3], **LOOSE)
    check(linalg.matrix_rank(as_backend(xp, TALL)), np.int32(3))
    low_rank = np.outer(np.arange(4), np.arange(3)).astype(np.float32)
    check(linalg.matrix_rank(as_backend(xp, low_rank)), np.int32(1))


@pytest.mark.parametrize("n", [0, 1, 2, 5, -1, -3])
def test_matrix_power(linalg, xp, n):
    check(linalg.matrix_power(as_backend(xp, SQUARE), n), np.linalg.matrix_power(SQUARE.astype(float), n),
          rtol=1e-3, atol=1e-3)
    ints = np.array([[1, 1], [1, 0]], np.int32)
    if n >= 0:
        check(linalg.matrix_power(as_backend(xp, ints), n), np.linalg.matrix_power(ints, n))


def test_eig_eigvals(linalg, xp):
    values = np.sort_complex(to_numpy(linalg.eigvals(as_backend(xp, SQUARE))))
    np.testing.assert_allclose(values, np.sort_complex(np.linalg.eigvals(SQUARE.astype(float))), **LOOSE)
    assert values.dtype == np.complex64
    w, v = linalg.eig(as_backend(xp, SQUARE))
    w, v = to_numpy(w).astype(np.complex128), to_numpy(v).astype(np.complex128)
    np.testing.assert_allclose(SQUARE @ v, v * w, rtol=1e-3, atol=1e-3)


def test_array_api_linalg_extras(linalg, xp):
    a, b = as_backend(xp, SQUARE), as_backend(xp, BATCH)
    check(linalg.matmul(a, a), SQUARE.astype(float) @ SQUARE, **LOOSE)
    check(linalg.matrix_transpose(b), np.swapaxes(BATCH, -1, -2))
    check(linalg.diagonal(b, offset=1), np.diagonal(BATCH, offset=1, axis1=-2, axis2=-1))
    check(linalg.trace(b), np.trace(BATCH, axis1=-2, axis2=-1), **LOOSE)
    v = np.array([1.0, 2.0, 3.0], np.float32)
    check(linalg.outer(as_backend(xp, v), as_backend(xp, v)), np.outer(v, v))
    check(linalg.cross(as_backend(xp, v), as_backend(xp, v[::-1].copy())), np.cross(v, v[::-1]))
    check(linalg.vecdot(as_backend(xp, TALL), as_backend(xp, TALL)), np.sum(TALL * TALL, axis=-1), **LOOSE)
    check(linalg.tensordot(a, a, axes=2), np.tensordot(SQUARE.astype(float), SQUARE, axes=2), **LOOSE)
    check(linalg.multi_dot([a, a, a]), SQUARE.astype(float) @ SQUARE @ SQUARE, rtol=1e-3, atol=1e-3)
    check(linalg.cond(a), np.linalg.cond(SQUARE.astype(float)), rtol=1e-3)


@given(st.integers(1, 5), st.integers(0, 2**31 - 1))
def test_solve_hypothesis(linalg, xp, n, seed):
    rng = np.random.default_rng(seed)
    matrix = (rng.standard_normal((n, n)) + n * np.eye(n)).astype(np.float32)
    rhs = rng.standard_normal(n).astype(np.float32)
    solution = to_numpy(linalg.solve(as_backend(xp, matrix), as_backend(xp, rhs))).astype(float)
    np.testing.assert_allclose(matrix @ solution, rhs, rtol=1e-3, atol=1e-3)
