"""Set operations of portax.numpy on torch (``unique``, ``isin``, ``intersect1d``, ...)."""

from __future__ import annotations

from typing import Any, NamedTuple

import torch

from portax_torch._common import as_tensor, is_inexact, normalize_axis, promote
from portax_torch._dtypes import (
    INDEX_DTYPE,
)
from portax_torch.indexing import _masked_positions
from portax_torch.sorting import _lexsort_values, sort_1d


def _pad_to_size(x: torch.Tensor, size: int, fill) -> torch.Tensor:
    """The first ``size`` entries of 1-D ``x``, padded with ``fill``."""
    if x.shape[0] >= size:
        return x[:size]
    pad = torch.full((size - x.shape[0],), 0, dtype=x.dtype, device=x.device)
    pad = pad + torch.as_tensor(fill, dtype=x.dtype) if not isinstance(fill, torch.Tensor) else pad + fill.to(x.dtype)
    return torch.cat([x, pad])


class _UniqueAllResult(NamedTuple):
    values: Any
    indices: Any
    inverse_indices: Any
    counts: Any


class _UniqueCountsResult(NamedTuple):
    values: Any
    counts: Any


class _UniqueInverseResult(NamedTuple):
    values: Any
    inverse_indices: Any


def _unique_1d(flat, equal_nan, size, fill_value):
    """(values, first index, inverse, counts) of a 1-D tensor, padded to ``size`` as in jnp.unique."""
    n = flat.shape[0]
    if n == 0:
        empty = torch.zeros(0, dtype=INDEX_DTYPE)
        values = flat
        if size is not None:
            values = _pad_to_size(flat, size, 0 if fill_value is None else fill_value)
            empty = torch.zeros(size, dtype=INDEX_DTYPE)
        return values, empty, torch.zeros(0, dtype=INDEX_DTYPE), empty
    if flat.dtype.is_complex:
        sorted_values, perm = _lexsort_values(flat, 0, False)
    else:
        sorted_values, perm = torch.sort(flat, stable=True)
    differs = sorted_values[1:] != sorted_values[:-1]
    if equal_nan and is_inexact(flat.dtype):
        differs = differs & ~(torch.isnan(sorted_values[1:]) & torch.isnan(sorted_values[:-1]))
    is_first = torch.cat([torch.ones(1, dtype=torch.bool, device=flat.device), differs])
    group = torch.cumsum(is_first.to(torch.int64), 0) - 1
    inverse = torch.empty_like(group).scatter(0, perm, group)
    if size is None:
        starts = torch.nonzero(is_first).reshape(-1)
        values = sorted_values[starts]
        index = perm[starts]
        ends = torch.cat([starts[1:], torch.tensor([n], device=flat.device)])
        counts = ends - starts
    else:
        starts = _masked_positions(is_first, size, n)
        valid = starts < n
        safe = starts.clamp(max=n - 1)
        fill = sorted_values[0] if fill_value is None else torch.as_tensor(fill_value, dtype=flat.dtype)
        values = torch.where(valid, sorted_values[safe], fill)
        index = torch.where(valid, perm[safe], perm[0])
        counts = torch.zeros(size + 1, dtype=torch.int64, device=flat.device).index_add(
            0, group.clamp(max=size), torch.ones_like(group)
        )[:size]
    return values, index.to(INDEX_DTYPE), inverse.to(INDEX_DTYPE), counts.to(INDEX_DTYPE)


def unique(
    ar,
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    *,
    equal_nan=True,
    size=None,
    fill_value=None,
    sorted=True,
):
    ar = as_tensor(ar)
    if axis is None:
        values, index, inverse, counts = _unique_1d(ar.reshape(-1), equal_nan, size, fill_value)
        inverse = inverse.reshape(ar.shape)
    else:
        axis = normalize_axis(axis, ar.ndim)
        values, inverse, counts = torch.unique(ar, sorted=True, return_inverse=True, return_counts=True, dim=axis)
        positions = torch.arange(ar.shape[axis], device=ar.device)
        index = torch.full((values.shape[axis],), ar.shape[axis], dtype=torch.int64).scatter_reduce(
            0, inverse, positions, reduce="amin"
        )
        index, inverse, counts = index.to(INDEX_DTYPE), inverse.to(INDEX_DTYPE), counts.to(INDEX_DTYPE)
        if size is not None:
            k = values.shape[axis]
            if k >= size:
                values = values.narrow(axis, 0, size)
                index, counts = index[:size], counts[:size]
            else:
                pad_shape = list(values.shape)
                pad_shape[axis] = size - k
                fill = values.narrow(axis, 0, 1) if fill_value is None else torch.as_tensor(fill_value, dtype=ar.dtype)
                values = torch.cat([values, torch.broadcast_to(fill, pad_shape)], dim=axis)
                index = _pad_to_size(index, size, 0)
                counts = _pad_to_size(counts, size, 0)
    outs = [values]
    if return_index:
        outs.append(index)
    if return_inverse:
        outs.append(inverse)
    if return_counts:
        outs.append(counts)
    return outs[0] if len(outs) == 1 else tuple(outs)


