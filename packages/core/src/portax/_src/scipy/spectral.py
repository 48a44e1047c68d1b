"""``portax.scipy.signal`` spectral analysis: JAX's ``stft``, ``istft``, ``welch`` and ``csd`` (jax/_src/scipy/signal.py,
0.10) on every backend.

Written once over ``portax.numpy`` and ``portax.numpy.fft``: the segments are one static gather (JAX vmaps a dynamic
slice), the overlap-add of ``istft`` is JAX's reshape trick (no scatter), so every function runs under ``jit``,
``vmap`` and ``grad`` on every backend. Window names other than ``"hann"`` are made by ``scipy.signal.get_window``
(scipy needed, as in JAX). On JAX these are ``jax.scipy.signal``'s own (the backend's ``scipy`` hook module).
"""

from __future__ import annotations

import math
import operator
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import portax.numpy as pnp
from portax._src.scipy._native import backend_for, creating_on, native
from portax._src.scipy.fft import _complex, _zero_pad
from portax._src.scipy.signal import detrend
from portax._src.scipy.special import promote_inexact

Array = Any
_BOUNDARIES = ("even", "odd", "constant", "zeros", None)


def _concrete_int(value: Any, what: str) -> int:
    try:
        return operator.index(value)
    except TypeError:
        try:
            return int(value)
        except Exception as error:  # a traced value: the sizes must be static, as in JAX
            from portax._src.errors import ConcretizationError

            raise ConcretizationError(f"{what} must be a static integer, got {value!r}") from error


def _complex_dtype(x: Array) -> Any:
    return pnp.result_type(x, 1j)  # complex64 for float32 (and smaller), complex128 for float64


def _named_window(window: str | tuple, length: int, dtype: Any) -> Array:
    """The window on the current backend: ``"hann"`` computed here (as JAX, without scipy, and traced like any op),
    others from ``scipy.signal.get_window`` (a host table: under ``jit`` on torch the call runs uncompiled)."""
    if isinstance(window, str) and window == "hann":
        if length == 1:
            return pnp.ones((1,), dtype=dtype)
        return pnp.sin(math.pi / length * pnp.arange(length, dtype=dtype)) ** 2
    try:
        from scipy.signal import get_window
    except ImportError as error:
        raise ImportError(f"scipy must be available to use window={window!r}") from error
    return pnp.asarray(np.asarray(get_window(window, length)), dtype=dtype)


def _triage_segments(window: Any, nperseg: int | None, input_length: int, like: Array) -> tuple[Array, int]:
    """JAX's ``signal_helper._triage_segments``: the window array and the segment length."""
    backend = backend_for(like)
    if isinstance(window, (str, tuple)):
        length = input_length if nperseg is None else int(nperseg)
        if length > input_length:
            warnings.warn(f"nperseg={length} is greater than input_length={input_length}, using nperseg={input_length}",
                          stacklevel=3)
            length = input_length
        with creating_on(backend):
            return _named_window(window, length, like.dtype), length
    with creating_on(backend):
        win = window if backend.owns(window) else pnp.asarray(window)
    win = pnp.astype(win, like.dtype)
    length = math.prod(win.shape) if nperseg is None else int(nperseg)
    if win.ndim != 1:
        raise ValueError("window must be 1-D")
    if input_length < win.shape[0]:
        raise ValueError("window is longer than input signal")
    if length != win.shape[0]:
        raise ValueError("value specified for nperseg is different from length of window")
    return win, length


def _odd_extension(x: Array, n: int) -> Array:
    """``x`` extended by ``n`` points at both ends of its last axis by odd symmetry about the end points."""
    if n < 1:
        return x
    if n > x.shape[-1] - 1:
        raise ValueError(f"The extension length n ({n}) is too big. It must not exceed x.shape[axis]-1, which is "
                         f"{x.shape[-1] - 1}.")
    left = 2 * x[..., :1] - pnp.flip(x[..., 1:n + 1], axis=-1)
    right = 2 * x[..., -1:] - pnp.flip(x[..., -(n + 1):-1], axis=-1)
    return pnp.concatenate([left, x, right], axis=-1)


