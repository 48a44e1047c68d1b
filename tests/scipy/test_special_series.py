"""``scipy.special.spence``, ``dawsn`` and ``hyp1f1`` against SciPy and real JAX (values, grad, jit, vmap)."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.special as pss
import pytest
import scipy.special as sps
from helpers import to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)


def test_spence_matches_scipy(xp):
    x = np.array([0.0, 1e-3, 0.3, 0.5, 0.9, 1.0, 1.2, 1.6, 2.0, 2.5, 10.0, 1e4, -1.0, np.nan], np.float32)
    got = pss.spence(xp.asarray(x))
    assert to_numpy(got).dtype == np.float32
    expected = np.where(x < 0, np.nan, sps.spence(np.maximum(x, 0).astype(np.float64)))
    np.testing.assert_allclose(to_numpy(got), expected, rtol=2e-5, atol=1e-6)


def test_dawsn_matches_scipy(xp):
    x = np.array([-8.0, -3.3, -1.0, 0.0, 0.2, 1.5, 3.0, 3.25, 5.0, 6.25, 30.0, np.inf], np.float32)
    got = pss.dawsn(xp.asarray(x))
    np.testing.assert_allclose(to_numpy(got), sps.dawsn(x.astype(np.float64)), rtol=2e-5, atol=1e-7)
    with pytest.raises(ValueError, match="complex"):
        pss.dawsn(xp.asarray(np.ones(2, np.complex64)))


def test_hyp1f1_matches_scipy(xp):
    a = np.array([0.5, 1.0, 2.0, -1.5, 3.0, 0.0, 2.0, 1.0, 0.7], np.float32)
    b = np.array([1.5, 2.0, 3.0, 2.5, 1.0, 1.0, 2.0, 3.0, 4.0], np.float32)
    x = np.array([0.3, 1.0, -2.0, 4.0, 10.0, 5.0, 1.5, 60.0, -5.0], np.float32)
    got = pss.hyp1f1(xp.asarray(a), xp.asarray(b), xp.asarray(x))
    assert to_numpy(got).dtype == np.float32
    expected = sps.hyp1f1(a.astype(np.float64), b.astype(np.float64), x.astype(np.float64))
    np.testing.assert_allclose(to_numpy(got), expected, rtol=1e-4)


def test_grad_jit_vmap_analytic(xp):
    x = np.array([0.2, 0.8, 2.5, 4.0], np.float32)
    analytic = {"spence": np.log(x) / (1 - x), "dawsn": 1 - 2 * x * sps.dawsn(x.astype(np.float64))}
    for name, derivative in analytic.items():  # (jax.grad of spence is NaN on (1.5, 2): JAX's piecewise)
        got = portax.vmap(portax.grad(getattr(pss, name)))(xp.asarray(x))
        np.testing.assert_allclose(to_numpy(got), derivative, rtol=2e-4, atol=1e-6)
    got = portax.grad(lambda v: pss.hyp1f1(0.5, 1.5, v))(xp.asarray(np.float32(0.7)))
    np.testing.assert_allclose(to_numpy(got), 0.5 / 1.5 * sps.hyp1f1(1.5, 2.5, 0.7), rtol=1e-4)  # a/b 1F1(a+1; b+1)
    got = portax.jit(pss.dawsn)(xp.asarray(x))
    np.testing.assert_allclose(to_numpy(got), sps.dawsn(x.astype(np.float64)), rtol=2e-5)


def test_expn_matches_scipy_and_jax(xp):
    jss = pytest.importorskip("jax.scipy.special")
    n = np.array([0, 1, 1, 2, 3, 5, 1, 2, 4, 10, 0, 3], np.float32)
    x = np.array([0.5, 1e-3, 0.5, 1.0, 0.7, 0.2, 1.01, 3.0, 10.0, 30.0, 2.0, 0.0], np.float32)
    got = pss.expn(xp.asarray(n), xp.asarray(x))
    assert to_numpy(got).dtype == np.float32
    np.testing.assert_allclose(to_numpy(got), np.asarray(jss.expn(n, x)), rtol=5e-5, atol=1e-7)
    finite = x > 0
    np.testing.assert_allclose(to_numpy(got)[finite], sps.expn(n.astype(int), x.astype(np.float64))[finite],
                               rtol=5e-5, atol=1e-7)
    got = portax.jit(portax.grad(lambda v: pss.expn(2.0, v)))(xp.asarray(np.float32(0.8)))
    np.testing.assert_allclose(to_numpy(got), -sps.expn(1, 0.8), rtol=1e-4)  # d/dx E_n = -E_(n-1)


def test_sici_matches_scipy(xp):
    x = np.array([-np.inf, -20.0, -3.0, 0.0, 1e-4, 0.5, 4.0, 4.5, 7.9, 8.0, 50.0, 2e9, np.inf], np.float32)
    si, ci = pss.sici(xp.asarray(x))
    expected_si, expected_ci = sps.sici(x.astype(np.float64))
    np.testing.assert_allclose(to_numpy(si), expected_si, rtol=2e-5, atol=1e-6)
    positive = x >= 0  # scipy's Ci is complex (NaN here) below 0; JAX's too
    np.testing.assert_allclose(to_numpy(ci)[positive], expected_ci[positive], rtol=2e-5, atol=1e-6)
    got = portax.grad(lambda v: pss.sici(v)[0] + pss.sici(v)[1])(xp.asarray(np.float32(2.5)))
    np.testing.assert_allclose(to_numpy(got), (np.sin(2.5) + np.cos(2.5)) / 2.5, rtol=1e-4)


def test_owens_t_matches_scipy_and_grad(xp):
    h = np.array([0.0, 0.5, -1.0, 2.0, 0.3, 1.5, 0.1, 4.0], np.float32)
    a = np.array([0.5, 1.0, 0.7, -2.0, 5.0, 0.0, -0.3, 1.2], np.float32)
    got = pss.owens_t(xp.asarray(h), xp.asarray(a))
    np.testing.assert_allclose(to_numpy(got), sps.owens_t(h.astype(np.float64), a.astype(np.float64)), rtol=2e-5,
                               atol=1e-7)
    got = portax.grad(lambda v: pss.owens_t(v, 0.8))(xp.asarray(np.float32(0.6)))
    want = -np.exp(-0.18) * sps.erf(0.8 * 0.6 / np.sqrt(2)) / (2 * np.sqrt(2 * np.pi))  # dT/dh
    np.testing.assert_allclose(to_numpy(got), want, rtol=1e-4)


def test_bessel_jn_matches_scipy(xp):
    jss = pytest.importorskip("jax.scipy.special")
    z = np.array([4.0, 5.5, 7.0, 12.0, 20.0], np.float32)  # JAX's 50-step recurrence overflows to NaN below ~3.5
    got = pss.bessel_jn(xp.asarray(z), v=3)
    assert tuple(got.shape) == (4, 5)
    np.testing.assert_allclose(to_numpy(got), sps.jv(np.arange(4)[:, None], z.astype(np.float64)), rtol=1e-4,
                               atol=1e-6)
    np.testing.assert_allclose(to_numpy(got), np.asarray(jss.bessel_jn(z, v=3)), rtol=1e-4, atol=1e-6)
    with pytest.raises(TypeError):
        pss.bessel_jn(xp.asarray(z), v=1.5)


def test_fresnel_matches_scipy(xp):
    jax = pytest.importorskip("jax")
    x = np.array([-np.inf, -3.0, -0.5, 0.0, 0.2, 1.0, 1.6, 1.61, 4.5, 30.0, 5e4, np.inf], np.float32)
    s, c = pss.fresnel(xp.asarray(x))
    expected_s, expected_c = sps.fresnel(x.astype(np.float64))
    np.testing.assert_allclose(to_numpy(s), expected_s, rtol=1e-5, atol=2e-6)
    np.testing.assert_allclose(to_numpy(c), expected_c, rtol=1e-5, atol=2e-6)
    got = portax.grad(lambda v: pss.fresnel(v)[0])(xp.asarray(np.float32(0.9)))
    want = jax.grad(lambda v: jax.scipy.special.fresnel(v)[0])(np.float32(0.9))
    np.testing.assert_allclose(to_numpy(got), np.asarray(want), rtol=1e-4)


def test_wofz_matches_scipy(xp):
    z = np.array([0.0, 1.0 + 1.0j, -2.0 + 0.5j, 0.3 - 1.2j, -1.5 - 0.2j, 5.0 + 0.0j, 0.0 + 3.0j], np.complex64)
    got = pss.wofz(xp.asarray(z))
    assert to_numpy(got).dtype == np.complex64
    np.testing.assert_allclose(to_numpy(got), sps.wofz(z.astype(np.complex128)), rtol=2e-5, atol=2e-6)
    real = portax.jit(pss.wofz)(xp.asarray(np.array([0.5, -1.0], np.float32)))
    np.testing.assert_allclose(to_numpy(real), sps.wofz(np.array([0.5, -1.0])), rtol=2e-5, atol=2e-6)
