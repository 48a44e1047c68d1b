"""``portax.scipy.stats.mode``, ``rankdata`` and ``sem``: JAX's (jax/_src/scipy/stats/_core.py, 0.10) on every backend.

Written once over ``portax.numpy``. ``mode`` and ``rankdata`` work on the sorted axis: the runs of equal values are
found with one comparison of neighbours and a cumulative max/min of their first/last positions (JAX uses
``unique(size=)`` and ``nonzero(size=)``; the same values, and nothing of data-dependent size, so both ``jit`` and
``vmap`` apply on every backend). On JAX they are ``jax.scipy.stats``' own (the backend's hook module).
"""

from __future__ import annotations

import math
import operator
from typing import Any, NamedTuple

import portax.numpy as pnp
from portax._src.scipy._native import backend_for, creating_on, native
from portax._src.scipy.special import promote_inexact

Array = Any
_NAN_POLICIES = ("propagate", "omit", "raise")


class ModeResult(NamedTuple):
    """The result of :func:`mode`: the modal values and how often each occurs."""

    mode: Array
    count: Array


def _as_array(a: Any) -> Array:
    backend = backend_for(a)
    if backend.owns(a):
        return a
    with creating_on(backend):
        return pnp.asarray(a)


def _check_nan_policy(name: str, nan_policy: str) -> None:
    if nan_policy not in _NAN_POLICIES:
        raise ValueError(f"Illegal nan_policy value {nan_policy!r}; expected one of {{'propagate', 'omit', 'raise'}}")
    if nan_policy == "omit":
        raise NotImplementedError(f"{name}: logic for `nan_policy` of {nan_policy} is not implemented (as in JAX)")
    if nan_policy == "raise":
        raise NotImplementedError(
            f"{name}: nan_policy='raise' cannot be compiled (whether `x` contains NaNs is data-dependent); check for "
            "NaNs outside of the function, as in JAX."
        )


def _axis(axis: Any, ndim: int) -> int:
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        from portax._src.errors import AxisError

        raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def _runs(ordered: Array) -> tuple[Array, Array]:
    """First and last position (along the last axis) of the run of equal values holding each sorted entry."""
    from portax._src.lax_reductions import cummax, cummin

    n = ordered.shape[-1]
    with creating_on(backend_for(ordered)):
        position = pnp.arange(n)
    same = ordered[..., 1:] == ordered[..., :-1]
    if pnp.issubdtype(ordered.dtype, pnp.inexact):  # unique() holds NaNs equal (equal_nan=True)
        same = same | (pnp.isnan(ordered[..., 1:]) & pnp.isnan(ordered[..., :-1]))
    edge = pnp.ones_like(same[..., :1])
    starts = pnp.concatenate([edge, ~same], axis=-1)
    ends = pnp.concatenate([~same, edge], axis=-1)
    last_axis = ordered.ndim - 1
    first = cummax(pnp.where(starts, position, pnp.zeros_like(position)), axis=last_axis)
    last = cummin(pnp.where(ends, position, pnp.full_like(position, n)), axis=last_axis, reverse=True)
    return first, last


def mode(a: Any, axis: int | None = 0, nan_policy: str = "propagate", keepdims: bool = False) -> ModeResult:
    """The most common value along ``axis`` and its count (``jax.scipy.stats.mode``); ties give the smallest value.

    Args:
        a: the data.
        axis: the axis to reduce (None: the flattened array).
        nan_policy: only ``"propagate"`` (as JAX).
        keepdims: keep the reduced axis with size 1.

    Returns:
        ``ModeResult(mode, count)``.

    Raises:
        ValueError: an unknown ``nan_policy``. NotImplementedError: ``"omit"`` or ``"raise"`` (as JAX).

    Example:
        >>> import portax.numpy as pnp
        >>> from portax.scipy.stats import mode
        >>> result = mode(pnp.array([2, 4, 1, 1, 3, 4, 4, 2, 3]))
        >>> int(result.mode), int(result.count)
        (4, 3)
    """
    x = pnp.atleast_1d(_as_array(a))
    _check_nan_policy("mode", nan_policy)
    if (function := native(backend_for(x), "stats_mode")) is not None:  # jax.scipy.stats' own on JAX
        result = function(x, axis=axis, nan_policy=nan_policy, keepdims=keepdims)
        return ModeResult(result.mode, result.count)
    if axis is not None:
        axis = _axis(axis, x.ndim)
    shape = tuple(x.shape)
    if keepdims:
        output_shape = tuple(1 for _ in shape) if axis is None else tuple(1 if i == axis else s for i, s in
                                                                            enumerate(shape))
    else:
        output_shape = () if axis is None else tuple(s for i, s in enumerate(shape) if i != axis)
    x = pnp.ravel(x)[None, :] if axis is None else pnp.moveaxis(x, axis, -1)
    if x.shape[-1] == 0:  # JAX's empty-slice answer: NaN, counted 0 times, in the default float dtype
        with creating_on(backend_for(x)):
            empty = pnp.full(output_shape, pnp.nan, dtype=pnp.result_type(1.0))
        return ModeResult(empty, pnp.zeros_like(empty))
    ordered = pnp.sort(x, axis=-1)
    first, last = _runs(ordered)
    counts = last - first + 1
    best = pnp.argmax(counts, axis=-1)[..., None]  # the first maximum: the smallest of the most common values
    values = pnp.take_along_axis(ordered, best, axis=-1)[..., 0]
    count = pnp.astype(pnp.max(counts, axis=-1), pnp.result_type(1))
    return ModeResult(pnp.reshape(values, output_shape), pnp.reshape(count, output_shape))


