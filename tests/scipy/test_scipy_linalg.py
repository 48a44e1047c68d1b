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