def _extend(x: Array, boundary: str, n: int) -> Array:
    if boundary == "odd":
        return _odd_extension(x, n)
    if boundary == "zeros":
        return _zero_pad(x, -1, n, n)
    if n < 1:
        return x
    if boundary == "even":  # numpy's "reflect": mirrored about the end points, which are not repeated
        left, right = pnp.flip(x[..., 1:n + 1], axis=-1), pnp.flip(x[..., -(n + 1):-1], axis=-1)
    else:  # "constant": numpy's "edge"
        left = pnp.broadcast_to(x[..., :1], tuple(x.shape[:-1]) + (n,))
        right = pnp.broadcast_to(x[..., -1:], tuple(x.shape[:-1]) + (n,))
    return pnp.concatenate([left, x, right], axis=-1)


def _segments(x: Array, nperseg: int, noverlap: int) -> Array:
    """``(..., nseg, nperseg)``: the overlapping segments of the last axis (one static gather)."""
    if nperseg == 1 and noverlap == 0:
        return x[..., None]
    step = nperseg - noverlap
    with creating_on(backend_for(x)):
        index = pnp.arange(0, x.shape[-1] - nperseg + 1, step)[:, None] + pnp.arange(nperseg)[None, :]
    return pnp.take(x, index, axis=-1)


def _windowed_fft(x: Array, win: Array, detrend_func: Callable[[Array], Array], nperseg: int, noverlap: int,
                  nfft: int, sides: str) -> Array:
    """JAX's ``_fft_helper``: detrended, windowed segments through the FFT."""
    result = detrend_func(_segments(x, nperseg, noverlap))
    if pnp.iscomplexobj(win) and not pnp.iscomplexobj(result):
        result = pnp.astype(result, win.dtype)
    result = win * result
    if sides == "twosided":
        return pnp.fft.fft(result, n=nfft)
    return pnp.fft.rfft(pnp.real(result), n=nfft)


def _detrend_function(detrend_type: Any, axis: int, ndim: int) -> Callable[[Array], Array]:
    if isinstance(detrend_type, str):
        return lambda d: detrend(d, type=detrend_type, axis=-1)
    if callable(detrend_type):
        if axis == ndim - 1:
            return detrend_type

        def moved(d: Array) -> Array:  # the callable sees the segments along the data's own axis (as scipy)
            return pnp.moveaxis(detrend_type(pnp.moveaxis(d, -1, axis)), axis, -1)

        return moved
    if not detrend_type:
        return lambda d: d
    raise ValueError(f"Unsupported detrend type: {detrend_type}")


