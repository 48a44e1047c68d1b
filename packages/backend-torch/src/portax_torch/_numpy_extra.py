"""Windows, bit packing, gradients, histograms in N dimensions and the last polynomial helpers of portax.numpy on torch.

Each function follows the same-named one of ``jax.numpy`` (JAX 0.10, x64 off): the same values and result dtypes,
tensors in and out. The JAX formula is quoted where the order of operations decides the last bits.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from portax_torch._base_manipulation import ravel_multi_index
from portax_torch._dtypes import DEFAULT_FLOAT, INDEX_DTYPE
from portax_torch._more_common import as_tensor, normalize_axis, promote, to_inexact
from portax_torch._numpy_base import i0, remainder
from portax_torch._numpy_more import _histogram_edges, bincount, convolve, matmul, sort

__all__ = [
    "array_equiv",
    "bartlett",
    "blackman",
    "diag_indices_from",
    "gradient",
    "hamming",
    "hanning",
    "histogram2d",
    "histogram_bin_edges",
    "histogramdd",
    "kaiser",
    "matvec",
    "mod",
    "packbits",
    "poly",
    "polydiv",
    "sort_complex",
    "tril_indices_from",
    "triu_indices_from",
    "unpackbits",
    "vecmat",
]

mod = remainder  # jax.numpy.mod is remainder


# -- windows (jax/_src/numpy/window_functions.py) ----------------------------------------------------------------


def _window_index(M: Any) -> torch.Tensor | None:
    """``iota(M)`` in the default float dtype, or ``None`` when the window is ``ones(M)`` (``M <= 1``)."""
    return None if int(M) <= 1 else torch.arange(int(M), dtype=DEFAULT_FLOAT)


def _ones(M: Any) -> torch.Tensor:
    return torch.ones(max(int(M), 0), dtype=DEFAULT_FLOAT)


def blackman(M: int) -> torch.Tensor:
    n = _window_index(M)
    if n is None:
        return _ones(M)
    return 0.42 - 0.5 * torch.cos(2 * math.pi * n / (M - 1)) + 0.08 * torch.cos(4 * math.pi * n / (M - 1))


def bartlett(M: int) -> torch.Tensor:
    n = _window_index(M)
    if n is None:
        return _ones(M)
    return 1 - torch.abs(2 * n + 1 - M) / (M - 1)


def hamming(M: int) -> torch.Tensor:
    n = _window_index(M)
    if n is None:
        return _ones(M)
    return 0.54 - 0.46 * torch.cos(2 * math.pi * n / (M - 1))


def hanning(M: int) -> torch.Tensor:
    n = _window_index(M)
    if n is None:
        return _ones(M)
    return 0.5 * (1 - torch.cos(2 * math.pi * n / (M - 1)))


def kaiser(M: int, beta: Any) -> torch.Tensor:
    n = _window_index(M)
    if n is None:
        return _ones(M)
    alpha = 0.5 * (M - 1)
    beta = as_tensor(beta)
    return i0(beta * torch.sqrt(1 - ((n - alpha) / alpha) ** 2)) / i0(beta)


# -- indices and comparisons -------------------------------------------------------------------------------------


def diag_indices_from(arr: Any) -> tuple[torch.Tensor, ...]:
    arr = as_tensor(arr)
    if arr.ndim < 2:
        raise ValueError("input array must be at least 2-d")
    if len(set(arr.shape)) != 1:
        raise ValueError("All dimensions of input must be of equal length")
    return (torch.arange(arr.shape[0], dtype=INDEX_DTYPE),) * arr.ndim


def _tri_indices_from(name: str, arr: Any, k: int, upper: bool) -> tuple[torch.Tensor, torch.Tensor]:
    arr = as_tensor(arr)
    if arr.ndim != 2:
        raise ValueError(f"{name} requires a 2-D array, got shape {tuple(arr.shape)}")
    rows, cols = arr.shape
    index = torch.triu_indices if upper else torch.tril_indices
    out = index(rows, cols, offset=int(k))
    return out[0].to(INDEX_DTYPE), out[1].to(INDEX_DTYPE)


def tril_indices_from(arr: Any, k: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return _tri_indices_from("tril_indices_from", arr, k, upper=False)


def triu_indices_from(arr: Any, k: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return _tri_indices_from("triu_indices_from", arr, k, upper=True)


def array_equiv(a1: Any, a2: Any) -> torch.Tensor:
    a1, a2 = as_tensor(a1), as_tensor(a2)
    try:
        shape = torch.broadcast_shapes(a1.shape, a2.shape)
    except RuntimeError:
        return torch.tensor(False)
    a1, a2 = promote(a1, a2)
    return torch.all(a1.broadcast_to(shape) == a2.broadcast_to(shape))


def matvec(x1: Any, x2: Any, /) -> torch.Tensor:
    x1, x2 = as_tensor(x1), as_tensor(x2)
    return matmul(x1, x2.unsqueeze(-1)).squeeze(-1)


def vecmat(x1: Any, x2: Any, /) -> torch.Tensor:
    x1, x2 = as_tensor(x1), as_tensor(x2)
    x1 = torch.conj(x1) if x1.dtype.is_complex else x1
    return matmul(x1.unsqueeze(-2), x2).squeeze(-2)


def sort_complex(a: Any) -> torch.Tensor:
    a = as_tensor(a)
    complex_dtype = torch.complex128 if a.dtype in (torch.float64, torch.complex128) else torch.complex64
    if not a.dtype.is_complex:
        return sort(a).to(complex_dtype)
    # lax.sort of complex numbers: lexicographic on (real, imag) along the last axis
    by_imag = torch.sort(a.imag, dim=-1, stable=True).indices
    a = torch.take_along_dim(a, by_imag, -1)
    by_real = torch.sort(a.real, dim=-1, stable=True).indices
    return torch.take_along_dim(a, by_real, -1)


# -- bits --------------------------------------------------------------------------------------------------------


def packbits(a: Any, axis: int | None = None, bitorder: str = "big") -> torch.Tensor:
    arr = as_tensor(a)
    if arr.dtype.is_floating_point or arr.dtype.is_complex:
        raise TypeError("Expected an input array of integer or boolean data type")
    if bitorder not in ("little", "big"):
        raise ValueError("'order' must be either 'little' or 'big'")
    arr = (arr != 0).to(torch.int32)
    bits = torch.arange(8, dtype=torch.int32)
    if bitorder == "big":
        bits = torch.flip(bits, (0,))
    if axis is None:
        arr, axis = arr.reshape(-1), 0
    arr = arr.movedim(normalize_axis(axis, arr.ndim), -1)
    remainder_ = arr.shape[-1] % 8
    if remainder_:
        arr = torch.nn.functional.pad(arr, (0, 8 - remainder_))
    arr = arr.reshape(*arr.shape[:-1], arr.shape[-1] // 8, 8)
    packed = (arr << bits).sum(-1).to(torch.uint8)
    return packed.movedim(-1, normalize_axis(axis, packed.ndim))


def unpackbits(a: Any, axis: int | None = None, count: int | None = None, bitorder: str = "big") -> torch.Tensor:
    arr = as_tensor(a)
    if arr.dtype != torch.uint8:
        raise TypeError("Expected an input array of unsigned byte data type")
    if bitorder not in ("little", "big"):
        raise ValueError("'order' must be either 'little' or 'big'")
    bits = 1 << torch.arange(8, dtype=torch.int32)
    if bitorder == "big":
        bits = torch.flip(bits, (0,))
    if axis is None:
        arr, axis = arr.reshape(-1), 0
    axis = normalize_axis(axis, arr.ndim)
    arr = arr.movedim(axis, -1).to(torch.int32)
    unpacked = ((arr.unsqueeze(-1) & bits) > 0).to(torch.uint8)
    unpacked = unpacked.reshape(*unpacked.shape[:-2], -1)
    if count is not None:
        if count > unpacked.shape[-1]:
            unpacked = torch.nn.functional.pad(unpacked, (0, count - unpacked.shape[-1]))
        else:
            unpacked = unpacked[..., :count]
    return unpacked.movedim(-1, axis)


# -- calculus and histograms -------------------------------------------------------------------------------------


def _slice(a: torch.Tensor, axis: int, start: int | None, stop: int | None) -> torch.Tensor:
    index = [slice(None)] * a.ndim
    index[axis] = slice(start, stop)
    return a[tuple(index)]


def _gradient_along_axis(a: torch.Tensor, h: torch.Tensor, axis: int) -> torch.Tensor:
    """jax ``gradient_along_axis``: second-order central differences inside, first-order at the edges."""
    upper_edge = _slice(a, axis, 1, 2) - _slice(a, axis, 0, 1)
    lower_edge = _slice(a, axis, -1, None) - _slice(a, axis, -2, -1)
    if h.ndim == 0:
        inner = (_slice(a, axis, 2, None) - _slice(a, axis, None, -2)) * 0.5 / h
        return torch.cat([upper_edge / h, inner, lower_edge / h], axis)
    if h.ndim != 1:
        raise ValueError("Spacing arrays must be 1D arrays or scalars.")
    if h.shape[0] != a.shape[axis]:
        raise ValueError(
            "Spacing arrays must have the same length as the dimension along which the gradient is calculated."
        )
    shape = [1] * a.ndim
    shape[axis] = h.shape[0]
    h = h.reshape(shape)
    upper_edge = upper_edge / (_slice(h, axis, 1, 2) - _slice(h, axis, 0, 1))
    lower_edge = lower_edge / (_slice(h, axis, -1, None) - _slice(h, axis, -2, -1))
    dx1 = _slice(h, axis, 1, -1) - _slice(h, axis, 0, -2)
    dx2 = _slice(h, axis, 2, None) - _slice(h, axis, 1, -1)
    wa = -dx2 / (dx1 * (dx1 + dx2))
    wb = (dx2 - dx1) / (dx1 * dx2)
    wc = dx1 / (dx2 * (dx1 + dx2))
    inner = wa * _slice(a, axis, 0, -2) + wb * _slice(a, axis, 1, -1) + wc * _slice(a, axis, 2, None)
    return torch.cat([upper_edge, inner, lower_edge], axis)


def gradient(f: Any, *varargs: Any, axis: Any = None, edge_order: Any = None) -> Any:
    if edge_order is not None:
        raise NotImplementedError("The 'edge_order' argument to jnp.gradient is not supported.")
    a = to_inexact(as_tensor(f))
    spacing = [to_inexact(as_tensor(h)) for h in varargs]
    if spacing:
        a, *spacing = promote(a, *spacing)
    if axis is None:
        axes = tuple(range(a.ndim))
    else:
        axes = tuple(normalize_axis(i, a.ndim) for i in ((axis,) if isinstance(axis, int) else axis))
    if not axes:
        return []
    if min(a.shape[i] for i in axes) < 2:
        raise ValueError("Shape of array too small to calculate a numerical gradient, at least 2 elements are required.")
    if not spacing:
        spacing = [torch.tensor(1.0, dtype=a.dtype)] * len(axes)
    elif len(spacing) == 1:
        spacing = spacing * len(axes)
    if len(spacing) != len(axes):
        raise TypeError(f"Invalid number of spacing arguments {len(varargs)} for axis={axis}")
    out = [_gradient_along_axis(a, h, ax) for ax, h in zip(axes, spacing, strict=True)]
    return out[0] if len(axes) == 1 else out


def histogram_bin_edges(a: Any, bins: Any = 10, range: Any = None, weights: Any = None) -> torch.Tensor:  # noqa: A002
    if isinstance(bins, str):
        raise NotImplementedError("string values for `bins` not implemented.")
    arr = to_inexact(as_tensor(a))
    if isinstance(bins, torch.Tensor) and bins.ndim == 1:
        return bins.to(arr.dtype)
    return _histogram_edges(arr.reshape(-1), int(bins), range)


def histogramdd(sample: Any, bins: Any = 10, range: Any = None, weights: Any = None,  # noqa: A002
                density: Any = None) -> tuple[torch.Tensor, list[torch.Tensor]]:  # fmt: skip
    sample = to_inexact(as_tensor(sample))
    if weights is not None:
        weights = as_tensor(weights)
        if tuple(weights.shape) != tuple(sample.shape[:1]):
            raise ValueError("should have one weight for each sample.")
        sample, weights = promote(sample, to_inexact(weights))
    n, d = sample.shape
    if range is not None and (len(range) != d or any(r is not None and len(r) != 2 for r in range)):
        raise ValueError(f"For sample.shape={(n, d)}, range must be a sequence of {d} pairs or Nones; got {range=}")
    if isinstance(bins, (int, torch.Tensor)) and not (isinstance(bins, torch.Tensor) and bins.ndim):
        bins_per_dimension = [bins] * d
    else:
        bins_per_dimension = list(bins)
        if len(bins_per_dimension) != d:
            raise ValueError("should be a bin for each dimension.")
    bin_idx, edges = [], []
    for i in builtins_range(d):
        column = sample[:, i].contiguous()
        bin_edges = histogram_bin_edges(column, bins_per_dimension[i], None if range is None else range[i])
        idx = torch.searchsorted(bin_edges.contiguous(), column, right=True)
        bin_idx.append(torch.where(column == bin_edges[-1], idx - 1, idx).to(INDEX_DTYPE))
        edges.append(bin_edges)
    nbins = tuple(e.shape[0] + 1 for e in edges)
    flat = ravel_multi_index(tuple(bin_idx), nbins, mode="clip")
    hist = bincount(flat, weights, length=math.prod(nbins)).reshape(nbins)
    hist = hist[(slice(1, -1),) * d]
    if density:
        hist = hist.to(sample.dtype)
        hist = hist / hist.sum()
        for i, e in enumerate(edges):
            shape = [1] * d
            shape[i] = e.shape[0] - 1
            hist = hist / (e[1:] - e[:-1]).reshape(shape)
    return hist, edges


builtins_range = range


def histogram2d(x: Any, y: Any, bins: Any = 10, range: Any = None, weights: Any = None,  # noqa: A002
                density: Any = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:  # fmt: skip
    x, y = as_tensor(x), as_tensor(y)
    sample = torch.stack(promote(x, y), 1)
    if isinstance(bins, torch.Tensor) and bins.ndim == 1 or isinstance(bins, (int,)):
        bins = [bins, bins]
    hist, edges = histogramdd(sample, bins, range, weights, density)
    return hist, edges[0], edges[1]


# -- polynomials (jax/_src/numpy/polynomial.py) ------------------------------------------------------------------


def poly(seq_of_zeros: Any) -> torch.Tensor:
    zeros = to_inexact(as_tensor(seq_of_zeros))
    zeros = zeros.reshape(1) if zeros.ndim == 0 else zeros
    if zeros.ndim == 2 and zeros.shape[0] == zeros.shape[1] and zeros.shape[0] != 0:
        zeros = torch.linalg.eigvals(zeros)
    if zeros.ndim != 1:
        raise ValueError("input must be 1d or non-empty square 2d array.")
    if zeros.shape[0] == 0:
        return torch.ones((), dtype=zeros.dtype)
    coefficients = torch.ones(1, dtype=zeros.dtype)
    for k in builtins_range(zeros.shape[0]):
        coefficients = convolve(coefficients, torch.stack([torch.ones((), dtype=zeros.dtype), -zeros[k]]))
    return coefficients


def polydiv(u: Any, v: Any, *, trim_leading_zeros: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    u, v = promote(to_inexact(as_tensor(u)), to_inexact(as_tensor(v)))
    m, n = u.shape[0] - 1, v.shape[0] - 1
    scale = 1.0 / v[0]
    quotient = []
    for k in builtins_range(0, m - n + 1):
        d = scale * u[k]
        quotient.append(d)
        u = torch.cat([u[:k], u[k : k + n + 1] - d * v, u[k + n + 1 :]])
    q = torch.stack(quotient) if quotient else torch.zeros(1, dtype=u.dtype)
    if trim_leading_zeros:
        eps = torch.finfo(u.real.dtype if u.dtype.is_complex else u.dtype).eps
        nonzero = torch.nonzero(torch.abs(u) >= math.sqrt(eps))  # jax trim_zeros_tol(u, sqrt(eps), "f")
        u = u[int(nonzero[0]) :] if nonzero.numel() else u[:0]
    return q, u