def rankdata(a: Any, method: str = "average", *, axis: int | None = None, nan_policy: str = "propagate") -> Array:
    """Ranks of the data, from 1, ties resolved by ``method`` (``jax.scipy.stats.rankdata``).

    Args:
        a: the data.
        method: ``"average"`` (default), ``"min"``, ``"max"``, ``"dense"`` or ``"ordinal"``.
        axis: rank along this axis (the result has ``a``'s shape); None ranks the flattened array.
        nan_policy: only ``"propagate"``: a slice holding a NaN ranks as all NaN (as JAX).

    Returns:
        The ranks, in the default float dtype.

    Raises:
        ValueError: an unknown ``method`` or ``nan_policy``. NotImplementedError: ``"omit"`` or ``"raise"``.

    Example:
        >>> import portax.numpy as pnp
        >>> from portax.scipy.stats import rankdata
        >>> [float(r) for r in rankdata(pnp.array([10.0, 30.0, 20.0, 30.0]))]
        [1.0, 3.5, 2.0, 3.5]
    """
    _check_nan_policy("rankdata", nan_policy)
    if method not in ("average", "min", "max", "dense", "ordinal"):
        raise ValueError(f"unknown method '{method}'")
    a = _as_array(a)
    if (function := native(backend_for(a), "rankdata")) is not None:  # jax.scipy.stats' own on JAX
        return function(a, method, axis=axis, nan_policy=nan_policy)
    if axis is None:
        return _rank_last_axis(pnp.ravel(a), method)
    axis = _axis(axis, a.ndim)
    return pnp.moveaxis(_rank_last_axis(pnp.moveaxis(a, axis, -1), method), -1, axis)


def _rank_last_axis(a: Array, method: str) -> Array:
    with creating_on(backend_for(a)):
        out_dtype = pnp.result_type(1.0)
    sorter = pnp.argsort(a, axis=-1, stable=True)
    inverse = pnp.argsort(sorter, axis=-1)  # the position of each entry in the sorted order
    if method == "ordinal":
        ranks = inverse + 1
    else:
        ordered = pnp.take_along_axis(a, sorter, axis=-1)
        first, last = _runs(ordered)
        if method == "dense":
            new_run = pnp.concatenate([pnp.ones_like(first[..., :1]), pnp.diff(first, axis=-1) != 0], axis=-1)
            per_sorted = pnp.cumsum(pnp.astype(new_run, first.dtype), axis=-1)
        elif method == "min":
            per_sorted = first + 1
        elif method == "max":
            per_sorted = last + 1
        else:
            per_sorted = 0.5 * pnp.astype(first + last, out_dtype) + 1
        ranks = pnp.take_along_axis(per_sorted, inverse, axis=-1)
    ranks = pnp.astype(ranks, out_dtype)
    if pnp.issubdtype(a.dtype, pnp.inexact):
        has_nan = pnp.any(pnp.isnan(a), axis=-1, keepdims=True)
        ranks = pnp.where(has_nan, pnp.full_like(ranks, pnp.nan), ranks)
    return ranks


def sem(a: Any, axis: int | None = 0, ddof: int = 1, nan_policy: str = "propagate", *,
        keepdims: bool = False) -> Array:
    """The standard error of the mean, ``std(a, ddof) / sqrt(n)`` (``jax.scipy.stats.sem``).

    Args:
        a: the data (ints promote to the default float).
        axis: the axis to reduce (None: all).
        ddof: delta degrees of freedom of the standard deviation.
        nan_policy: ``"propagate"`` (NaNs give NaN) or ``"omit"`` (NaNs are left out), as JAX.
        keepdims: keep the reduced axis with size 1.

    Raises:
        ValueError: another ``nan_policy``.

    Example:
        >>> import portax.numpy as pnp
        >>> from portax.scipy.stats import sem
        >>> round(float(sem(pnp.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]))), 4)
        0.7559
    """
    (b,) = promote_inexact(a)
    if nan_policy in ("propagate", "omit") and (function := native(backend_for(b), "sem")) is not None:
        return function(b, axis=axis, ddof=ddof, nan_policy=nan_policy, keepdims=keepdims)
    if nan_policy == "propagate":
        size = math.prod(b.shape) if axis is None else b.shape[axis]
        return pnp.std(b, axis=axis, ddof=ddof, keepdims=keepdims) / math.sqrt(size)
    if nan_policy == "omit":
        count = pnp.sum(~pnp.isnan(b), axis=axis, keepdims=keepdims)
        return pnp.nanstd(b, axis=axis, ddof=ddof, keepdims=keepdims) / pnp.sqrt(pnp.astype(count, b.dtype))
    raise ValueError(f"{nan_policy} is not supported; use 'propagate' or 'omit'")
