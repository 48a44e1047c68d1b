"""``portax.lax.linalg`` against real ``jax.lax.linalg`` 0.10 (values, shapes, dtypes, gradients) on every backend.

Factorizations are compared through quantities that do not depend on sign or phase choices (reconstructions,
``|q|``, eigenvalues, projections) where LAPACK builds may legitimately differ; gradients of such invariant losses
are compared with JAX's.
"""

from __future__ import annotations

import warnings

import numpy as np
import portax
import portax.lax.linalg as pll
import pytest
from helpers import to_numpy

RNG = np.random.default_rng(3)
A = RNG.standard_normal((4, 4)).astype(np.float32)
SPD = (A @ A.T + 4 * np.eye(4)).astype(np.float32)
BATCH_SPD = np.stack([SPD, SPD + np.eye(4, dtype=np.float32)])
TALL = RNG.standard_normal((5, 3)).astype(np.float32)
TOL = {"rtol": 2e-4, "atol": 2e-4}


def _close(got, want, **tol):
    got, want = to_numpy(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, got.dtype, want.shape, want.dtype)
    np.testing.assert_allclose(got, want, **(tol or TOL))


def test_public_module_is_importable_like_jax():
    import portax.lax.linalg as module

    assert portax.lax.linalg is module and module.cholesky is pll.cholesky


@pytest.mark.parametrize("symmetrize_input", [True, False])
def test_cholesky_matches_jax(symmetrize_input, xp, jax_reference):
    jax, jnp = jax_reference
    lopsided = SPD + np.triu(np.ones((4, 4), np.float32), 1)  # the upper triangle differs from the lower one
    for matrix in (SPD, BATCH_SPD, lopsided):
        _close(pll.cholesky(xp.asarray(matrix), symmetrize_input=symmetrize_input),
               jax.lax.linalg.cholesky(jnp.asarray(matrix), symmetrize_input=symmetrize_input))


def test_cholesky_of_an_indefinite_matrix_is_nan_like_jax(xp, jax_reference):
    jax, jnp = jax_reference
    got, want = to_numpy(pll.cholesky(xp.asarray(-SPD))), np.asarray(jax.lax.linalg.cholesky(jnp.asarray(-SPD)))
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    assert np.isnan(got).any()


def test_cholesky_of_integers_is_float_like_jax(xp, jax_reference):
    jax, jnp = jax_reference
    ints = np.array([[4, 2], [2, 2]], np.int32)
    _close(pll.cholesky(xp.asarray(ints)), jax.lax.linalg.cholesky(jnp.asarray(ints)))


@pytest.mark.parametrize("left_side", [True, False])
@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize(("transpose_a", "conjugate_a"), [(False, False), (True, False), (True, True)])
@pytest.mark.parametrize("unit_diagonal", [False, True])
def test_triangular_solve_matches_jax(left_side, lower, transpose_a, conjugate_a, unit_diagonal, xp, jax_reference):
    jax, jnp = jax_reference
    a = A + 3 * np.eye(4, dtype=np.float32)
    b = RNG.standard_normal((4, 2) if left_side else (2, 4)).astype(np.float32)
    kwargs = dict(left_side=left_side, lower=lower, transpose_a=transpose_a, conjugate_a=conjugate_a,
                  unit_diagonal=unit_diagonal)
    _close(pll.triangular_solve(xp.asarray(a), xp.asarray(b), **kwargs),
           jax.lax.linalg.triangular_solve(jnp.asarray(a), jnp.asarray(b), **kwargs))


def test_triangular_solve_complex_and_vector_rhs(xp, jax_reference):
    jax, jnp = jax_reference
    a = (A + 3 * np.eye(4) + 1j * np.tril(A)).astype(np.complex64)
    b = (RNG.standard_normal(4) + 1j * RNG.standard_normal(4)).astype(np.complex64)
    for kwargs in (dict(left_side=True, lower=True, conjugate_a=True, transpose_a=True), dict(lower=False)):
        _close(pll.triangular_solve(xp.asarray(a), xp.asarray(b), **kwargs),
               jax.lax.linalg.triangular_solve(jnp.asarray(a), jnp.asarray(b), **kwargs))


@pytest.mark.parametrize("full_matrices", [True, False])
@pytest.mark.parametrize("matrix", [TALL, TALL.T.copy(), A])
def test_qr_matches_jax(matrix, full_matrices, xp, jax_reference):
    jax, jnp = jax_reference
    q, r = pll.qr(xp.asarray(matrix), full_matrices=full_matrices)
    jq, jr = jax.lax.linalg.qr(jnp.asarray(matrix), full_matrices=full_matrices)
    assert tuple(q.shape) == jq.shape and tuple(r.shape) == jr.shape
    k = min(matrix.shape)
    _close(q[..., :k] @ r[..., :k, :], np.asarray(jq)[..., :k] @ np.asarray(jr)[..., :k, :])
    np.testing.assert_allclose(np.abs(to_numpy(r)), np.abs(np.asarray(jr)), **TOL)


def test_eigh_matches_jax(xp, jax_reference):
    jax, jnp = jax_reference
    v, w = pll.eigh(xp.asarray(BATCH_SPD))
    jv, jw = jax.lax.linalg.eigh(jnp.asarray(BATCH_SPD))
    _close(w, jw)
    _close(np.abs(to_numpy(v)), np.abs(np.asarray(jv)))
    upper = np.triu(SPD) + np.triu(SPD, 1).T * 0  # only the upper triangle is meaningful
    for lower in (True, False):
        got = pll.eigh(xp.asarray(upper), lower=lower, symmetrize_input=False)[1]
        _close(got, jax.lax.linalg.eigh(jnp.asarray(upper), lower=lower, symmetrize_input=False)[1])
    subset_v, subset_w = pll.eigh(xp.asarray(SPD), subset_by_index=(1, 3))
    _close(subset_w, np.asarray(jw)[0, 1:3])
    assert tuple(subset_v.shape) == (4, 2)


