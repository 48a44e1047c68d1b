"""Statistics of portax.numpy on torch (``quantile``, ``median``, ``histogram``, ``cov``, ...)."""

from __future__ import annotations

import math
from typing import Any

import torch
from portax.errors import UnsupportedError

from portax_torch._common import as_tensor, is_inexact, normalize_axis, promote, to_inexact
from portax_torch._dtypes import (
    DEFAULT_INT,
    INDEX_DTYPE,
    to_torch_dtype,
)
from portax_torch.manipulation import ravel_multi_index


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


def bincount(x, weights=None, minlength=0, *, length=None, out_sharding=None):
    x = as_tensor(x)
    if is_inexact(x.dtype) or x.dtype == torch.bool and False:
        raise TypeError(f"x argument to bincount must have an integer type; got {x.dtype}")
    if x.ndim != 1:
        raise ValueError("only 1-dimensional input supported.")
    if x.dtype in (torch.uint16, torch.uint32, torch.uint64):  # no torch max kernel; bins are int64 positions anyway
        x = x.to(torch.int64)
    if length is None:
        length = max(int(minlength), int(x.max()) + 1 if x.numel() else 0)
    else:
        length = int(length)
    if weights is None:
        weights = torch.ones(x.shape, dtype=DEFAULT_INT, device=x.device)
    else:
        weights = torch.broadcast_to(as_tensor(weights), x.shape)
    # JAX (jnp.bincount): negative values count in bin 0, values >= length are dropped.
    idx = x.to(torch.int64).clamp(min=0).clamp(max=length)
    return torch.zeros(length + 1, dtype=weights.dtype, device=x.device).index_add(0, idx, weights)[:length]


def _histogram_edges(a, bins, range_):
    if isinstance(bins, int) or (isinstance(bins, torch.Tensor) and bins.ndim == 0):
        nbins = int(bins)
        if range_ is None:
            lo = a.min() if a.numel() else torch.tensor(0.0)
            hi = a.max() if a.numel() else torch.tensor(1.0)
        else:
            lo, hi = (as_tensor(r) for r in range_)
        lo = lo.to(a.dtype)
        hi = hi.to(a.dtype)
        equal = lo == hi
        lo = torch.where(equal, lo - 0.5, lo)
        hi = torch.where(equal, hi + 0.5, hi)
        steps = torch.arange(nbins, dtype=a.dtype) / nbins
        # The last edge is exactly ``hi`` (as linspace gives), so the maximum lands in the last bin.
        return torch.cat([lo + (hi - lo) * steps, hi.reshape(1)])
    return as_tensor(bins)


def histogram(a, bins=10, range=None, weights=None, density=None):
    a = to_inexact(as_tensor(a)).reshape(-1)
    edges = _histogram_edges(a, bins, range)
    a, edges = promote(a, edges)
    if weights is None:
        weights = torch.ones_like(a)
    else:
        weights = (
            as_tensor(weights).reshape(-1).to(a.dtype)
            if not is_inexact(as_tensor(weights).dtype)
            else (as_tensor(weights).reshape(-1))
        )
    # JAX (jnp.histogram): bin by searchsorted(side="right"); the last edge belongs to the last bin.
    nedges = edges.shape[0]
    idx = torch.searchsorted(edges, a.contiguous(), right=True)
    idx = torch.where(a == edges[-1], nedges - 1, idx)
    counts = torch.zeros(nedges + 1, dtype=weights.dtype).index_add(0, idx, weights)[1:nedges]
    if density:
        widths = edges[1:] - edges[:-1]
        counts = counts / widths / counts.sum()
    return counts, edges


def _reduce_axes(a: torch.Tensor, axis):
    """``a`` with the reduced axes moved to the end and flattened into one; and the kept shape for keepdims."""
    if axis is None:
        axes = tuple(builtins_range(a.ndim))
    elif isinstance(axis, int):
        axes = (normalize_axis(axis, a.ndim),)
    else:
        axes = tuple(normalize_axis(ax, a.ndim) for ax in axis)
    kept = [d for d in builtins_range(a.ndim) if d not in axes]
    moved = a.permute(*kept, *axes) if a.ndim else a.reshape(1)
    reduced = 1
    for d in axes:
        reduced *= a.shape[d]
    # The reduced size spelled out (not -1): a zero-size kept axis makes -1 ambiguous (median of (3, 0) over axis 0).
    flat = moved.reshape(tuple(a.shape[d] for d in kept) + (reduced,)) if a.ndim else moved
    keep_shape = tuple(1 if d in axes else a.shape[d] for d in builtins_range(a.ndim))
    return flat, keep_shape


