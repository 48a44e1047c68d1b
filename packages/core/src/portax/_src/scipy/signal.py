"""``portax.scipy.signal``: JAX's direct and FFT convolutions (jax/_src/scipy/signal.py, 0.10) on every backend.

The mode logic (which input slides, the ``same`` padding, ``correlate2d``'s flips) is JAX's, written once here; the
N-d cross-correlation itself is the backend's convolution kernel through its ``scipy`` hook module
(``lax.conv_general_dilated`` on JAX, ``torch.nn.functional.conv1d/2d/3d`` on torch). Inputs of more than three
dimensions, which torch's kernels do not take, use the FFT path (the same values to float rounding).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import portax.numpy as pnp
from portax._src.scipy._native import backend_for, native
from portax._src.scipy.special import promote_inexact

Array = Any
_MODES = ("full", "same", "valid")


def _check_mode(mode: str) -> None:
    if mode not in _MODES:
        raise ValueError("mode must be one of ['full', 'same', 'valid']")


def _convolve_nd(in1: Any, in2: Any, mode: str) -> Array:
    # jax/_src/scipy/signal.py (_convolve_nd)
    _check_mode(mode)
    in1, in2 = promote_inexact(in1, in2)
    if in1.ndim != in2.ndim:
        raise ValueError("in1 and in2 must have the same number of dimensions")
    if 0 in tuple(in1.shape) or 0 in tuple(in2.shape):  # .size is a method of torch tensors
        raise ValueError(
            f"zero-size arrays not supported in convolutions, got shapes {tuple(in1.shape)} and {tuple(in2.shape)}."
        )
    no_swap = all(s1 >= s2 for s1, s2 in zip(in1.shape, in2.shape, strict=True))
    swap = all(s1 <= s2 for s1, s2 in zip(in1.shape, in2.shape, strict=True))
    if not (no_swap or swap):
        raise ValueError("One input must be smaller than the other in every dimension.")
    shape_o = tuple(in2.shape)
    if swap:
        in1, in2 = in2, in1
    shape = tuple(in2.shape)
    if mode == "valid":
        padding = [(0, 0) for _ in shape]
    elif mode == "same":
        padding = [(s - 1 - (s_o - 1) // 2, s - s_o + (s_o - 1) // 2) for s, s_o in zip(shape, shape_o, strict=True)]
    else:
        padding = [(s - 1, s - 1) for s in shape]
    kernel = native(backend_for(in1, in2), "correlate_nd")
    if kernel is None or not 1 <= in1.ndim <= 3:
        return _fft_correlate_padded(in1, in2, padding)
    return kernel(in1, pnp.flip(in2), padding)


def _fft_correlate_padded(in1: Any, in2: Any, padding: list[tuple[int, int]]) -> Array:
    """``conv_general_dilated(in1, in2 flipped, padding)`` through the full FFT convolution, then the window."""
    if in1.ndim == 0:
        return in1 * in2
    full = _fft_full(in1, in2, tuple(range(in1.ndim)))
    index = tuple(
        slice(s2 - 1 - low, s1 + high) for (low, high), s1, s2 in zip(padding, in1.shape, in2.shape, strict=True)
    )
    return full[index]


def _fft_full(in1: Any, in2: Any, axes: tuple[int, ...]) -> Array:
    full_shape = [in1.shape[a] + in2.shape[a] - 1 for a in axes]
    if pnp.iscomplexobj(in1) or pnp.iscomplexobj(in2):
        sp1, sp2 = pnp.fft.fftn(in1, full_shape, axes), pnp.fft.fftn(in2, full_shape, axes)
        return pnp.fft.ifftn(sp1 * sp2, full_shape, axes)
    sp1, sp2 = pnp.fft.rfftn(in1, full_shape, axes), pnp.fft.rfftn(in2, full_shape, axes)
    return pnp.fft.irfftn(sp1 * sp2, full_shape, axes)


def convolve(in1: Any, in2: Any, mode: str = "full", method: str = "auto", precision: Any = None) -> Array:
    """N-d convolution of ``in1`` and ``in2`` (``jax.scipy.signal.convolve``).

    Args:
        in1, in2: arrays of the same number of dimensions (ints promote to the default float).
        mode: ``"full"``, ``"same"`` (the size of ``in1``, centered) or ``"valid"`` (no padding).
        method: ``"auto"``/``"direct"`` (the backend's convolution kernel) or ``"fft"``.
        precision: accepted for JAX compatibility (the backend's default precision).

    Returns:
        The convolution, in the promoted inexact dtype.

    Raises:
        ValueError: unknown ``mode``/``method``, different dimensions, empty inputs, or neither input at least as
            large as the other in every dimension.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.signal as pss
        >>> [float(v) for v in pss.convolve(pnp.array([1.0, 2.0, 3.0]), pnp.array([0.0, 1.0, 0.5]))]
        [0.0, 1.0, 2.5, 4.0, 1.5]
    """
    if method == "fft":
        return fftconvolve(in1, in2, mode=mode)
    if method not in ("direct", "auto"):
        raise ValueError(f"Got method={method!r}; expected 'auto', 'fft', or 'direct'.")
    return _convolve_nd(in1, in2, mode)


def correlate(in1: Any, in2: Any, mode: str = "full", method: str = "auto", precision: Any = None) -> Array:
    """N-d cross-correlation, ``convolve(in1, flip(conj(in2)))`` (``jax.scipy.signal.correlate``).

    Example:
        >>> import portax.numpy as pnp, portax.scipy.signal as pss
        >>> [float(v) for v in pss.correlate(pnp.array([1.0, 2.0, 3.0]), pnp.array([0.0, 1.0]), mode="valid")]
        [2.0, 3.0]
    """
    in1, in2 = promote_inexact(in1, in2)
    return convolve(in1, pnp.flip(pnp.conj(in2)), mode, method=method)


def _check_2d(name: str, in1: Any, in2: Any, boundary: str, fillvalue: Any) -> None:
    if boundary != "fill" or fillvalue != 0:
        raise NotImplementedError(f"{name}() only supports boundary='fill', fillvalue=0")
    if pnp.ndim(in1) != 2 or pnp.ndim(in2) != 2:
        raise ValueError(f"{name}() only supports 2-dimensional inputs.")


def convolve2d(in1: Any, in2: Any, mode: str = "full", boundary: str = "fill", fillvalue: Any = 0,
               precision: Any = None) -> Array:
    """2-d convolution (``jax.scipy.signal.convolve2d``; ``boundary="fill"``, ``fillvalue=0`` only, as JAX).

    Raises:
        NotImplementedError: another ``boundary`` or a nonzero ``fillvalue``.
        ValueError: inputs that are not 2-d.
    """
    _check_2d("convolve2d", in1, in2, boundary, fillvalue)
    return _convolve_nd(in1, in2, mode)


def correlate2d(in1: Any, in2: Any, mode: str = "full", boundary: str = "fill", fillvalue: Any = 0,
                precision: Any = None) -> Array:
    """2-d cross-correlation (``jax.scipy.signal.correlate2d``, JAX's flips for each mode)."""
    _check_2d("correlate2d", in1, in2, boundary, fillvalue)
    in1, in2 = promote_inexact(in1, in2)
    swap = all(s1 <= s2 for s1, s2 in zip(in1.shape, in2.shape, strict=True))
    same_shape = all(s1 == s2 for s1, s2 in zip(in1.shape, in2.shape, strict=True))
    if mode == "same":
        return pnp.flip(_convolve_nd(pnp.flip(in1), pnp.conj(in2), mode))
    if mode == "valid":
        if swap and not same_shape:
            return _convolve_nd(pnp.flip(in2), pnp.conj(in1), mode)
        return pnp.flip(_convolve_nd(pnp.flip(in1), pnp.conj(in2), mode))
    if swap:
        return pnp.conj(_convolve_nd(pnp.flip(in2), pnp.conj(in1), mode))
    return pnp.flip(_convolve_nd(pnp.flip(in1), pnp.conj(in2), mode))


def fftconvolve(in1: Any, in2: Any, mode: str = "full", axes: Sequence[int] | int | None = None) -> Array:
    """N-d convolution through the FFT (``jax.scipy.signal.fftconvolve``).

    Args:
        in1, in2: arrays of the same number of dimensions.
        mode: ``"full"``, ``"same"`` or ``"valid"``.
        axes: the axes to convolve over (default all); the other axes must have equal sizes and are mapped.

    Raises:
        ValueError: as JAX (dimensions, mode, mapped axes of different sizes, ``valid`` without a larger input).

    Example:
        >>> import portax.numpy as pnp, portax.scipy.signal as pss
        >>> [round(float(v), 3) for v in pss.fftconvolve(pnp.array([1.0, 2.0, 3.0]), pnp.array([1.0, 1.0]))]
        [1.0, 3.0, 5.0, 3.0]
    """
    in1, in2 = promote_inexact(in1, in2)
    if in1.ndim != in2.ndim:
        raise ValueError("in1 and in2 should have the same dimensionality")
    _check_mode(mode)
    if axes is None:
        axes = tuple(range(in1.ndim))
    else:
        axes = tuple(sorted(a % in1.ndim for a in ((axes,) if isinstance(axes, int) else axes)))
    mapped = [i for i in range(in1.ndim) if i not in axes]
    if any(in1.shape[i] != in2.shape[i] for i in mapped):
        raise ValueError(
            f"mapped axes must have same shape; got in1.shape={tuple(in1.shape)} in2.shape={tuple(in2.shape)} "
            f"axes={axes}"
        )
    if mode == "valid":
        no_swap = all(in1.shape[a] >= in2.shape[a] for a in axes)
        swap = all(in1.shape[a] <= in2.shape[a] for a in axes)
        if not (no_swap or swap):
            raise ValueError("For 'valid' mode, One input must be at least as large as the other in every dimension.")
        if swap:
            in1, in2 = in2, in1
    if not axes:
        return in1 * in2
    conv = _fft_full(in1, in2, axes)
    index = [slice(None)] * in1.ndim
    for a in axes:
        full = in1.shape[a] + in2.shape[a] - 1
        size = {"full": full, "same": in1.shape[a], "valid": in1.shape[a] - in2.shape[a] + 1}[mode]
        start = (full - size) // 2
        index[a] = slice(start, start + size)
    return conv[tuple(index)]


def detrend(data: Any, axis: int = -1, type: str = "linear", bp: Any = 0,  # noqa: A002 (scipy's name)
            overwrite_data: None = None) -> Array:
    """``data`` minus its mean (``type="constant"``) or its least-squares line on each piece between breakpoints.

    Args:
        data: the signal(s).
        axis: the axis along which to detrend.
        type: ``"linear"`` (default) or ``"constant"``.
        bp: static breakpoints (indices along ``axis``) splitting the linear fits.

    Raises:
        ValueError: an unknown ``type``, or a breakpoint outside the axis.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.signal as pss
        >>> [round(float(v), 5) for v in pss.detrend(pnp.array([1.0, 3.0, 5.0, 7.0]))]
        [0.0, 0.0, 0.0, 0.0]
    """
    import numpy as np

    if type not in ("constant", "linear"):
        raise ValueError("Trend type must be 'linear' or 'constant'.")
    (data,) = promote_inexact(data)
    if type == "constant":
        return data - pnp.mean(data, axis=axis, keepdims=True)
    moved = pnp.moveaxis(data, axis, -1)
    n = moved.shape[-1]
    breaks = sorted({0, *(int(b) for b in np.atleast_1d(np.asarray(bp)).tolist()), n})
    if breaks[0] < 0 or breaks[-1] > n:
        raise ValueError("Breakpoints must be non-negative and less than length of data along given axis.")
    pieces = []
    for start, stop in zip(breaks[:-1], breaks[1:], strict=True):
        piece = moved[..., start:stop]
        t = pnp.arange(stop - start, dtype=piece.dtype)
        t = t - pnp.mean(t)
        centered = piece - pnp.mean(piece, axis=-1, keepdims=True)
        denominator = pnp.sum(t * t)
        slope = pnp.sum(centered * t, axis=-1, keepdims=True) / pnp.where(denominator > 0, denominator, 1)
        pieces.append(centered - slope * t)
    return pnp.moveaxis(pnp.concatenate(pieces, axis=-1), -1, axis)
