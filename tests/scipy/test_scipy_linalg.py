"""portax.scipy.linalg against scipy.linalg (values, scipy's conventions) and JAX (gradients), on every backend."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.linalg as psl
import pytest
import scipy.linalg as sl
from helpers import as_backend, to_numpy

RNG = np.random.default_rng(0)
A = RNG.normal(size=(4, 4)).astype(np.float32)
SPD = (A @ A.T + 4 * np.eye(4)).astype(np.float32)
B = RNG.normal(size=(4, 2)).astype(np.float32)
V = RNG.normal(size=(4,)).astype(np.float32)
TOL = {"rtol": 2e-4, "atol": 2e-5}


def test_solvers(xp):
    a, spd, b, v = (as_backend(xp, m) for m in (A, SPD, B, V))
    np.testing.assert_allclose(to_numpy(psl.solve(a, b)), sl.solve(A, B), **TOL)
    np.testing.assert_allclose(to_numpy(psl.solve(a, v)), sl.solve(A, V), **TOL)
    np.testing.assert_allclose(to_numpy(psl.inv(a)), sl.inv(A), **TOL)
    np.testing.assert_allclose(to_numpy(psl.det(a)), sl.det(A), **TOL)
    for lower in (False, True):
        factor = psl.cho_factor(spd, lower=lower)
        assert factor[1] is lower
        np.testing.assert_allclose(to_numpy(psl.cho_solve(factor, b)), sl.cho_solve(sl.cho_factor(SPD, lower), B), **TOL)
        np.testing.assert_allclose(to_numpy(psl.cho_solve(factor, v)), sl.cho_solve(sl.cho_factor(SPD, lower), V), **TOL)
        for trans in (0, 1, "T"):
            got = psl.solve_triangular(spd, b, trans=trans, lower=lower)
            np.testing.assert_allclose(to_numpy(got), sl.solve_triangular(SPD, B, trans=trans, lower=lower), **TOL)
    unit = psl.solve_triangular(a, v, lower=True, unit_diagonal=True)
    np.testing.assert_allclose(to_numpy(unit), sl.solve_triangular(A, V, lower=True, unit_diagonal=True), **TOL)


def test_lu_family(xp):
    a, b = as_backend(xp, A), as_backend(xp, B)
    p, lower, u = (to_numpy(m) for m in psl.lu(a))
    np.testing.assert_allclose(p @ lower @ u, A, **TOL)
    for got, ref in zip((p, lower, u), sl.lu(A), strict=True):
        np.testing.assert_allclose(got, ref, **TOL)
    pl, u2 = psl.lu(a, permute_l=True)
    np.testing.assert_allclose(to_numpy(pl) @ to_numpy(u2), A, **TOL)
    lu, piv = psl.lu_factor(a)
    ref_lu, ref_piv = sl.lu_factor(A)
    np.testing.assert_allclose(to_numpy(lu), ref_lu, **TOL)
    assert to_numpy(piv).dtype == np.int32
    np.testing.assert_array_equal(to_numpy(piv), ref_piv)
    for trans in (0, 1):
        np.testing.assert_allclose(to_numpy(psl.lu_solve((lu, piv), b, trans=trans)),
                                   sl.lu_solve((ref_lu, ref_piv), B, trans=trans), **TOL)


def test_decompositions(xp):
    tall = RNG.normal(size=(5, 3)).astype(np.float32)
    for mode in ("full", "economic"):
        q, r = (to_numpy(m) for m in psl.qr(as_backend(xp, tall), mode=mode))
        ref_q, ref_r = sl.qr(tall, mode=mode)
        assert q.shape == ref_q.shape and r.shape == ref_r.shape
        np.testing.assert_allclose(q @ r, tall, **TOL)
        np.testing.assert_allclose(np.abs(r), np.abs(ref_r), **TOL)
    (r_only,) = psl.qr(as_backend(xp, tall), mode="r")
    assert to_numpy(r_only).shape == (5, 3)
    with pytest.raises(NotImplementedError, match="pivoting"):
        psl.qr(as_backend(xp, tall), pivoting=True)
    w, v = psl.eigh(as_backend(xp, SPD))
    np.testing.assert_allclose(to_numpy(w), sl.eigh(SPD, eigvals_only=True), **TOL)
    np.testing.assert_allclose(to_numpy(v) @ np.diag(to_numpy(w)) @ to_numpy(v).T, SPD, **TOL)
    np.testing.assert_allclose(to_numpy(psl.eigh(as_backend(xp, SPD), eigvals_only=True)), to_numpy(w), **TOL)
    np.testing.assert_allclose(to_numpy(psl.expm(as_backend(xp, A / 4))), sl.expm(A / 4), **TOL)
    blocks = (as_backend(xp, A[:2, :2]), as_backend(xp, V[:3]), as_backend(xp, np.float32(2.0)))
    np.testing.assert_allclose(to_numpy(psl.block_diag(*blocks)), sl.block_diag(A[:2, :2], V[:3], 2.0), **TOL)


def test_gradients_vmap_and_jit(xp):
    jax = pytest.importorskip("jax")

    def loss(m, rhs):
        return portax.numpy.sum(psl.cho_solve(psl.cho_factor(m, lower=True), rhs)) + psl.det(m)

    def loss_jax(m, rhs):
        return jax.scipy.linalg.cho_solve(jax.scipy.linalg.cho_factor(m, lower=True), rhs).sum() + jax.scipy.linalg.det(m)

    spd, b = as_backend(xp, SPD), as_backend(xp, B)
    expected = np.asarray(jax.grad(loss_jax, argnums=1)(SPD, B))
    np.testing.assert_allclose(to_numpy(portax.grad(loss, argnums=1)(spd, b)), expected, **TOL)
    np.testing.assert_allclose(to_numpy(portax.jit(loss)(spd, b)), float(loss_jax(SPD, B)), **TOL)
    batch = np.stack([SPD, 2 * SPD])
    np.testing.assert_allclose(to_numpy(portax.vmap(psl.inv)(as_backend(xp, batch))), np.linalg.inv(batch), **TOL)


def test_cholesky_and_svd(xp):
    spd, a = as_backend(xp, SPD), as_backend(xp, A)
    for lower in (False, True):
        got = psl.cholesky(spd, lower=lower)
        assert to_numpy(got).dtype == np.float32
        np.testing.assert_allclose(to_numpy(got), sl.cholesky(SPD, lower=lower), **TOL)
    # only the named triangle is read, as scipy and JAX
    garbage = np.triu(SPD) + np.tril(np.full((4, 4), 7.0, np.float32), -1)
    np.testing.assert_allclose(to_numpy(psl.cholesky(as_backend(xp, garbage))), sl.cholesky(SPD), **TOL)
    wide = RNG.normal(size=(3, 5)).astype(np.float32)
    for full in (True, False):
        u, s, vh = (to_numpy(m) for m in psl.svd(as_backend(xp, wide), full_matrices=full))
        ref_u, ref_s, _ = sl.svd(wide, full_matrices=full)
        assert u.shape == ref_u.shape and vh.shape == sl.svd(wide, full_matrices=full)[2].shape
        np.testing.assert_allclose(s, ref_s, **TOL)
        np.testing.assert_allclose((u[:, :3] * s) @ vh[:3], wide, **TOL)
    np.testing.assert_allclose(to_numpy(psl.svd(a, compute_uv=False)), sl.svd(A, compute_uv=False), **TOL)
    with pytest.raises(ValueError, match="lapack_driver"):
        psl.svd(a, lapack_driver="gejsv")


def test_cholesky_svd_gradients_match_jax(xp):
    jax = pytest.importorskip("jax")
    import jax.scipy.linalg as jsl

    weights, eye = np.arange(16, dtype=np.float32).reshape(4, 4), np.eye(4, dtype=np.float32)

    def loss(module, x, w, identity):
        factor = module.cholesky(x @ x.T + 4 * identity, lower=True)
        return (factor**2 * w).sum() + module.svd(x, compute_uv=False).sum()

    expected = jax.grad(lambda x: loss(jsl, x, weights, eye))(A)
    got = portax.jit(portax.grad(lambda x, w, i: portax.numpy.sum(loss(psl, x, w, i))))(
        *(as_backend(xp, m) for m in (A, weights, eye)))
    np.testing.assert_allclose(to_numpy(got), np.asarray(expected), rtol=1e-3, atol=1e-3)
    batch = portax.vmap(lambda m, i: psl.cholesky(m @ m.T + 4 * i), in_axes=(0, None))(
        as_backend(xp, np.stack([A, A * 2])), as_backend(xp, eye))
    np.testing.assert_allclose(to_numpy(batch)[1], sl.cholesky((2 * A) @ (2 * A).T + 4 * eye), **TOL)


def test_special_matrices_match_jax(xp):
    jax = pytest.importorskip("jax")
    import jax.scipy.linalg as jsl

    c, r = np.array([1.0, 2.0, 3.0, 4.0], np.float32), np.array([1.0, -5.0, 6.0], np.float32)
    batch = RNG.normal(size=(2, 3)).astype(np.float32)
    cases = [
        ("toeplitz", (c, r)), ("toeplitz", (c,)), ("toeplitz", (batch,)), ("toeplitz", (batch, r)),
        ("hankel", (c, r)), ("hankel", (c,)), ("hankel", (batch, r)),
        ("circulant", (c,)), ("circulant", (batch,)), ("fiedler", (c,)), ("fiedler", (batch,)),
    ]
    for name, args in cases:
        got = getattr(psl, name)(*(as_backend(xp, a) for a in args))
        expected = np.asarray(getattr(jsl, name)(*args))
        assert to_numpy(got).shape == expected.shape, (name, [a.shape for a in args])
        np.testing.assert_allclose(to_numpy(got), expected, rtol=1e-6, err_msg=name)
    for n in (1, 3, 5):
        np.testing.assert_allclose(to_numpy(psl.hilbert(n)), np.asarray(jsl.hilbert(n)), rtol=1e-6)
        for full in (False, True):
            np.testing.assert_allclose(to_numpy(psl.helmert(n, full=full)), np.asarray(jsl.helmert(n, full=full)),
                                       rtol=1e-6, atol=1e-7)
    for n in (1, 2, 8):
        got = to_numpy(psl.hadamard(n))
        assert got.dtype == np.int32
        np.testing.assert_array_equal(got, np.asarray(jsl.hadamard(n)))
    with pytest.raises(ValueError, match="power of 2"):
        psl.hadamard(6)
    with pytest.raises(ValueError, match="scalar"):
        psl.hankel(as_backend(xp, np.float32(1.0)))
    # differentiable and jittable (a gather of the inputs)
    grad = portax.jit(portax.grad(lambda a, b: portax.numpy.sum(psl.toeplitz(a, b) ** 2)))(
        as_backend(xp, c), as_backend(xp, r))
    expected = jax.grad(lambda a, b: (jsl.toeplitz(a, b) ** 2).sum())(c, r)
    np.testing.assert_allclose(to_numpy(grad), np.asarray(expected), rtol=1e-5)
