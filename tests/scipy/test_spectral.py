"""``scipy.signal.stft/istft/welch/csd`` against SciPy and real JAX, with jit, vmap and grad."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.signal as pss
import pytest
import scipy.signal as ss
from helpers import to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)

RNG = np.random.default_rng(1)
SIGNAL = (np.sin(np.arange(96) * 0.4) + 0.3 * RNG.standard_normal(96)).astype(np.float32)
OTHER = (np.cos(np.arange(96) * 0.4 + 0.5) + 0.3 * RNG.standard_normal(96)).astype(np.float32)


def _first_fast(cases: list) -> list:
    """The first case runs by default; the others are the slow sweep (``PORTAX_TEST_SLOW=1``), to keep the suite fast."""
    return [c if i == 0 else pytest.param(*(c if isinstance(c, tuple) else (c,)), marks=pytest.mark.slow)
            for i, c in enumerate(cases)]


@pytest.mark.parametrize(("window", "nperseg", "noverlap", "nfft", "boundary", "padded"), _first_fast([
    ("hann", 16, None, None, "zeros", True),
    ("hamming", 20, 5, 32, "even", True),
    (("tukey", 0.3), 12, 8, None, "odd", False),
    ("hann", 10, None, None, "constant", True),
    ("hann", 16, None, None, None, False),
]))
def test_stft_matches_scipy(xp, window, nperseg, noverlap, nfft, boundary, padded):
    kwargs = dict(fs=8.0, window=window, nperseg=nperseg, noverlap=noverlap, nfft=nfft, boundary=boundary,
                  padded=padded)
    f, t, z = pss.stft(xp.asarray(SIGNAL), **kwargs)
    ef, et, ez = ss.stft(SIGNAL.astype(np.float64), **kwargs)
    assert to_numpy(z).dtype == np.complex64 and to_numpy(f).dtype == np.float32
    np.testing.assert_allclose(to_numpy(f), ef, rtol=1e-6)
    np.testing.assert_allclose(to_numpy(t), et, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(to_numpy(z), ez, rtol=1e-4, atol=2e-5)


def test_stft_istft_round_trip_batched_axis(xp):
    batch = np.stack([SIGNAL, OTHER], axis=0)
    ez = ss.stft(batch.T.astype(np.float64), nperseg=16, axis=0)[2]  # time on axis 0: z is (freq, batch, time)
    t_back, back = pss.istft(xp.asarray(ez.astype(np.complex64)), nperseg=16, time_axis=-1, freq_axis=0)
    et_back, eback = ss.istft(ez, nperseg=16, time_axis=-1, freq_axis=0)
    np.testing.assert_allclose(to_numpy(back), eback, rtol=1e-4, atol=2e-5)
    np.testing.assert_allclose(to_numpy(t_back), et_back, rtol=1e-6)
    _, again = pss.istft(pss.stft(xp.asarray(SIGNAL), nperseg=16, window="hamming")[2], window="hamming")
    np.testing.assert_allclose(to_numpy(again)[: SIGNAL.size], SIGNAL, atol=2e-5)


@pytest.mark.parametrize(("nperseg", "average", "scaling", "detrend"), _first_fast([
    (32, "mean", "density", "constant"),
    (24, "median", "spectrum", "linear"),
    (16, "mean", "density", False),
]))
def test_welch_and_csd_match_scipy(xp, nperseg, average, scaling, detrend):
    kwargs = dict(fs=2.0, nperseg=nperseg, average=average, scaling=scaling, detrend=detrend)
    f, p = pss.welch(xp.asarray(SIGNAL), **kwargs)
    ef, ep = ss.welch(SIGNAL.astype(np.float64), **kwargs)
    assert to_numpy(p).dtype == np.float32
    np.testing.assert_allclose(to_numpy(f), ef, rtol=1e-6)
    np.testing.assert_allclose(to_numpy(p), ep, rtol=1e-4, atol=1e-6)
    f, p = pss.csd(xp.asarray(SIGNAL), xp.asarray(OTHER), **kwargs)
    ef, ep = ss.csd(SIGNAL.astype(np.float64), OTHER.astype(np.float64), **kwargs)
    assert to_numpy(p).dtype == np.complex64
    np.testing.assert_allclose(to_numpy(p), ep, rtol=1e-4, atol=1e-6)


def test_spectral_jit_vmap_grad_and_errors(xp):
    batch = xp.asarray(np.stack([SIGNAL, OTHER]))
    got = portax.jit(lambda x: pss.welch(x, nperseg=32)[1])(batch)
    np.testing.assert_allclose(to_numpy(got), ss.welch(np.stack([SIGNAL, OTHER]).astype(np.float64), nperseg=32)[1],
                               rtol=1e-4, atol=1e-6)
    got = portax.vmap(lambda x: pss.stft(x, nperseg=16)[2])(batch)
    np.testing.assert_allclose(to_numpy(got), ss.stft(np.stack([SIGNAL, OTHER]).astype(np.float64), nperseg=16)[2],
                               rtol=1e-4, atol=2e-5)
    grad = portax.grad(lambda x: pss.welch(x, nperseg=32)[1].sum())(xp.asarray(SIGNAL))
    # the periodogram is quadratic in x: central differences of SciPy's are exact up to rounding
    signal, step = SIGNAL.astype(np.float64), 1e-3
    want = [(ss.welch(signal + step * e, nperseg=32)[1].sum() - ss.welch(signal - step * e, nperseg=32)[1].sum())
            / (2 * step) for e in np.eye(signal.size)]
    np.testing.assert_allclose(to_numpy(grad), want, rtol=1e-3, atol=1e-5)
    x = xp.asarray(SIGNAL)
    with pytest.raises(ValueError, match="noverlap"):
        pss.stft(x, nperseg=16, noverlap=16)
    with pytest.raises(ValueError, match="nfft"):
        pss.welch(x, nperseg=16, nfft=8)
    with pytest.raises(ValueError, match="average"):
        pss.welch(x, nperseg=16, average="mode")
    with pytest.raises(ValueError, match="scaling"):
        pss.welch(x, nperseg=16, scaling="power")
    with pytest.raises(ValueError, match="boundary"):
        pss.stft(x, nperseg=16, boundary="periodic")
    with pytest.raises(ValueError, match="2d"):
        pss.istft(x)
    with pytest.raises(ValueError, match="differing"):
        pss.istft(xp.asarray(np.ones((3, 4), np.complex64)), time_axis=0, freq_axis=0)
