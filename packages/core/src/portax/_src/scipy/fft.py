"""``portax.scipy.fft``: JAX's discrete cosine transforms (jax/_src/scipy/fft.py, 0.10) on every backend.

Written once over ``portax.numpy``: the DCT-II of length ``N`` is one complex FFT of the even/odd interleaved input
(Makhoul's algorithm, as JAX), the inverse one inverse FFT and the de-interleave. Only ``type=2`` exists, as in JAX
(other types raise JAX's ``NotImplementedError``). A multi-axis transform applies the 1-D transform axis by axis (the
DCT is separable; JAX's two-axis shortcut gives the same values to float rounding). On JAX these are ``jax.scipy.fft``'s own (the backend's
``scipy`` hook module).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import portax.numpy as pnp
from portax._src.scipy._native import backend_for, creating_on, native
from portax._src.scipy.special import promote_inexact

Array = Any
_NORMS = (None, "backward", "ortho")


def _check(name: str, type: int, norm: str | None) -> None:  # noqa: A002 (scipy's name)
    if type != 2:
        raise NotImplementedError(f"portax.scipy.fft.{name}: only DCT type 2 is implemented (as in JAX), got {type=}.")
    if norm not in _NORMS:
        raise ValueError(f"portax.scipy.fft.{name}: {norm=!r} is not implemented; use None, 'backward' or 'ortho'.")


def _as_array(x: Any) -> Array:
    backend = backend_for(x)
    if backend.owns(x):
        return x
    with creating_on(backend):
        return pnp.asarray(x)


def _complex(real: Array, imag: Array) -> Array:
    """``real + 1j * imag`` (of the matching complex dtype; plain arithmetic, so torch's compiler traces it)."""
    return real + imag * 1j


def _zero_pad(x: Array, axis: int, before: int, after: int) -> Array:
    """``x`` with zeros added along ``axis`` (a concatenation: traced by every backend's compiler)."""

    def zeros(count: int) -> Array:
        shape = list(x.shape)
        shape[axis] = count
        with creating_on(backend_for(x)):
            return pnp.zeros(tuple(shape), dtype=x.dtype)

    pieces = ([zeros(before)] if before else []) + [x] + ([zeros(after)] if after else [])
    return x if len(pieces) == 1 else pnp.concatenate(pieces, axis=axis)


def _split_complex(function: Any, x: Array, **kwargs: Any) -> Array | None:
    """JAX transforms a complex input's real and imaginary parts separately."""
    if not pnp.iscomplexobj(x):
        return None
    return _complex(function(pnp.real(x), **kwargs), function(pnp.imag(x), **kwargs))


def _resize(x: Array, n: int | None, axis: int) -> Array:
    """Zero-pad or truncate ``x`` to length ``n`` along ``axis`` (JAX's ``lax.pad`` with a possibly negative pad)."""
    if n is None or n == x.shape[axis]:
        return x
    n = operator.index(n)
    if n < 1:
        raise ValueError(f"invalid number of data points ({n}) specified; it must be at least 1.")
    if n < x.shape[axis]:
        index = [slice(None)] * x.ndim
        index[axis] = slice(0, n)
        return x[tuple(index)]
    return _zero_pad(x, axis, 0, n - x.shape[axis])


def _along(values: Array, like: Array, axis: int) -> Array:
    """A 1-D array shaped to broadcast along ``axis`` of ``like``."""
    shape = [1] * like.ndim
    shape[axis] = values.shape[0]
    return pnp.reshape(values, tuple(shape))


def _frequencies(size: int, like: Array) -> Array:
    """``0, 1, ..., size - 1`` in ``like``'s dtype, on its backend (traced like any op: no host tables)."""
    with creating_on(backend_for(like)):
        return pnp.arange(size, dtype=like.dtype)


def _interleave(x: Array, axis: int) -> Array:
    """``v = [x0, x2, x4, ..., x5, x3, x1]`` along ``axis`` (JAX's ``_dct_interleave``)."""
    evens = [slice(None)] * x.ndim
    odds = [slice(None)] * x.ndim
    evens[axis], odds[axis] = slice(0, None, 2), slice(1, None, 2)
    return pnp.concatenate([x[tuple(evens)], pnp.flip(x[tuple(odds)], axis=axis)], axis=axis)


def _deinterleave(v: Array, axis: int) -> Array:
    """The inverse of :func:`_interleave`: ``x[2i] = v[i]``, ``x[2i + 1] = v[n - 1 - i]``."""
    v = pnp.moveaxis(v, axis, -1)
    n = v.shape[-1]
    half = (n + 1) // 2
    evens, odds = v[..., :half], pnp.flip(v[..., half:], axis=-1)
    if n % 2:
        odds = pnp.concatenate([odds, pnp.zeros_like(evens[..., :1])], axis=-1)
    pairs = pnp.stack([evens, odds], axis=-1)
    x = pnp.reshape(pairs, tuple(v.shape[:-1]) + (2 * half,))[..., :n]
    return pnp.moveaxis(x, -1, axis)


def _ortho_factor(size: int, like: Array) -> Array:
    """``1 / sqrt(f_k size)`` with ``f_0 = 4`` and ``f_k = 2`` otherwise (JAX's ``_dct_ortho_norm``)."""
    k = _frequencies(size, like)
    return 1.0 / pnp.sqrt(pnp.where(k == 0, 4.0 * size, 2.0 * size))


def dct(x: Any, type: int = 2, n: int | None = None, axis: int = -1,  # noqa: A002 (scipy's name)
        norm: str | None = None) -> Array:
    """The discrete cosine transform (type II) of ``x`` along ``axis`` (``jax.scipy.fft.dct``).

    Args:
        x: the input (ints promote to the default float; complex inputs transform real and imaginary parts).
        type: the DCT type; only 2, as in JAX.
        n: the transform length (``x`` zero-padded or truncated to it); default ``x.shape[axis]``.
        axis: the axis to transform.
        norm: ``None``/``"backward"`` (unnormalized) or ``"ortho"`` (orthonormal).

    Returns:
        The transform, of ``x``'s inexact dtype.

    Raises:
        NotImplementedError: ``type`` other than 2.
        ValueError: another ``norm``.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.fft as psf
        >>> [round(float(v), 4) for v in psf.dct(pnp.array([1.0, 2.0, 3.0]))]
        [12.0, -3.4641, 0.0]
    """
    _check("dct", type, norm)
    x = _as_array(x)
    if (function := native(backend_for(x), "dct")) is not None:
        return function(x, type=type, n=n, axis=axis, norm=norm)
    if (split := _split_complex(dct, x, n=n, axis=axis, norm=norm)) is not None:
        return split
    (x,) = promote_inexact(x)
    axis = _axis(axis, x.ndim)
    x = _resize(x, n, axis)
    size = x.shape[axis]
    spectrum = pnp.fft.fft(_interleave(x, axis), axis=axis)
    angle = _along(-0.5 * math.pi / size * _frequencies(size, x), x, axis)  # 2 Re(V exp(-i pi k / 2N))
    out = 2 * (pnp.real(spectrum) * pnp.cos(angle) - pnp.imag(spectrum) * pnp.sin(angle))
    if norm == "ortho":
        out = out * _along(_ortho_factor(size, x), x, axis)
    return out


def idct(x: Any, type: int = 2, n: int | None = None, axis: int = -1,  # noqa: A002 (scipy's name)
         norm: str | None = None) -> Array:
    """The inverse of :func:`dct` (a DCT of type III) along ``axis`` (``jax.scipy.fft.idct``).

    Args:
        x: the coefficients.
        type: the DCT type whose inverse to take; only 2, as in JAX.
        n: the transform length (``x`` zero-padded or truncated to it); default ``x.shape[axis]``.
        axis: the axis to transform.
        norm: ``None``/``"backward"`` or ``"ortho"``, as given to :func:`dct`.

    Raises:
        NotImplementedError: ``type`` other than 2.
        ValueError: another ``norm``.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.fft as psf
        >>> x = pnp.array([1.0, 2.0, 3.0])
        >>> [round(float(v), 4) for v in psf.idct(psf.dct(x))]
        [1.0, 2.0, 3.0]
    """
    _check("idct", type, norm)
    x = _as_array(x)
    if (function := native(backend_for(x), "idct")) is not None:
        return function(x, type=type, n=n, axis=axis, norm=norm)
    if (split := _split_complex(idct, x, n=n, axis=axis, norm=norm)) is not None:
        return split
    (x,) = promote_inexact(x)
    axis = _axis(axis, x.ndim)
    x = _resize(x, n, axis)
    size = x.shape[axis]
    # x / W4 * 2N after the orthonormal scaling (twice for "backward"), as JAX's idct; W4 = exp(-i pi k / 2N)
    ortho = _ortho_factor(size, x)
    scale = (ortho if norm == "ortho" else ortho * ortho) * (2 * size)
    angle = _along(0.5 * math.pi / size * _frequencies(size, x), x, axis)
    scaled = x * _along(scale, x, axis)
    rotated = _complex(scaled * pnp.cos(angle), scaled * pnp.sin(angle))
    return _deinterleave(pnp.real(pnp.fft.ifft(rotated, axis=axis)), axis)


def _axis(axis: int, ndim: int) -> int:
    axis = operator.index(axis)
    if not -ndim <= axis < max(ndim, 1):
        from portax._src.errors import AxisError

        raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % max(ndim, 1)


def _axes_and_shape(name: str, x: Array, s: Any, axes: Any) -> tuple[tuple[int, ...], list[int] | None]:
    """JAX's ``s``/``axes`` rules: ``s`` alone transforms the last ``len(s)`` axes, neither transforms all."""
    if s is not None:
        try:
            s = [operator.index(v) for v in s]
        except TypeError:
            s = [operator.index(s)]
        if len(s) > x.ndim:
            raise ValueError(f"s must have at most x.ndim ({x.ndim}) elements, got {len(s)}")
    if axes is None:
        axes = tuple(range(x.ndim - len(s), x.ndim)) if s is not None else tuple(range(x.ndim))
    else:
        axes = tuple(_axis(a, x.ndim) for a in ((axes,) if isinstance(axes, int) else axes))
        if len(set(axes)) != len(axes):
            raise ValueError(f"portax.scipy.fft.{name}: repeated axis in axes={axes}")
    return axes, s


def dctn(x: Any, type: int = 2, s: Sequence[int] | None = None,  # noqa: A002 (scipy's name)
         axes: Sequence[int] | None = None, norm: str | None = None) -> Array:
    """The multidimensional DCT-II over ``axes`` (``jax.scipy.fft.dctn``).

    Args:
        x: the input.
        type: only 2, as in JAX.
        s: the transform shape along ``axes`` (zero-padding or truncating ``x``).
        axes: the axes to transform; default the last ``len(s)`` axes, or all axes without ``s``.
        norm: ``None``/``"backward"`` or ``"ortho"``.

    Raises:
        NotImplementedError: ``type`` other than 2.
        ValueError: another ``norm``, or ``s`` longer than ``x.ndim``.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.fft as psf
        >>> [[round(float(v), 3) for v in row] for row in psf.dctn(pnp.array([[1.0, 2.0], [3.0, 4.0]]))]
        [[40.0, -5.657], [-11.314, 0.0]]
    """
    return _nd("dctn", dct, x, type, s, axes, norm)


def idctn(x: Any, type: int = 2, s: Sequence[int] | None = None,  # noqa: A002 (scipy's name)
          axes: Sequence[int] | None = None, norm: str | None = None) -> Array:
    """The inverse of :func:`dctn` over ``axes`` (``jax.scipy.fft.idctn``).

    Raises:
        NotImplementedError: ``type`` other than 2.
        ValueError: another ``norm``, or ``s`` longer than ``x.ndim``.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.fft as psf
        >>> x = pnp.array([[1.0, 2.0], [3.0, 4.0]])
        >>> [[round(float(v), 4) for v in row] for row in psf.idctn(psf.dctn(x, norm="ortho"), norm="ortho")]
        [[1.0, 2.0], [3.0, 4.0]]
    """
    return _nd("idctn", idct, x, type, s, axes, norm)


def _nd(name: str, one_axis: Any, x: Any, type: int, s: Any, axes: Any, norm: str | None) -> Array:  # noqa: A002
    _check(name, type, norm)
    x = _as_array(x)
    axes, s = _axes_and_shape(name, x, s, axes)
    if (function := native(backend_for(x), name)) is not None:
        return function(x, type=type, s=s, axes=axes, norm=norm)
    sizes = dict(zip(axes, s, strict=False)) if s is not None else {}  # JAX zips axes and s without a length check
    for axis in axes:
        x = one_axis(x, n=sizes.get(axis), axis=axis, norm=norm)
    return x