def unique_all(x, /, *, size=None, fill_value=None):
    values, index, inverse, counts = unique(x, True, True, True, equal_nan=False, size=size, fill_value=fill_value)
    return _UniqueAllResult(values, index, inverse, counts)


def unique_counts(x, /, *, size=None, fill_value=None):
    values, counts = unique(x, return_counts=True, equal_nan=False, size=size, fill_value=fill_value)
    return _UniqueCountsResult(values, counts)


def unique_inverse(x, /, *, size=None, fill_value=None):
    values, inverse = unique(x, return_inverse=True, equal_nan=False, size=size, fill_value=fill_value)
    return _UniqueInverseResult(values, inverse)


def unique_values(x, /, *, size=None, fill_value=None):
    return unique(x, equal_nan=False, size=size, fill_value=fill_value)


def isin(element, test_elements, assume_unique=False, invert=False, *, method="auto"):
    element, test_elements = promote(element, test_elements)
    if element.dtype in (torch.bool, torch.uint16, torch.uint32):  # no torch isin kernel: int64 keeps equality
        element, test_elements = element.to(torch.int64), test_elements.to(torch.int64)
    elif element.dtype is torch.uint64:
        element, test_elements = element.view(torch.int64), test_elements.view(torch.int64)
    if element.is_complex():
        result = (element.unsqueeze(-1) == test_elements.reshape(-1)).any(-1)
    else:
        result = torch.isin(element, test_elements)
    return ~result if invert else result


def _compact(values: torch.Tensor, keep: torch.Tensor, size, fill_value, default_fill) -> torch.Tensor:
    if size is None:
        return values[keep]
    n = values.shape[0]
    if n == 0:
        return _pad_to_size(values, size, 0 if fill_value is None else fill_value)
    pos = _masked_positions(keep, size, n)
    fill = default_fill if fill_value is None else torch.as_tensor(fill_value, dtype=values.dtype)
    return torch.where(pos < n, values[pos.clamp(max=n - 1)], fill)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False, *, size=None, fill_value=None):
    ar1, ar2 = promote(ar1, ar2)
    v1, i1, _, _ = _unique_1d(ar1.reshape(-1), True, None, None)
    v2, i2, _, _ = _unique_1d(ar2.reshape(-1), True, None, None)
    both = torch.cat([v1, v2])
    idx = torch.cat([i1, i2])
    sorted_both, perm = sort_1d(both)
    idx = idx[perm]
    keep = sorted_both[1:] == sorted_both[:-1]
    values = sorted_both[:-1]
    fill_default = values[keep][:1] if size is None else None
    n = values.shape[0]
    if size is not None and n:
        first = _masked_positions(keep, 1, n)[0]
        fill_default = values[first.clamp(max=n - 1)]
    result = _compact(values, keep, size, fill_value, fill_default)
    if not return_indices:
        return result
    ind1 = _compact(idx[:-1], keep, size, 0, 0)
    ind2 = _compact(idx[1:], keep, size, 0, 0)
    return result, ind1.to(INDEX_DTYPE), ind2.to(INDEX_DTYPE)


def union1d(ar1, ar2, *, size=None, fill_value=None):
    ar1, ar2 = promote(ar1, ar2)
    return unique(torch.cat([ar1.reshape(-1), ar2.reshape(-1)]), size=size, fill_value=fill_value)


def setdiff1d(ar1, ar2, assume_unique=False, *, size=None, fill_value=None):
    ar1, ar2 = promote(ar1, ar2)
    values, _, _, _ = _unique_1d(ar1.reshape(-1), True, None, None)
    keep = ~isin(values, ar2)
    return _compact(values, keep, size, fill_value, torch.zeros((), dtype=values.dtype))


def setxor1d(ar1, ar2, assume_unique=False, *, size=None, fill_value=None):
    ar1, ar2 = promote(ar1, ar2)
    v1 = _unique_1d(ar1.reshape(-1), True, None, None)[0]
    v2 = _unique_1d(ar2.reshape(-1), True, None, None)[0]
    both = sort_1d(torch.cat([v1, v2]))[0]
    if both.shape[0] == 0:
        return _compact(both, both.bool(), size, fill_value, 0)
    same_next = torch.cat([both[1:] == both[:-1], torch.zeros(1, dtype=torch.bool)])
    same_prev = torch.cat([torch.zeros(1, dtype=torch.bool), both[1:] == both[:-1]])
    keep = ~(same_next | same_prev)
    return _compact(both, keep, size, fill_value, both[0])