def _quantile(a, q, axis, method, keepdims, ignore_nan):
    a = to_inexact(as_tensor(a))
    q = as_tensor(q, dtype=a.dtype) if not isinstance(q, torch.Tensor) else q.to(a.dtype)
    if q.ndim > 1:
        raise ValueError(f"q must be have rank <= 1, got shape {tuple(q.shape)}")
    if method not in ("linear", "lower", "higher", "nearest", "midpoint"):
        raise ValueError(f"method={method!r} not recognized")
    flat, keep_shape = _reduce_axes(a, axis)
    n_total = flat.shape[-1]
    batch = flat.shape[:-1]
    if n_total == 0 and not (ignore_nan and 0 in batch):
        # jax 0.10 raises for a quantile over an empty axis (its gather from the sorted values is out of range):
        # TypeError, IndexError for a nan-quantile with a 0-d result; a nan-quantile with an empty result is empty.
        raise (IndexError if ignore_nan and not batch else TypeError)(
            f"quantile over an empty axis (shape {tuple(a.shape)}, axis {axis}): jax.numpy raises here; check the "
            "size first (numpy gives nan)"
        )
    values = torch.sort(flat, dim=-1).values  # NaNs sort last
    nan_mask = torch.isnan(flat)
    if ignore_nan:
        count = (~nan_mask).sum(-1, keepdim=True).to(a.dtype)
    else:
        count = torch.full(flat.shape[:-1] + (1,), float(n_total), dtype=a.dtype)
    qs = q.reshape(q.shape + (1,) * (flat.ndim))  # q dims, then batch dims, then the reduced axis
    pos = qs * (count - 1)
    low = torch.floor(pos)
    high = torch.ceil(pos)
    if method == "lower":
        pos = low
    elif method == "higher":
        pos = high
    elif method == "nearest":
        # JAX (jnp.quantile): the lower neighbour unless the fraction is above one half.
        pos = torch.where(pos - low <= 0.5, low, high)
    max_index = torch.clamp(count - 1, min=0)

    def gather(p):
        p = torch.minimum(torch.clamp(p, min=0), max_index).to(torch.int64)
        shape = torch.broadcast_shapes(p.shape, q.shape + values.shape[:-1] + (1,))
        return (
            torch.gather(values.expand(q.shape + values.shape), -1, p.expand(shape))
            if n_total
            else (torch.full(shape, float("nan"), dtype=a.dtype))
        )

    if method == "linear":
        lo_v, hi_v = gather(low), gather(high)
        frac = pos - low
        result = lo_v + (hi_v - lo_v) * frac
        result = torch.where(high == low, lo_v, result)
    elif method == "midpoint":
        result = (gather(low) + gather(high)) * 0.5
    else:
        result = gather(pos)
    result = result.squeeze(-1)
    if ignore_nan:
        result = torch.where(count.squeeze(-1) == 0, torch.nan, result)
    else:
        result = torch.where(nan_mask.any(-1), torch.nan, result)
    if keepdims:
        result = result.reshape(q.shape + keep_shape)
    return result


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None):
    if weights is not None:
        raise UnsupportedError("torch", "portax.numpy.quantile(weights=...)", "use the jax backend for weighted quantiles, "
                               "or sort the data and take the weighted cumulative sum yourself")
    return _quantile(a, q, axis, method, keepdims, ignore_nan=False)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None):
    if weights is not None:
        raise UnsupportedError("torch", "portax.numpy.nanquantile(weights=...)", "use the jax backend for weighted quantiles, "
                               "or sort the data and take the weighted cumulative sum yourself")
    return _quantile(a, q, axis, method, keepdims, ignore_nan=True)