@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd_matches_jax(full_matrices, xp, jax_reference):
    jax, jnp = jax_reference
    u, s, vh = pll.svd(xp.asarray(TALL), full_matrices=full_matrices)
    ju, js, jvh = jax.lax.linalg.svd(jnp.asarray(TALL), full_matrices=full_matrices)
    assert tuple(u.shape) == ju.shape and tuple(vh.shape) == jvh.shape
    _close(s, js)
    _close(pll.svd(xp.asarray(TALL), compute_uv=False), jax.lax.linalg.svd(jnp.asarray(TALL), compute_uv=False))
    _close(to_numpy(u)[:, :3] * to_numpy(s) @ to_numpy(vh)[:3], TALL)
    _, subset_s, subset_vh = pll.svd(xp.asarray(TALL), full_matrices=False, subset_by_index=(0, 2))
    _close(subset_s, np.asarray(js)[:2])
    assert tuple(subset_vh.shape) == (2, 3)


@pytest.mark.parametrize("matrix", [A, TALL, TALL.T.copy(), np.stack([A, A[::-1]])])
def test_lu_matches_jax(matrix, xp, jax_reference):
    jax, jnp = jax_reference
    got = pll.lu(xp.asarray(matrix))
    want = jax.lax.linalg.lu(jnp.asarray(matrix))
    for g, w in zip(got, want, strict=True):
        _close(g, w)


# -- compositions ------------------------------------------------------------------------------------------------

LOSSES = {
    "cholesky": lambda lax, x: (lax.linalg.cholesky(x @ x.T + 4.0 * _eye(x)) ** 2).sum(),
    "triangular_solve": lambda lax, x: (lax.linalg.triangular_solve(
        x + 4.0 * _eye(x), x, left_side=True, lower=True) ** 2).sum(),
    "eigh": lambda lax, x: (lax.linalg.eigh(x + x.T)[1] ** 3).sum(),
    "svd": lambda lax, x: (lax.linalg.svd(x, compute_uv=False) ** 2).sum() + lax.linalg.svd(x, compute_uv=False)[0],
    "qr": lambda lax, x: (lax.linalg.qr(x)[1] ** 2).sum(),
    "lu": lambda lax, x: (lax.linalg.lu(x + 4.0 * _eye(x))[0] ** 2).sum(),
}


def _eye(x):
    import portax.numpy as pnp

    if type(x).__module__.startswith("torch"):
        return pnp.eye(x.shape[-1], dtype=x.dtype)
    import jax.numpy as jnp

    return jnp.eye(x.shape[-1], dtype=x.dtype)


@pytest.mark.parametrize("mode", ["grad", "jit_grad", "vmap_grad"])
@pytest.mark.parametrize("name", list(LOSSES))
def test_gradients_match_jax(name, mode, xp, jax_reference):
    jax, jnp = jax_reference
    loss = LOSSES[name]
    x = A if mode != "vmap_grad" else np.stack([A, A * 0.5 + 0.1])

    def transformed(t, lax):
        g = t.grad(lambda m: loss(lax, m))
        return {"grad": g, "jit_grad": t.jit(g), "vmap_grad": t.vmap(g)}[mode]

    with warnings.catch_warnings():
        warnings.simplefilter("error", portax.errors.CompileFallbackWarning)  # jit compiles on torch
        got = transformed(portax, portax.lax)(xp.asarray(x))
    want = transformed(jax, jax.lax)(jnp.asarray(x))
    _close(got, want, rtol=2e-3, atol=2e-3)


# -- errors ------------------------------------------------------------------------------------------------------

ERRORS = {
    "lu_of_a_vector": lambda lax, xp: lax.linalg.lu(xp.ones(3)),
    "qr_of_a_vector": lambda lax, xp: lax.linalg.qr(xp.ones(3)),
    "svd_of_integers": lambda lax, xp: lax.linalg.svd(xp.ones((3, 3), dtype="int32")),
    "lu_of_integers": lambda lax, xp: lax.linalg.lu(xp.ones((3, 3), dtype="int32")),
    "triangular_solve_dtypes": lambda lax, xp: lax.linalg.triangular_solve(
        xp.ones((4, 4), dtype="float16"), xp.ones((4, 4))),
    "triangular_solve_batch_rank": lambda lax, xp: lax.linalg.triangular_solve(xp.ones((4, 4)), xp.ones((2, 4, 4))),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_match_jax(case, xp, jax_reference):
    jax, jnp = jax_reference
    with pytest.raises(Exception) as theirs:
        ERRORS[case](jax.lax, jnp)
    with pytest.raises(type(theirs.value)) as ours:
        ERRORS[case](portax.lax, xp)
    assert str(ours.value) == str(theirs.value)


def test_pivoted_qr(xp, backend_name, jax_reference):
    jax, jnp = jax_reference
    if backend_name == "torch":
        with pytest.raises(portax.errors.UnsupportedError, match="pivoting"):
            pll.qr(xp.asarray(A), pivoting=True)
        return
    q, r, p = pll.qr(xp.asarray(A), pivoting=True)
    np.testing.assert_allclose(to_numpy(q) @ to_numpy(r), A[:, to_numpy(p)], **TOL)
