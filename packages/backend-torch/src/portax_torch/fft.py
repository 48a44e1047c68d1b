"""portax.numpy.fft on PyTorch, with ``jax.numpy.fft``'s signatures and dtypes (x64 off).

Real and integer inputs are transformed in float32 (complex64 results), as jnp does; ``torch.fft`` would
otherwise keep float64 for float64 tensors, which is also what jnp does with x64 on, so native float64 stays.
"""

from __future__ import annotations

import torch

from portax_torch._common import as_tensor
from portax_torch._dtypes import DEFAULT_FLOAT, to_torch_dtype

__all__ = [
    "fft",
    "ifft",
    "rfft",
    "irfft",
    "hfft",
    "ihfft",
    "fftn",
    "ifftn",
    "rfftn",
    "irfftn",
    "fft2",
    "ifft2",
    "rfft2",
    "irfft2",
    "fftfreq",
    "rfftfreq",
    "fftshift",
    "ifftshift",
]

_NORMS = (None, "backward", "ortho", "forward")


def _prepare(a, norm) -> torch.Tensor:
    if norm not in _NORMS:
        raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or "forward".')
    a = as_tensor(a)
    if not (a.dtype.is_floating_point or a.dtype.is_complex) or a.dtype in (torch.float16, torch.bfloat16):
        a = a.to(DEFAULT_FLOAT)
    return a


def _plain(x: torch.Tensor) -> torch.Tensor:
    # torch.fft may return a lazily conjugated view (ifft of real input); give back an ordinary tensor.
    return x.resolve_conj()


def _real(a: torch.Tensor) -> torch.Tensor:
    # jnp.fft.rfft/ihfft take the real part of complex input (with a ComplexWarning in NumPy).
    return a.real if a.is_complex() else a


def fft(a, n=None, axis=-1, norm=None):
    return _plain(torch.fft.fft(_prepare(a, norm), n=n, dim=axis, norm=norm))


def ifft(a, n=None, axis=-1, norm=None):
    return _plain(torch.fft.ifft(_prepare(a, norm), n=n, dim=axis, norm=norm))


def rfft(a, n=None, axis=-1, norm=None):
    return _plain(torch.fft.rfft(_real(_prepare(a, norm)), n=n, dim=axis, norm=norm))


def irfft(a, n=None, axis=-1, norm=None):
    return _plain(torch.fft.irfft(_prepare(a, norm), n=n, dim=axis, norm=norm))


def hfft(a, n=None, axis=-1, norm=None):
    return _plain(torch.fft.hfft(_prepare(a, norm), n=n, dim=axis, norm=norm))


def ihfft(a, n=None, axis=-1, norm=None):
    return _plain(torch.fft.ihfft(_real(_prepare(a, norm)), n=n, dim=axis, norm=norm))


def _axes(s, axes):
    if axes is not None:
        axes = (axes,) if isinstance(axes, int) else tuple(axes)
    if s is not None:
        s = (s,) if isinstance(s, int) else tuple(s)
        if axes is not None and len(s) != len(axes):
            raise ValueError("Shape and axes have different lengths.")
    return s, axes


def fftn(a, s=None, axes=None, norm=None):
    s, axes = _axes(s, axes)
    return _plain(torch.fft.fftn(_prepare(a, norm), s=s, dim=axes, norm=norm))


def ifftn(a, s=None, axes=None, norm=None):
    s, axes = _axes(s, axes)
    return _plain(torch.fft.ifftn(_prepare(a, norm), s=s, dim=axes, norm=norm))


def rfftn(a, s=None, axes=None, norm=None):
    s, axes = _axes(s, axes)
    return _plain(torch.fft.rfftn(_real(_prepare(a, norm)), s=s, dim=axes, norm=norm))


def irfftn(a, s=None, axes=None, norm=None):
    s, axes = _axes(s, axes)
    return _plain(torch.fft.irfftn(_prepare(a, norm), s=s, dim=axes, norm=norm))


def fft2(a, s=None, axes=(-2, -1), norm=None):
    return fftn(a, s, axes, norm)


def ifft2(a, s=None, axes=(-2, -1), norm=None):
    return ifftn(a, s, axes, norm)


def rfft2(a, s=None, axes=(-2, -1), norm=None):
    return rfftn(a, s, axes, norm)


def irfft2(a, s=None, axes=(-2, -1), norm=None):
    return irfftn(a, s, axes, norm)


def _freq_dtype(dtype) -> torch.dtype:
    dtype = to_torch_dtype(dtype)
    return DEFAULT_FLOAT if dtype is None else dtype


def fftfreq(n, d=1.0, *, dtype=None, device=None):
    if not isinstance(n, int):
        raise ValueError(f"The n argument of jax.numpy.fft.fftfreq only takes an int. Got n = {n}.")
    dtype = _freq_dtype(dtype)
    k = torch.cat([torch.arange(0, (n - 1) // 2 + 1), torch.arange(-(n // 2), 0)]).to(dtype)
    return k / (as_tensor(d).to(dtype) * n) if n else k


def rfftfreq(n, d=1.0, *, dtype=None, device=None):
    if not isinstance(n, int):
        raise ValueError(f"The n argument of jax.numpy.fft.rfftfreq only takes an int. Got n = {n}.")
    dtype = _freq_dtype(dtype)
    k = torch.arange(0, n // 2 + 1).to(dtype)
    return k / (as_tensor(d).to(dtype) * n) if n else k


def _shift_axes(x: torch.Tensor, axes) -> tuple[int, ...]:
    if axes is None:
        return tuple(range(x.ndim))
    return (axes,) if isinstance(axes, int) else tuple(axes)


def fftshift(x, axes=None):
    x = as_tensor(x)
    dims = _shift_axes(x, axes)
    return torch.roll(x, shifts=[x.shape[d] // 2 for d in dims], dims=dims) if dims else x.clone()


def ifftshift(x, axes=None):
    x = as_tensor(x)
    dims = _shift_axes(x, axes)
    return torch.roll(x, shifts=[-(x.shape[d] // 2) for d in dims], dims=dims) if dims else x.clone()
