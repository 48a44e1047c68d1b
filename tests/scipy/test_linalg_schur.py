"""``scipy.linalg`` schur, sqrtm, funm, solve_sylvester, rsf2csf, hessenberg, qr_multiply, invpascal,
fiedler_companion against SciPy and real JAX; torch's declared missing Schur decomposition."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.linalg as psl
import pytest
import scipy.linalg as sl
from helpers import to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)
from portax.errors import UnsupportedError

RNG = np.random.default_rng(2)
A = (RNG.standard_normal((4, 4)) + 4 * np.eye(4)).astype(np.float32)
B = (RNG.standard_normal((3, 3)) + 3 * np.eye(3)).astype(np.float32)
C = RNG.standard_normal((4, 3)).astype(np.float32)
SPD = (A @ A.T + np.eye(4)).astype(np.float32)


def _first_fast(cases: list) -> list:
    """The first case runs by default; the others are the slow sweep (``PORTAX_TEST_SLOW=1``), to keep the suite fast."""
    return [c if i == 0 else pytest.param(*(c if isinstance(c, tuple) else (c,)), marks=pytest.mark.slow)
            for i, c in enumerate(cases)]


def test_schur_and_rsf2csf_on_jax_unsupported_on_torch(xp, backend_name):
    a = xp.asarray(A)
    if backend_name == "torch":
        with pytest.raises(UnsupportedError, match="Schur"):
            psl.schur(a)
        with pytest.raises(UnsupportedError, match="torch"):
            psl.rsf2csf(a, a)
        with pytest.raises(UnsupportedError, match="funm"):
            psl.funm(a, lambda w: w, disp=False)
        return
    t, z = psl.schur(a, output="complex")
    t, z = to_numpy(t), to_numpy(z)
    np.testing.assert_allclose(z @ t @ z.conj().T, A, atol=1e-4)
    np.testing.assert_allclose(np.tril(t, -1), 0, atol=1e-5)
    t, z = psl.rsf2csf(*psl.schur(a))
    np.testing.assert_allclose(to_numpy(z) @ to_numpy(t) @ to_numpy(z).conj().T, A, atol=1e-4)


def test_schur_argument_errors(xp):
    with pytest.raises(ValueError, match="output"):
        psl.schur(xp.asarray(A), output="quasi")
    with pytest.raises(ValueError, match="square"):
        psl.schur(xp.asarray(C))


def test_sqrtm_and_funm_match_scipy(xp):
    root = psl.sqrtm(xp.asarray(SPD))
    assert to_numpy(root).dtype == np.complex64  # complex, as JAX's
    np.testing.assert_allclose(to_numpy(root), sl.sqrtm(SPD.astype(np.float64)), rtol=1e-4, atol=1e-4)
    negative = np.array([[-4.0, 1.0], [0.0, 9.0]], np.float32)  # a negative eigenvalue: a complex principal root
    np.testing.assert_allclose(to_numpy(psl.sqrtm(xp.asarray(negative))), sl.sqrtm(negative.astype(np.float64)),
                               rtol=1e-4, atol=1e-4)
    got = psl.funm(xp.asarray(A * 0.3), lambda w: portax.numpy.exp(w))
    np.testing.assert_allclose(to_numpy(got), sl.expm(A.astype(np.float64) * 0.3), rtol=1e-4, atol=1e-4)
    with pytest.raises(NotImplementedError, match="Blocked"):
        psl.sqrtm(xp.asarray(SPD), blocksize=2)


def test_sqrtm_vmap_and_jit(xp):
    batch = np.stack([SPD, 2 * SPD])
    got = portax.jit(portax.vmap(psl.sqrtm))(xp.asarray(batch))
    np.testing.assert_allclose(to_numpy(got), np.stack([sl.sqrtm(m.astype(np.float64)) for m in batch]), rtol=1e-4,
                               atol=1e-4)


@pytest.mark.parametrize("method", _first_fast(["schur", "eigen"]))
def test_solve_sylvester_matches_scipy(xp, method):
    x = psl.solve_sylvester(xp.asarray(A), xp.asarray(B), xp.asarray(C), method=method)
    assert to_numpy(x).dtype == np.float32
    np.testing.assert_allclose(to_numpy(x), sl.solve_sylvester(A.astype(np.float64), B.astype(np.float64),
                                                               C.astype(np.float64)), rtol=1e-4, atol=1e-4)
    singular = psl.solve_sylvester(xp.asarray(np.eye(2, dtype=np.float32)), xp.asarray(-np.eye(2, dtype=np.float32)),
                                   xp.asarray(np.ones((2, 2), np.float32)), method=method)
    assert np.isnan(to_numpy(singular)).all()  # eig(A) + eig(B) = 0: NaN, as JAX
    with pytest.raises(ValueError, match="Incompatible"):
        psl.solve_sylvester(xp.asarray(A), xp.asarray(B), xp.asarray(C.T))
    with pytest.raises(ValueError, match="method"):
        psl.solve_sylvester(xp.asarray(A), xp.asarray(B), xp.asarray(C), method="bartels")


def test_solve_sylvester_grad_eigen(xp):
    jax = pytest.importorskip("jax")
    import jax.scipy.linalg as jsl

    def loss(module, c):
        return (module.solve_sylvester(A, B, c, method="eigen") ** 2).sum()

    got = portax.grad(lambda c: (psl.solve_sylvester(xp.asarray(A), xp.asarray(B), c, method="eigen") ** 2).sum())(
        xp.asarray(C))
    np.testing.assert_allclose(to_numpy(got), np.asarray(jax.grad(lambda c: loss(jsl, c))(C)), rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("dtype", _first_fast([np.complex64, np.float32]))
def test_hessenberg(xp, dtype):
    a = (A + (1j * A.T if dtype == np.complex64 else 0)).astype(dtype)
    h, q = psl.hessenberg(xp.asarray(a), calc_q=True)
    h, q = to_numpy(h), to_numpy(q)
    assert h.dtype == dtype
    np.testing.assert_allclose(np.tril(h, -2), 0, atol=1e-6)
    np.testing.assert_allclose(q @ h @ q.conj().T, a, atol=1e-4)
    np.testing.assert_allclose(q.conj().T @ q, np.eye(4), atol=1e-5)
    expected = sl.hessenberg(a.astype(np.complex128 if dtype == np.complex64 else np.float64))
    np.testing.assert_allclose(np.abs(h), np.abs(expected), atol=1e-4)  # unique up to the signs of rows/columns
    only_h = psl.hessenberg(xp.asarray(a))
    np.testing.assert_allclose(to_numpy(only_h), h, atol=1e-6)


def test_hessenberg_batched_and_grad(xp, backend_name):
    batch = np.stack([A, A.T])
    h, q = psl.hessenberg(xp.asarray(batch), calc_q=True)
    np.testing.assert_allclose(to_numpy(q) @ to_numpy(h) @ np.swapaxes(to_numpy(q), -1, -2), batch, atol=1e-4)
    trace = lambda m: portax.numpy.trace(psl.hessenberg(m))  # noqa: E731
    if backend_name == "jax":  # JAX has no differentiation rule for lax.linalg.hessenberg
        with pytest.raises(NotImplementedError, match="hessenberg"):
            portax.grad(trace)(xp.asarray(A))
        return
    # Householder reflections over portax.numpy: the trace is similarity-invariant, its gradient the identity
    np.testing.assert_allclose(to_numpy(portax.grad(trace)(xp.asarray(A))), np.eye(4), atol=1e-5)


@pytest.mark.parametrize(("shape", "mode", "c_shape"), _first_fast([((5, 3), "left", (3, 2)), ((5, 3), "right", (2, 5)),
                                                                    ((3, 5), "left", (3,)), ((4, 4), "right", (4,))]))
def test_qr_multiply_matches_scipy(xp, shape, mode, c_shape):
    a = RNG.standard_normal(shape).astype(np.float32)
    c = RNG.standard_normal(c_shape).astype(np.float32)
    got, r = psl.qr_multiply(xp.asarray(a), xp.asarray(c), mode=mode)
    expected, expected_r = sl.qr_multiply(a.astype(np.float64), c.astype(np.float64), mode=mode)
    np.testing.assert_allclose(to_numpy(got), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(to_numpy(r), expected_r, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="mode"):
        psl.qr_multiply(xp.asarray(a), xp.asarray(c), mode="top")


def test_invpascal_and_fiedler_companion(xp):
    for kind in (None, "lower", "upper"):
        np.testing.assert_allclose(to_numpy(psl.invpascal(6, kind)), sl.invpascal(6, kind or "symmetric"), atol=1e-6)
    with pytest.raises(ValueError, match="kind"):
        psl.invpascal(3, "diagonal")
    for coefficients in ([2.0, -1.0], [1.0, -2.0, 3.0], [2.0, 1.0, -3.0, 0.5, 4.0, -1.0, 2.0]):
        a = np.array(coefficients, np.float32)
        np.testing.assert_allclose(to_numpy(psl.fiedler_companion(xp.asarray(a))), sl.fiedler_companion(a),
                                   rtol=1e-6)
    batch = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 0.0, -1.0, 1.0]], np.float32)
    np.testing.assert_allclose(to_numpy(psl.fiedler_companion(xp.asarray(batch))),
                               np.stack([sl.fiedler_companion(b) for b in batch]), rtol=1e-6)
    with pytest.raises(ValueError, match="nonzero"):
        psl.fiedler_companion(xp.asarray(np.zeros((0,), np.float32)))
