"""portax.scipy.signal against scipy.signal (values, modes) and real JAX (dtypes, gradients), on every backend."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.signal as pss
import pytest
import scipy.signal as ss
from helpers import as_backend, to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)

RNG = np.random.default_rng(0)
TOL = {"rtol": 2e-5, "atol": 2e-5}
SHAPES = {  # (in1 shape, in2 shape): 1-3 d, in2 larger than in1 (swap), odd and even kernels
    "1d": ((9,), (4,)),
    "1d-swap": ((3,), (8,)),
    "2d": ((7, 6), (3, 2)),
    "2d-swap": ((2, 3), (5, 6)),
    "3d": ((5, 4, 6), (2, 3, 3)),
    "4d-fft-fallback": ((4, 3, 3, 4), (2, 2, 1, 3)),
}


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("case", list(SHAPES))
@pytest.mark.parametrize("name", ["convolve", "correlate", "fftconvolve"])
def test_nd_matches_scipy(xp, name, case, mode):
    shape1, shape2 = SHAPES[case]
    a, b = RNG.normal(size=shape1).astype(np.float32), RNG.normal(size=shape2).astype(np.float32)
    out = getattr(pss, name)(as_backend(xp, a), as_backend(xp, b), mode=mode)
    assert to_numpy(out).dtype == np.float32
    np.testing.assert_allclose(to_numpy(out), getattr(ss, name)(a.astype(np.float64), b, mode=mode), **TOL)


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("case", ["2d", "2d-swap", "square"])
@pytest.mark.parametrize("name", ["convolve2d", "correlate2d"])
def test_2d_matches_scipy(xp, name, case, mode):
    shape1, shape2 = SHAPES[case] if case != "square" else ((4, 4), (4, 4))
    a, b = RNG.normal(size=shape1).astype(np.float32), RNG.normal(size=shape2).astype(np.float32)
    out = getattr(pss, name)(as_backend(xp, a), as_backend(xp, b), mode=mode)
    np.testing.assert_allclose(to_numpy(out), getattr(ss, name)(a.astype(np.float64), b, mode=mode), **TOL)


def test_integer_inputs_promote_and_methods(xp):
    a, b = np.array([1, 2, 3, 2, 1], np.int32), np.array([1, 1, 1], np.int32)
    for method in ("auto", "direct", "fft"):
        out = pss.convolve(as_backend(xp, a), as_backend(xp, b), method=method)
        assert to_numpy(out).dtype == np.float32
        np.testing.assert_allclose(to_numpy(out), [1, 3, 6, 7, 6, 3, 1], atol=1e-5)


def test_fftconvolve_axes(xp):
    a, b = RNG.normal(size=(3, 8)).astype(np.float32), RNG.normal(size=(3, 4)).astype(np.float32)
    for mode in ("full", "same", "valid"):
        got = pss.fftconvolve(as_backend(xp, a), as_backend(xp, b), mode=mode, axes=1)
        np.testing.assert_allclose(to_numpy(got), ss.fftconvolve(a, b, mode=mode, axes=1), **TOL)
    with pytest.raises(ValueError, match="mapped axes"):
        pss.fftconvolve(as_backend(xp, a), as_backend(xp, b[:2]), axes=1)


def test_errors_as_jax(xp):
    a, b = as_backend(xp, np.ones((4, 4), np.float32)), as_backend(xp, np.ones((2, 5), np.float32))
    with pytest.raises(ValueError, match="smaller than the other in every dimension"):
        pss.convolve(a, b)
    with pytest.raises(ValueError, match="mode must be one of"):
        pss.convolve(a, a, mode="circular")
    with pytest.raises(ValueError, match="method"):
        pss.convolve(a, a, method="winograd")
    with pytest.raises(ValueError, match="same number of dimensions"):
        pss.convolve(a, as_backend(xp, np.ones(3, np.float32)))
    with pytest.raises(NotImplementedError, match="boundary='fill'"):
        pss.convolve2d(a, a, boundary="wrap")
    with pytest.raises(ValueError, match="zero-size"):
        pss.convolve(a, as_backend(xp, np.ones((0, 2), np.float32)))
    with pytest.raises(ValueError, match="2-dimensional"):
        pss.correlate2d(as_backend(xp, np.ones(3, np.float32)), as_backend(xp, np.ones(3, np.float32)))


@pytest.mark.filterwarnings("error::portax.errors.CompileFallbackWarning")  # compiled on torch, not run eagerly
def test_gradients_jit_and_vmap_match_jax(xp):
    jax = pytest.importorskip("jax")
    import jax.scipy.signal as jss

    a, b = RNG.normal(size=(6, 5)).astype(np.float32), RNG.normal(size=(3, 2)).astype(np.float32)

    def loss(module, x, k):
        return (module.convolve2d(x, k, mode="same") ** 2).sum() + (module.correlate(x, k, mode="valid") ** 3).sum()

    def portable(x, k):
        return portax.numpy.sum(pss.convolve2d(x, k, mode="same") ** 2) + portax.numpy.sum(
            pss.correlate(x, k, mode="valid") ** 3)

    expected = jax.grad(lambda x, k: loss(jss, x, k), argnums=(0, 1))(a, b)
    got = portax.jit(portax.grad(portable, argnums=(0, 1)))(as_backend(xp, a), as_backend(xp, b))
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(to_numpy(g), np.asarray(e), rtol=1e-4, atol=1e-4)
    rows = portax.vmap(lambda r: pss.fftconvolve(r, as_backend(xp, b[0]), mode="same"))(as_backend(xp, a))
    np.testing.assert_allclose(to_numpy(rows), np.stack([ss.fftconvolve(r, b[0], mode="same") for r in a]), **TOL)
    rows = portax.vmap(lambda r: pss.convolve(r, as_backend(xp, b[0])))(as_backend(xp, a))
    np.testing.assert_allclose(to_numpy(rows), np.stack([ss.convolve(r, b[0]) for r in a]), **TOL)


def test_integrate_trapezoid_matches_scipy(xp):
    import scipy.integrate as si
    from portax.scipy.integrate import trapezoid

    y, x = RNG.normal(size=(3, 6)).astype(np.float32), np.sort(RNG.random(6)).astype(np.float32)
    np.testing.assert_allclose(to_numpy(trapezoid(as_backend(xp, y))), si.trapezoid(y), **TOL)
    np.testing.assert_allclose(to_numpy(trapezoid(as_backend(xp, y), as_backend(xp, x))), si.trapezoid(y, x), **TOL)
    np.testing.assert_allclose(to_numpy(trapezoid(as_backend(xp, y), dx=0.5, axis=0)), si.trapezoid(y, dx=0.5, axis=0),
                               **TOL)
