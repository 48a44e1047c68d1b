"""``portax.numpy.fft`` against NumPy: transforms (n=, axis=, norm=), real/Hermitian variants, helpers."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_backend, check, finite_floats
from hypothesis import given
from hypothesis.extra import numpy as hnp

RNG = np.random.default_rng(1)
REAL = RNG.standard_normal((4, 6)).astype(np.float32)
COMPLEX = (RNG.standard_normal((4, 6)) + 1j * RNG.standard_normal((4, 6))).astype(np.complex64)
TOLERANCE = {"rtol": 1e-4, "atol": 1e-4}


@pytest.fixture
def fft(xp):
    return xp.fft


@pytest.mark.parametrize("name", ["fft", "ifft"])
@pytest.mark.parametrize("norm", [None, "ortho", "forward", "backward"])
@pytest.mark.parametrize(("n", "axis"), [(None, -1), (4, -1), (9, 0), (None, 0)])
def test_complex_transforms(xp, fft, name, norm, n, axis):
    for data in (COMPLEX, REAL):  # real input is promoted to complex64
        expected = getattr(np.fft, name)(data.astype(np.complex128), n=n, axis=axis, norm=norm)
        check(getattr(fft, name)(as_backend(xp, data), n=n, axis=axis, norm=norm), expected, **TOLERANCE)


@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
@pytest.mark.parametrize("n", [None, 4, 8])
def test_rfft_irfft(xp, fft, norm, n):
    check(fft.rfft(as_backend(xp, REAL), n=n, norm=norm), np.fft.rfft(REAL.astype(float), n=n, norm=norm), **TOLERANCE)
    half = np.fft.rfft(REAL.astype(float))
    check(fft.irfft(as_backend(xp, half.astype(np.complex64)), n=n, norm=norm),
          np.fft.irfft(half, n=n, norm=norm), **TOLERANCE)
    check(fft.hfft(as_backend(xp, half.astype(np.complex64)), n=n, norm=norm), np.fft.hfft(half, n=n, norm=norm),
          **TOLERANCE)
    check(fft.ihfft(as_backend(xp, REAL), n=n, norm=norm), np.fft.ihfft(REAL.astype(float), n=n, norm=norm),
          **TOLERANCE)


@pytest.mark.parametrize("name", ["fftn", "ifftn", "fft2", "ifft2"])
def test_multidimensional_complex(xp, fft, name):
    check(getattr(fft, name)(as_backend(xp, COMPLEX)), getattr(np.fft, name)(COMPLEX.astype(np.complex128)), **TOLERANCE)
    check(getattr(fft, name)(as_backend(xp, COMPLEX), s=(2, 8), axes=(0, 1)),
          getattr(np.fft, name)(COMPLEX.astype(np.complex128), s=(2, 8), axes=(0, 1)), **TOLERANCE)


@pytest.mark.parametrize(("name", "inverse"), [("rfftn", "irfftn"), ("rfft2", "irfft2")])
def test_multidimensional_real(xp, fft, name, inverse):
    spectrum = getattr(np.fft, name)(REAL.astype(float))
    check(getattr(fft, name)(as_backend(xp, REAL)), spectrum, **TOLERANCE)
    check(getattr(fft, inverse)(as_backend(xp, spectrum.astype(np.complex64)), s=REAL.shape),
          getattr(np.fft, inverse)(spectrum, s=REAL.shape), **TOLERANCE)


@given(hnp.arrays(np.float32, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=8),
                  elements=finite_floats(np.float32, -10, 10)))
def test_fft_roundtrip_hypothesis(xp, fft, data):
    check(fft.fft(as_backend(xp, data)), np.fft.fft(data.astype(float)), rtol=1e-4, atol=1e-3)
    check(fft.ifft(fft.fft(as_backend(xp, data))), data.astype(np.complex64), rtol=1e-4, atol=1e-4)
    check(fft.irfft(fft.rfft(as_backend(xp, data)), n=data.shape[-1]), data, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("n", [1, 4, 7])
@pytest.mark.parametrize("d", [1.0, 0.1])
def test_frequencies(xp, fft, n, d):
    check(fft.fftfreq(n, d), np.fft.fftfreq(n, d).astype(np.float32))
    check(fft.rfftfreq(n, d), np.fft.rfftfreq(n, d).astype(np.float32))


@pytest.mark.parametrize("axes", [None, 0, 1, (0, 1)])
def test_fftshift(xp, fft, axes):
    data = np.arange(20, dtype=np.float32).reshape(4, 5)
    check(fft.fftshift(as_backend(xp, data), axes=axes), np.fft.fftshift(data, axes=axes))
    check(fft.ifftshift(as_backend(xp, data), axes=axes), np.fft.ifftshift(data, axes=axes))
