"""``scipy.linalg.polar/companion/leslie/dft/pascal`` and ``scipy.signal.detrend`` against SciPy and real JAX."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.linalg as psl
import portax.scipy.signal as pss
import pytest
import scipy.linalg as sl
import scipy.signal as ss
from helpers import to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)

M = np.array([[2.0, -1.0, 0.5], [0.3, 1.5, -2.0], [1.0, 0.0, 3.0]], np.float32)


@pytest.mark.parametrize("side", ["right", "left"])
def test_polar(xp, side):
    u, p = psl.polar(xp.asarray(M), side=side)
    expected_u, expected_p = sl.polar(M.astype(np.float64), side=side)
    np.testing.assert_allclose(to_numpy(u), expected_u, atol=2e-5)
    np.testing.assert_allclose(to_numpy(p), expected_p, atol=2e-5)


def test_polar_grad_and_vmap(xp):
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp
    import jax.scipy.linalg as jsl

    def loss(module, a):
        u, p = module.polar(a, method="svd")  # JAX's default (QDWH) iterates in a while loop: no reverse mode
        return (u * a).sum() + (p * p).sum()

    got = portax.grad(lambda a: loss(psl, a))(xp.asarray(M))
    np.testing.assert_allclose(to_numpy(got), jax.grad(lambda a: loss(jsl, a))(jnp.asarray(M)), rtol=1e-4, atol=1e-4)
    batch = np.stack([M, M.T])
    got = portax.vmap(lambda a: psl.polar(a)[1])(xp.asarray(batch))
    np.testing.assert_allclose(to_numpy(got), np.stack([sl.polar(b)[1] for b in batch]), atol=2e-5)


def test_special_matrices(xp):
    coefficients = np.array([2.0, -3.0, 0.5, 4.0], np.float32)
    np.testing.assert_allclose(to_numpy(psl.companion(xp.asarray(coefficients))), sl.companion(coefficients),
                               rtol=1e-6)
    f, s = np.array([0.1, 2.0, 1.0, 0.1], np.float32), np.array([0.2, 0.8, 0.7], np.float32)
    np.testing.assert_allclose(to_numpy(psl.leslie(xp.asarray(f), xp.asarray(s))), sl.leslie(f, s), rtol=1e-6)
    for kind in (None, "lower", "upper"):
        np.testing.assert_array_equal(to_numpy(psl.pascal(5, kind)), sl.pascal(5, kind or "symmetric"))
    for scale in (None, "sqrtn", "n"):
        got = psl.dft(6, scale)
        assert to_numpy(got).dtype == np.complex64
        np.testing.assert_allclose(to_numpy(got), sl.dft(6, scale), atol=1e-6)
    with pytest.raises(ValueError, match="scale"):
        psl.dft(3, "half")
    with pytest.raises(ValueError, match="kind"):
        psl.pascal(3, "diagonal")
    with pytest.raises(ValueError, match="shape"):
        psl.companion(xp.asarray([1.0]))


@pytest.mark.parametrize(("kind", "bp"), [("linear", 0), ("constant", 0), ("linear", [3, 7])])
def test_detrend(xp, kind, bp):
    data = np.sin(np.arange(24, dtype=np.float32).reshape(2, 12) * 0.7) + np.arange(12, dtype=np.float32) * 0.3
    got = pss.detrend(xp.asarray(data), axis=-1, type=kind, bp=bp)
    np.testing.assert_allclose(to_numpy(got), ss.detrend(data.astype(np.float64), axis=-1, type=kind, bp=bp),
                               atol=2e-5)
    got = pss.detrend(xp.asarray(data.T), axis=0, type=kind, bp=bp)
    np.testing.assert_allclose(to_numpy(got), ss.detrend(data.T.astype(np.float64), axis=0, type=kind, bp=bp),
                               atol=2e-5)


def test_detrend_jit_and_grad(xp):
    data = xp.asarray(np.linspace(0.0, 2.0, 10, dtype=np.float32) ** 2)
    np.testing.assert_allclose(to_numpy(portax.jit(pss.detrend)(data)), ss.detrend(to_numpy(data)), atol=2e-5)
    # detrending is a linear projection: the gradient of a sum of the residuals against a weight is that projection
    weights = np.arange(10, dtype=np.float32)
    got = portax.grad(lambda d: (pss.detrend(d) * xp.asarray(weights)).sum())(data)
    np.testing.assert_allclose(to_numpy(got), ss.detrend(weights.astype(np.float64)), atol=2e-5)


def test_expm_frechet_and_tridiagonal(xp):
    a, e = M * 0.3, np.eye(3, dtype=np.float32)[::-1] * 0.5
    value, derivative = psl.expm_frechet(xp.asarray(a), xp.asarray(e))
    expected_value, expected_derivative = sl.expm_frechet(a.astype(np.float64), e.astype(np.float64))
    np.testing.assert_allclose(to_numpy(value), expected_value, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(to_numpy(derivative), expected_derivative, rtol=1e-5, atol=1e-5)
    d, off = np.array([2.0, -1.0, 0.5, 3.0], np.float32), np.array([0.7, -0.2, 1.1], np.float32)
    values = psl.eigh_tridiagonal(xp.asarray(d), xp.asarray(off), eigvals_only=True)
    np.testing.assert_allclose(to_numpy(values), sl.eigh_tridiagonal(d, off, eigvals_only=True), atol=1e-5)
    values, vectors = psl.eigh_tridiagonal(xp.asarray(d), xp.asarray(off))
    dense = np.diag(d) + np.diag(off, 1) + np.diag(off, -1)
    np.testing.assert_allclose(dense @ to_numpy(vectors), to_numpy(vectors) * to_numpy(values), atol=1e-5)


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolution_matrix_and_invhilbert(xp, mode):
    for a, n in ((np.array([1.0, 2.0, 3.0], np.float32), 5), (np.array([1.0, -2.0, 0.5, 4.0, 1.5], np.float32), 3)):
        np.testing.assert_allclose(to_numpy(psl.convolution_matrix(xp.asarray(a), n, mode)),
                                   sl.convolution_matrix(a, n, mode), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(psl.invhilbert(5)), sl.invhilbert(5), rtol=1e-6)
