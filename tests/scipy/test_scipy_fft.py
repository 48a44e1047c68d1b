"""``portax.scipy.fft`` (dct, idct, dctn, idctn) against SciPy and real JAX, with jit, grad and vmap."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.fft as psf
import pytest
import scipy.fft as sf
from helpers import to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 5)).astype(np.float32)
EVEN = RNG.standard_normal((2, 4, 6)).astype(np.float32)


def _first_fast(cases: list) -> list:
    """The first case runs by default; the others are the slow sweep (``PORTAX_TEST_SLOW=1``), to keep the suite fast."""
    return [c if i == 0 else pytest.param(*(c if isinstance(c, tuple) else (c,)), marks=pytest.mark.slow)
            for i, c in enumerate(cases)]


@pytest.mark.parametrize("norm", _first_fast(["ortho", None, "backward"]))
@pytest.mark.parametrize(("n", "axis"), _first_fast([(8, 0), (None, -1), (None, 0), (3, -1)]))
def test_dct_and_idct_match_scipy(xp, norm, n, axis):
    got = psf.dct(xp.asarray(X), n=n, axis=axis, norm=norm)
    assert to_numpy(got).dtype == np.float32
    np.testing.assert_allclose(to_numpy(got), sf.dct(X.astype(np.float64), n=n, axis=axis, norm=norm),
                               rtol=2e-5, atol=2e-5)
    got = psf.idct(xp.asarray(X), n=n, axis=axis, norm=norm)
    np.testing.assert_allclose(to_numpy(got), sf.idct(X.astype(np.float64), n=n, axis=axis, norm=norm),
                               rtol=2e-5, atol=2e-5)


@pytest.mark.parametrize("norm", _first_fast([None, "ortho"]))
@pytest.mark.parametrize(("s", "axes"), _first_fast([((3, 5), None), (None, None), (None, (0, 2)), ((5,), (1,)),
                                                    (None, (2, 0, 1))]))
def test_dctn_and_idctn_match_scipy(xp, norm, s, axes):
    expected = sf.dctn(EVEN.astype(np.float64), s=s, axes=axes, norm=norm)
    np.testing.assert_allclose(to_numpy(psf.dctn(xp.asarray(EVEN), s=s, axes=axes, norm=norm)), expected,
                               rtol=2e-5, atol=5e-5)
    expected = sf.idctn(EVEN.astype(np.float64), s=s, axes=axes, norm=norm)
    np.testing.assert_allclose(to_numpy(psf.idctn(xp.asarray(EVEN), s=s, axes=axes, norm=norm)), expected,
                               rtol=2e-5, atol=5e-5)


def test_complex_and_integer_inputs_as_jax(xp):
    jsf = pytest.importorskip("jax.scipy.fft")
    z = (X + 1j * X[::-1]).astype(np.complex64)
    got = psf.dct(xp.asarray(z))
    assert to_numpy(got).dtype == np.complex64
    np.testing.assert_allclose(to_numpy(got), np.asarray(jsf.dct(z)), rtol=2e-5, atol=2e-5)
    ints = np.arange(6, dtype=np.int32)
    got = psf.idct(xp.asarray(ints), norm="ortho")
    assert to_numpy(got).dtype == np.float32
    np.testing.assert_allclose(to_numpy(got), np.asarray(jsf.idct(ints, norm="ortho")), rtol=2e-5, atol=2e-5)


def test_round_trip_under_jit_vmap_and_grad(xp):
    x = xp.asarray(X)
    back = portax.jit(lambda v: psf.idctn(psf.dctn(v, norm="ortho"), norm="ortho"))(x)
    np.testing.assert_allclose(to_numpy(back), X, atol=2e-5)
    rows = portax.vmap(lambda v: psf.dct(v, norm="ortho"))(x)
    np.testing.assert_allclose(to_numpy(rows), sf.dct(X.astype(np.float64), norm="ortho"), atol=2e-5)
    # the orthonormal DCT is an orthogonal linear map: grad of <w, dct(x)> is idct(w)
    weights = RNG.standard_normal(5).astype(np.float32)
    got = portax.grad(lambda v: (psf.dct(v, norm="ortho") * xp.asarray(weights)).sum())(x[0])
    np.testing.assert_allclose(to_numpy(got), sf.idct(weights.astype(np.float64), norm="ortho"), atol=2e-5)


def test_errors_as_jax(xp):
    x = xp.asarray(X)
    with pytest.raises(NotImplementedError, match="type 2"):
        psf.dct(x, type=3)
    with pytest.raises(NotImplementedError, match="type 2"):
        psf.idctn(x, type=1)
    with pytest.raises(ValueError, match="norm"):
        psf.dct(x, norm="forward")
    with pytest.raises(ValueError, match="at most x.ndim"):
        psf.dctn(x, s=(2, 2, 2))