def _spectral_helper(x: Any, y: Any, fs: Any = 1.0, window: Any = "hann", nperseg: int | None = None,
                     noverlap: int | None = None, nfft: int | None = None, detrend_type: Any = "constant",
                     return_onesided: bool = True, scaling: str = "density", axis: int = -1, mode: str = "psd",
                     boundary: str | None = None, padded: bool = False) -> tuple[Array, Array, Array]:
    """JAX's ``_spectral_helper`` (scipy's, with ``y=None`` for an auto-spectrum)."""
    if mode not in ("psd", "stft"):
        raise ValueError(f"Unknown value for mode {mode}, must be one of: ('psd', 'stft')")
    if boundary not in _BOUNDARIES:
        raise ValueError(f"Unknown boundary option '{boundary}', must be one of: {list(_BOUNDARIES)}")
    axis = _concrete_int(axis, "axis of windowed-FFT")
    if y is None:
        (x,) = promote_inexact(x)
        outer_shape = tuple(s for i, s in enumerate(x.shape) if i != axis % x.ndim)
    else:
        if mode != "psd":
            raise ValueError("two-argument mode is available only when mode=='psd'")
        x, y = promote_inexact(x, y)
        if x.ndim != y.ndim:
            raise ValueError(f"two-arguments must have the same rank ({x.ndim} vs {y.ndim}).")
        try:
            outer_shape = pnp.broadcast_shapes(tuple(s for i, s in enumerate(x.shape) if i != axis % x.ndim),
                                               tuple(s for i, s in enumerate(y.shape) if i != axis % y.ndim))
        except ValueError as error:
            raise ValueError("x and y cannot be broadcast together.") from error
    if not -x.ndim <= axis < x.ndim:
        from portax._src.errors import AxisError

        raise AxisError(f"axis {axis} is out of bounds for array of dimension {x.ndim}")
    axis %= x.ndim
    result_dtype = _complex_dtype(x)
    freq_dtype = pnp.real(x).dtype
    if nperseg is not None:
        nperseg = _concrete_int(nperseg, "nperseg of windowed-FFT")
        if nperseg < 1:
            raise ValueError("nperseg must be a positive integer")
    win, nperseg = _triage_segments(window, nperseg, x.shape[axis], x)
    noverlap = nperseg // 2 if noverlap is None else _concrete_int(noverlap, "noverlap of windowed-FFT")
    nfft = nperseg if nfft is None else _concrete_int(nfft, "nfft of windowed-FFT")
    with creating_on(backend_for(x)):
        if y is None and math.prod(x.shape) == 0:
            shape = tuple(x.shape)
            return pnp.zeros(shape, freq_dtype), pnp.zeros(shape, freq_dtype), pnp.zeros(shape, result_dtype)
        if y is not None and (math.prod(x.shape) == 0 or math.prod(y.shape) == 0):
            shape = outer_shape[:axis] + (min(x.shape[axis], y.shape[axis]),) + outer_shape[axis:]
            return pnp.zeros(shape, freq_dtype), pnp.zeros(shape, freq_dtype), pnp.zeros(shape, result_dtype)
    x = pnp.moveaxis(x, axis, -1)
    if y is not None:
        y = pnp.moveaxis(y, axis, -1)
        if x.shape[-1] != y.shape[-1]:  # the shorter signal is zero-padded
            longest = max(x.shape[-1], y.shape[-1])
            x, y = (_zero_pad(v, -1, 0, longest - v.shape[-1]) for v in (x, y))
    if nfft < nperseg:
        raise ValueError("nfft must be greater than or equal to nperseg.")
    if noverlap >= nperseg:
        raise ValueError("noverlap must be less than nperseg.")
    step = nperseg - noverlap
    if boundary is not None:
        x = _extend(x, boundary, nperseg // 2)
        if y is not None:
            y = _extend(y, boundary, nperseg // 2)
    if padded:  # zero-pad to a whole number of segments
        extra = (-(x.shape[-1] - nperseg) % step) % nperseg
        x = _zero_pad(x, -1, 0, extra)
        if y is not None:
            y = _zero_pad(y, -1, 0, extra)
    detrend_func = _detrend_function(detrend_type, axis, len(outer_shape) + 1)
    if scaling == "density":
        scale = 1.0 / (fs * pnp.sum(win * win))
    elif scaling == "spectrum":
        scale = 1.0 / pnp.sum(win) ** 2
    else:
        raise ValueError(f"Unknown scaling: {scaling}")
    if mode == "stft":
        scale = pnp.sqrt(scale)
    sides = "onesided" if return_onesided else "twosided"
    if return_onesided and (pnp.iscomplexobj(x) or (y is not None and pnp.iscomplexobj(y))):
        sides = "twosided"
        warnings.warn("Input data is complex, switching to return_onesided=False", stacklevel=3)
    with creating_on(backend_for(x)):
        frequencies = pnp.fft.fftfreq if sides == "twosided" else pnp.fft.rfftfreq
        freqs = frequencies(nfft, 1 / fs, dtype=freq_dtype)
    result = _windowed_fft(x, win, detrend_func, nperseg, noverlap, nfft, sides)
    if y is not None:
        result = pnp.conj(result) * _windowed_fft(y, win, detrend_func, nperseg, noverlap, nfft, sides)
    elif mode == "psd":
        result = pnp.conj(result) * result
    result = result * pnp.astype(scale, result.dtype)
    if sides == "onesided" and mode == "psd":  # the one-sided spectrum counts the negative frequencies twice
        bins = result.shape[-1]
        with creating_on(backend_for(x)):
            k = pnp.arange(bins)
        inner = (k >= 1) & (k < (bins if nfft % 2 else bins - 1))
        result = result * pnp.astype(pnp.where(inner, 2.0, 1.0), freq_dtype)
    with creating_on(backend_for(x)):
        time = pnp.arange(nperseg / 2, x.shape[-1] - nperseg / 2 + 1, step, dtype=freq_dtype) / fs
    if boundary is not None:
        time = time - (nperseg / 2) / fs
    result = pnp.astype(result, result_dtype)
    if y is None and mode != "stft":
        result = pnp.real(result)
    return freqs, time, pnp.moveaxis(result, -1, axis)


def stft(x: Any, fs: Any = 1.0, window: Any = "hann", nperseg: int = 256, noverlap: int | None = None,
         nfft: int | None = None, detrend: Any = False, return_onesided: bool = True, boundary: str | None = "zeros",
         padded: bool = True, axis: int = -1) -> tuple[Array, Array, Array]:
    """The short-time Fourier transform (``jax.scipy.signal.stft``).

    Args:
        x: the signal(s).
        fs: the sampling frequency.
        window: a window name (``"hann"``; others through ``scipy.signal.get_window``), a ``(name, param)`` tuple or
            a 1-D array.
        nperseg: the segment length (capped at the signal length, with a warning).
        noverlap: overlap of the segments (default ``nperseg // 2``).
        nfft: the FFT length (default ``nperseg``).
        detrend: ``False``, ``"constant"``, ``"linear"`` or a callable applied to each segment.
        return_onesided: a one-sided spectrum for real input.
        boundary: the extension at both ends: ``"zeros"`` (default), ``"even"``, ``"odd"``, ``"constant"`` or None.
        padded: zero-pad the end to a whole number of segments.
        axis: the time axis.

    Returns:
        ``(f, t, Zxx)``: the frequencies, the segment times and the STFT (complex).

    Raises:
        ValueError: scipy's/JAX's for bad sizes, boundary, scaling or windows.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.signal as pss
        >>> f, t, Z = pss.stft(pnp.array([1.0, 2.0, 3.0, 2.0, 1.0, 0.0, 1.0, 2.0]), nperseg=4)
        >>> tuple(Z.shape)
        (3, 5)
    """
    if (function := native(backend_for(x), "stft")) is not None:  # jax.scipy.signal's own on JAX
        return function(x, fs=fs, window=window, nperseg=nperseg, noverlap=noverlap, nfft=nfft, detrend=detrend,
                        return_onesided=return_onesided, boundary=boundary, padded=padded, axis=axis)
    return _spectral_helper(x, None, fs, window, nperseg, noverlap, nfft, detrend, return_onesided,
                            scaling="spectrum", axis=axis, mode="stft", boundary=boundary, padded=padded)


def _median_bias(n: int) -> float:
    """The bias of the median of ``n`` periodograms relative to their mean (scipy's ``_median_bias``)."""
    return 1 + sum(1.0 / (i + 1) - 1.0 / i for i in range(2, n, 2))


def csd(x: Any, y: Any, fs: Any = 1.0, window: Any = "hann", nperseg: int | None = None,
        noverlap: int | None = None, nfft: int | None = None, detrend: Any = "constant",
        return_onesided: bool = True, scaling: str = "density", axis: int = -1,
        average: str = "mean") -> tuple[Array, Array]:
    """The cross power spectral density by Welch's method (``jax.scipy.signal.csd``).

    Args:
        x, y: the two signals (``y=None``: the power spectral density of ``x``).
        fs, window, nperseg, noverlap, nfft, detrend, return_onesided, axis: as :func:`stft` (``nperseg`` defaults
            to the signal length, as JAX).
        scaling: ``"density"`` (V**2/Hz) or ``"spectrum"`` (V**2).
        average: ``"mean"`` or ``"median"`` of the periodograms.

    Returns:
        ``(f, Pxy)``: the frequencies and the (complex) cross spectral density.

    Raises:
        ValueError: an unknown ``average``, and :func:`stft`'s errors.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.signal as pss
        >>> f, p = pss.csd(pnp.sin(pnp.arange(64.0)), pnp.cos(pnp.arange(64.0)), nperseg=16)
        >>> tuple(p.shape)
        (9,)
    """
    if (function := native(backend_for(x, y), "csd")) is not None:  # jax.scipy.signal's own on JAX
        return function(x, y, fs=fs, window=window, nperseg=nperseg, noverlap=noverlap, nfft=nfft, detrend=detrend,
                        return_onesided=return_onesided, scaling=scaling, axis=axis, average=average)
    freqs, _, pxy = _spectral_helper(x, y, fs, window, nperseg, noverlap, nfft, detrend, return_onesided, scaling,
                                     axis, mode="psd")
    if y is not None and not pnp.iscomplexobj(pxy):
        pxy = pnp.astype(pxy, _complex_dtype(pxy))
    if pxy.ndim >= 2 and math.prod(pxy.shape) > 0:
        if pxy.shape[-1] > 1:
            if average == "median":
                bias = _median_bias(pxy.shape[-1])
                if pnp.iscomplexobj(pxy):
                    pxy = _complex(pnp.median(pnp.real(pxy), axis=-1), pnp.median(pnp.imag(pxy), axis=-1))
                else:
                    pxy = pnp.median(pxy, axis=-1)
                pxy = pxy / bias
            elif average == "mean":
                pxy = pnp.mean(pxy, axis=-1)
            else:
                raise ValueError(f'average must be "median" or "mean", got {average}')
        else:
            pxy = pnp.reshape(pxy, tuple(pxy.shape[:-1]))
    return freqs, pxy


def welch(x: Any, fs: Any = 1.0, window: Any = "hann", nperseg: int | None = None, noverlap: int | None = None,
          nfft: int | None = None, detrend: Any = "constant", return_onesided: bool = True, scaling: str = "density",
          axis: int = -1, average: str = "mean") -> tuple[Array, Array]:
    """The power spectral density by Welch's method (``jax.scipy.signal.welch``): :func:`csd` of ``x`` with itself.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.signal as pss
        >>> f, p = pss.welch(pnp.sin(pnp.arange(64.0)), nperseg=16)
        >>> tuple(f.shape), tuple(p.shape)
        ((9,), (9,))
    """
    freqs, pxx = csd(x, None, fs=fs, window=window, nperseg=nperseg, noverlap=noverlap, nfft=nfft, detrend=detrend,
                     return_onesided=return_onesided, scaling=scaling, axis=axis, average=average)
    return freqs, pnp.real(pxx)


def _overlap_and_add(x: Array, step: int) -> Array:
    """``(..., frames, frame_length)`` frames added at offsets ``step`` apart (JAX's reshape trick, no scatter)."""
    *batch, frames, length = x.shape
    flat = math.prod(batch)
    x = pnp.reshape(x, (flat, frames, length))
    output_size = step * (frames - 1) + length
    steps_per_frame = 1 + (length - 1) // step
    x = _zero_pad(x, 2, 0, steps_per_frame * step - length)
    x = pnp.reshape(x, (flat, frames, steps_per_frame, step))
    x = pnp.transpose(x, (0, 2, 1, 3))  # (B, S, N, T)
    x = _zero_pad(x, 2, 0, frames)  # (B, S, 2N, T)
    shrunken = x.shape[2] - 1
    x = pnp.reshape(x, (flat, -1))[:, : steps_per_frame * shrunken * step]
    x = pnp.reshape(x, (flat, steps_per_frame, shrunken * step))
    x = pnp.sum(x, axis=1)[:, :output_size]
    return pnp.reshape(x, tuple(batch) + (-1,))


def istft(Zxx: Any, fs: Any = 1.0, window: Any = "hann", nperseg: int | None = None,  # noqa: N803 (scipy's name)
          noverlap: int | None = None, nfft: int | None = None, input_onesided: bool = True, boundary: bool = True,
          time_axis: int = -1, freq_axis: int = -2) -> tuple[Array, Array]:
    """The inverse short-time Fourier transform (``jax.scipy.signal.istft``), the inverse of :func:`stft`.

    Args:
        Zxx: the STFT (at least 2-D).
        fs, window: as given to :func:`stft`.
        nperseg: the segment length (default from the number of frequencies).
        noverlap: the overlap (default ``nperseg // 2``).
        nfft: the FFT length (default from the number of frequencies).
        input_onesided: ``Zxx`` is a one-sided spectrum.
        boundary: the signal was extended at both ends by :func:`stft` (the extension is removed).
        time_axis, freq_axis: the axes of ``Zxx``.

    Returns:
        ``(t, x)``: the times and the reconstructed signal.

    Raises:
        ValueError: ``Zxx`` below 2-D, equal axes, bad sizes or a window of the wrong shape.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.signal as pss
        >>> x = pnp.array([1.0, 2.0, 3.0, 2.0, 1.0, 0.0, 1.0, 2.0])
        >>> t, back = pss.istft(pss.stft(x, nperseg=4)[2])
        >>> [round(float(v), 4) for v in back]
        [1.0, 2.0, 3.0, 2.0, 1.0, 0.0, 1.0, 2.0]
    """
    backend = backend_for(Zxx)
    with creating_on(backend):
        Zxx = Zxx if backend.owns(Zxx) else pnp.asarray(Zxx)  # noqa: N806
    if Zxx.ndim < 2:
        raise ValueError("Input stft must be at least 2d!")
    if (function := native(backend, "istft")) is not None:  # jax.scipy.signal's own on JAX
        return function(Zxx, fs=fs, window=window, nperseg=nperseg, noverlap=noverlap, nfft=nfft,
                        input_onesided=input_onesided, boundary=boundary, time_axis=time_axis, freq_axis=freq_axis)
    freq_axis, time_axis = (_concrete_int(a, "axis of STFT") for a in (freq_axis, time_axis))
    if not (-Zxx.ndim <= freq_axis < Zxx.ndim and -Zxx.ndim <= time_axis < Zxx.ndim):
        from portax._src.errors import AxisError

        raise AxisError(f"time_axis {time_axis} or freq_axis {freq_axis} out of bounds for {Zxx.ndim} dimensions")
    freq_axis, time_axis = freq_axis % Zxx.ndim, time_axis % Zxx.ndim
    if freq_axis == time_axis:
        raise ValueError("Must specify differing time and frequency axes!")
    if not pnp.iscomplexobj(Zxx):
        (Zxx,) = promote_inexact(Zxx)  # noqa: N806
        Zxx = pnp.astype(Zxx, _complex_dtype(Zxx))  # noqa: N806
    n_default = 2 * (Zxx.shape[freq_axis] - 1) if input_onesided else Zxx.shape[freq_axis]
    nperseg = _concrete_int(nperseg or n_default, "nperseg: segment length of STFT")
    if nperseg < 1:
        raise ValueError("nperseg must be a positive integer")
    if nfft is None:
        nfft = n_default + 1 if input_onesided and nperseg == n_default + 1 else n_default  # odd nperseg: no padding
    else:
        nfft = _concrete_int(nfft, "nfft of STFT")
    if nfft < nperseg:
        raise ValueError(f"FFT length ({nfft}) must be longer than nperseg ({nperseg}).")
    noverlap = _concrete_int(noverlap or nperseg // 2, "noverlap of STFT")
    if noverlap >= nperseg:
        raise ValueError("noverlap must be less than nperseg.")
    step = nperseg - noverlap
    if time_axis != Zxx.ndim - 1 or freq_axis != Zxx.ndim - 2:
        outer = tuple(i for i in range(Zxx.ndim) if i not in (time_axis, freq_axis))
        Zxx = pnp.transpose(Zxx, outer + (freq_axis, time_axis))  # noqa: N806
    inverse = pnp.fft.irfft if input_onesided else pnp.fft.ifft
    frames = inverse(Zxx, n=nfft, axis=-2)[..., :nperseg, :]  # (..., nperseg, nframes)
    real_dtype = pnp.real(frames).dtype
    if isinstance(window, (str, tuple)):
        with creating_on(backend):
            win = pnp.astype(_named_window(window, nperseg, real_dtype), frames.dtype)
    else:
        with creating_on(backend):
            win = window if backend.owns(window) else pnp.asarray(window)
        if win.ndim != 1:
            raise ValueError("window must be 1-D")
        if win.shape[0] != nperseg:
            raise ValueError(f"window must have length of {nperseg}")
    frames = frames * pnp.sum(win)  # undoes stft's "spectrum" scaling
    column = pnp.reshape(win, (1,) * (frames.ndim - 2) + (nperseg, 1))
    x = _overlap_and_add(pnp.swapaxes(frames * column, -2, -1), step)
    squared = pnp.broadcast_to(column * column, (1,) * (frames.ndim - 2) + (nperseg, frames.shape[-1]))
    norm = _overlap_and_add(pnp.swapaxes(squared, -2, -1), step)
    if boundary:
        half = nperseg // 2
        x, norm = x[..., half:-half], norm[..., half:-half]
    x = x / pnp.where(norm > 1e-10, norm, pnp.ones_like(norm))
    if x.ndim > 1 and time_axis != Zxx.ndim - 1:
        x = pnp.moveaxis(x, -1, time_axis - 1 if freq_axis < time_axis else time_axis)
    real_x_dtype = pnp.real(x).dtype
    with creating_on(backend):
        time = pnp.arange(x.shape[0], dtype=real_x_dtype) / fs
    return time, x