def percentile(
    a,
    q,
    axis=None,
    out=None,
    overwrite_input=False,
    method="linear",
    keepdims=False,
    *,
    weights=None,
    out_sharding=None,
):
    q = as_tensor(q)
    return quantile(a, to_inexact(q) / 100, axis, out, overwrite_input, method, keepdims, weights=weights)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None):
    q = as_tensor(q)
    return nanquantile(a, to_inexact(q) / 100, axis, out, overwrite_input, method, keepdims, weights=weights)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _quantile(a, 0.5, axis, "midpoint", keepdims, ignore_nan=False)


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _quantile(a, 0.5, axis, "midpoint", keepdims, ignore_nan=True)


def average(a, axis=None, weights=None, returned=False, keepdims=False):
    a = to_inexact(as_tensor(a))
    if isinstance(axis, list):
        axis = tuple(axis)
    dims = axis if axis is not None else tuple(builtins_range(a.ndim))
    if weights is None:
        avg = torch.mean(a, dim=dims, keepdim=keepdims) if a.ndim else a.clone()
        count = a.numel() // max(avg.numel(), 1) if not keepdims else a.numel() // max(avg.numel(), 1)
        weights_sum = torch.full(avg.shape, float(count), dtype=avg.dtype)
    else:
        a, weights = promote(a, weights)
        if weights.shape != a.shape:
            if axis is None:
                raise ValueError("Axis must be specified when shapes of a and weights differ.")
            if not isinstance(axis, int) or weights.ndim != 1:
                raise ValueError("1D weights expected when shapes of a and weights differ.")
            ax = normalize_axis(axis, a.ndim)
            if weights.shape[0] != a.shape[ax]:
                raise ValueError("Length of weights not compatible with specified axis.")
            shape = [1] * a.ndim
            shape[ax] = -1
            weights = weights.reshape(shape)
        weights = torch.broadcast_to(weights, a.shape)
        weights_sum = torch.sum(weights, dim=dims, keepdim=keepdims) if a.ndim else weights
        avg = (torch.sum(a * weights, dim=dims, keepdim=keepdims) if a.ndim else a * weights) / weights_sum
    if returned:
        return avg, torch.broadcast_to(weights_sum, avg.shape)
    return avg


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
    m = as_tensor(m)
    if m.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    x = m.reshape(1, -1) if m.ndim < 2 else m
    x = to_inexact(x)
    dtype = to_torch_dtype(dtype)
    if dtype is not None:
        x = x.to(dtype)
    if not rowvar and x.shape[0] != 1:
        x = x.T
    if x.shape[0] == 0:
        return torch.zeros((0, 0), dtype=x.dtype)
    if y is not None:
        yy = to_inexact(as_tensor(y))
        yy = yy.reshape(1, -1) if yy.ndim < 2 else yy
        if not rowvar and yy.shape[0] != 1:
            yy = yy.T
        x, yy = promote(x, yy)
        x = torch.cat([x, yy], dim=0)
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    if fweights is not None:
        w = as_tensor(fweights).to(x.dtype)
    if aweights is not None:
        aw = as_tensor(aweights).to(x.dtype)
        w = aw if w is None else w * aw
    if w is None:
        avg = x.mean(dim=1)
        w_sum = torch.tensor(float(x.shape[1]), dtype=x.dtype)
        fact = w_sum - ddof
    else:
        w_sum = w.sum()
        avg = (x * w).sum(dim=1) / w_sum
        if ddof == 0:
            fact = w_sum
        elif aweights is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * torch.sum(w * as_tensor(aweights).to(x.dtype)) / w_sum
    fact = torch.clamp(fact, min=0) if not torch.is_complex(fact) else fact
    xc = x - avg[:, None]
    xw = xc if w is None else xc * w
    c = torch.matmul(xw, xc.T.conj()) / fact
    return c.squeeze()


def corrcoef(x, y=None, rowvar=True, dtype=None):
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = torch.diagonal(c)
    stddev = torch.sqrt(d.real) if d.is_complex() else torch.sqrt(d)
    c = c / stddev[:, None] / stddev[None, :]
    if c.is_complex():
        return torch.complex(c.real.clamp(-1, 1), c.imag.clamp(-1, 1))
    return c.clamp(-1, 1)
