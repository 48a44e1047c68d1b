"""Native kernels of ``portax.lax``'s contractions, convolutions and windowed reductions on torch.

Core has checked and normalised the arguments (``portax._src.lax_conv``); here they become torch's own kernels:
``torch.matmul`` for ``dot_general``, ``torch.nn.functional.conv{1,2,3}d`` / ``conv_transpose{1,2,3}d`` for
convolutions, ``max_pool{1,2,3}d`` / ``avg_pool{2,3}d`` (``divisor_override=1``: a window sum) for windowed
reductions. Layouts become ``(N, C, spatial...)`` by ``permute`` (no copy: ``NHWC`` data reaches the kernel as a
channels-last tensor), asymmetric padding goes through ``F.pad``, input dilation through ``conv_transpose`` when it
maps exactly, else through zero interleaving. Everything is torch ops on static shapes, so ``torch.func`` transforms
and ``torch.compile`` apply unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812 (torch's own spelling)

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {2: F.avg_pool2d, 3: F.avg_pool3d}


def _permuted(x: torch.Tensor, permutation: Sequence[int]) -> torch.Tensor:
    """``x.permute(permutation)``, or ``x`` itself for the identity: under ``torch.compile`` an output that is a view
    (even an identity one) is regenerated from its base on every call, a measurable cost on small windows."""
    return x if all(axis == position for position, axis in enumerate(permutation)) else x.permute(*permutation)


def _converted(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return x if x.dtype == dtype else x.to(dtype)


def _inverse(permutation: Sequence[int]) -> list[int]:
    inverse = [0] * len(permutation)
    for position, axis in enumerate(permutation):
        inverse[axis] = position
    return inverse


# -- dot_general -------------------------------------------------------------------------------------------------


def dot_general(lhs: torch.Tensor, rhs: torch.Tensor, dimension_numbers: Any,
                preferred_element_type: Any = None) -> torch.Tensor:
    (lhs_contract, rhs_contract), (lhs_batch, rhs_batch) = dimension_numbers
    dtype = preferred_element_type or lhs.dtype  # core has promoted both operands to one dtype
    compute = torch.int64 if dtype == torch.bool else dtype
    lhs, rhs = lhs.to(compute), rhs.to(compute)
    lhs_free = [d for d in range(lhs.ndim) if d not in lhs_contract and d not in lhs_batch]
    rhs_free = [d for d in range(rhs.ndim) if d not in rhs_contract and d not in rhs_batch]
    batch_shape = [lhs.shape[d] for d in lhs_batch]
    lhs_free_shape = [lhs.shape[d] for d in lhs_free]
    rhs_free_shape = [rhs.shape[d] for d in rhs_free]
    contracted = math.prod([lhs.shape[d] for d in lhs_contract])
    batch = math.prod(batch_shape)
    left = lhs.permute(*lhs_batch, *lhs_free, *lhs_contract).reshape(batch, math.prod(lhs_free_shape), contracted)
    right = rhs.permute(*rhs_batch, *rhs_contract, *rhs_free).reshape(batch, contracted, math.prod(rhs_free_shape))
    out = torch.matmul(left, right).reshape((*batch_shape, *lhs_free_shape, *rhs_free_shape))
    return out != 0 if dtype == torch.bool else out


# -- convolution -------------------------------------------------------------------------------------------------


def _interleave(x: torch.Tensor, axis: int, factor: int, fill: float = 0.0) -> torch.Tensor:
    """``factor - 1`` copies of ``fill`` between neighbours along ``axis`` (XLA's base/lhs dilation)."""
    size = x.shape[axis]
    if factor == 1 or size == 0:
        return x
    holes = torch.full_like(x, fill)
    stacked = torch.stack([x] + [holes] * (factor - 1), dim=axis + 1)
    merged = stacked.reshape(*x.shape[:axis], size * factor, *x.shape[axis + 1:])
    return merged.narrow(axis, 0, (size - 1) * factor + 1)


def _pad(x: torch.Tensor, pads: Sequence[tuple[int, int]], value: float = 0.0) -> torch.Tensor:
    """``(low, high)`` pads of the trailing ``len(pads)`` axes; negative pads crop (as XLA's)."""
    flat: list[int] = []
    for low, high in reversed(pads):
        flat += [low, high]
    if not any(flat):
        return x
    return F.pad(x, flat, value=value)


def _compute_dtype(dtype: torch.dtype) -> torch.dtype:
    # torch's CPU convolutions have no bool kernel; float64 holds every product of small ints exactly.
    return torch.float64 if dtype == torch.bool else dtype


def conv_general_dilated(
    lhs: torch.Tensor, rhs: torch.Tensor, window_strides: Sequence[int], padding: Sequence[tuple[int, int]],
    lhs_dilation: Sequence[int], rhs_dilation: Sequence[int], dimension_numbers: Any, feature_group_count: int,
    batch_group_count: int, preferred_element_type: Any = None,
) -> torch.Tensor:
    lhs_spec, rhs_spec, out_spec = [list(spec) for spec in dimension_numbers]
    dtype = preferred_element_type or lhs.dtype
    compute = _compute_dtype(dtype)
    x = _converted(_permuted(lhs, lhs_spec), compute)
    w = _converted(_permuted(rhs, rhs_spec), compute)
    spatial = x.ndim - 2
    if spatial == 0:  # a grouped matrix product: one spatial axis of size 1
        x, w = x.unsqueeze(-1), w.unsqueeze(-1)
        window_strides, padding, lhs_dilation, rhs_dilation = (1,), ((0, 0),), (1,), (1,)
    if x.ndim - 2 > 3:
        from portax.errors import UnsupportedError

        raise UnsupportedError("torch", f"portax.lax.conv_general_dilated with {spatial} spatial dimensions",
                               "torch's convolutions have at most 3; use the jax backend for this call")
    groups = feature_group_count
    if batch_group_count > 1:
        # Batch group g meets output features g * O/G ... : the batch groups become feature groups.
        n, c, *rest = x.shape
        x = x.reshape(batch_group_count, n // batch_group_count, c, *rest).transpose(0, 1)
        x = x.reshape(n // batch_group_count, batch_group_count * c, *rest)
        groups = batch_group_count
    out = _convolve(x, w, tuple(window_strides), tuple(padding), tuple(lhs_dilation), tuple(rhs_dilation), groups)
    if spatial == 0:
        out = out.squeeze(-1)
    out = _permuted(out, _inverse(out_spec))
    if dtype == torch.bool:
        return out != 0
    return out


def _output_size(size: int, kernel: int, stride: int, low: int, high: int, lhs_dilation: int,
                 rhs_dilation: int) -> int:
    dilated = 0 if size == 0 else (size - 1) * lhs_dilation + 1
    window = (kernel - 1) * rhs_dilation + 1
    return max((dilated + low + high - window) // stride + 1, 0)


def _convolve(x: torch.Tensor, w: torch.Tensor, strides: tuple[int, ...], padding: tuple[tuple[int, int], ...],
              lhs_dilation: tuple[int, ...], rhs_dilation: tuple[int, ...], groups: int) -> torch.Tensor:
    kernel = w.shape[2:]
    out_spatial = [
        _output_size(n, k, s, lo, hi, ld, rd)
        for n, k, s, (lo, hi), ld, rd in zip(x.shape[2:], kernel, strides, padding, lhs_dilation, rhs_dilation, strict=True)
    ]
    if 0 in out_spatial or x.shape[0] == 0 or w.shape[0] == 0 or x.shape[1] == 0:
        # XLA gives an empty (or zero, for no input features) result; torch's kernels reject these shapes.
        return x.new_zeros((x.shape[0], w.shape[0], *out_spatial))
    if any(d > 1 for d in lhs_dilation):
        transposed = _as_conv_transpose(x, w, strides, padding, lhs_dilation, rhs_dilation, groups)
        if transposed is not None:
            return transposed
        for axis, factor in enumerate(lhs_dilation):
            x = _interleave(x, axis + 2, factor)
    if all(lo == hi >= 0 for lo, hi in padding):
        symmetric = tuple(lo for lo, _ in padding)
    else:
        x = _pad(x, padding)
        symmetric = (0,) * len(padding)
    return _CONV[x.ndim - 2](x, w, None, strides, symmetric, rhs_dilation, groups)


def _as_conv_transpose(x: torch.Tensor, w: torch.Tensor, strides: tuple[int, ...],
                       padding: tuple[tuple[int, int], ...], lhs_dilation: tuple[int, ...],
                       rhs_dilation: tuple[int, ...], groups: int) -> torch.Tensor | None:
    """An input-dilated, unit-stride convolution as torch's ``conv_transpose`` (no zeros multiplied), when exact.

    With ``p = r (k - 1) - low`` and ``output_padding = high - low``, ``conv_transpose(x, flip(w), stride=s,
    padding=p, dilation=r)`` equals the convolution of the ``s``-dilated input padded by ``(low, high)``; a negative
    output padding crops the end.
    """
    if any(s != 1 for s in strides):
        return None
    torch_padding, output_padding, crop = [], [], []
    for k, (low, high), s, r in zip(w.shape[2:], padding, lhs_dilation, rhs_dilation, strict=True):
        p = r * (k - 1) - low
        extra = high - low
        if p < 0 or extra >= max(s, r):
            return None
        torch_padding.append(p)
        output_padding.append(max(extra, 0))
        crop.append(max(-extra, 0))
    out_features, in_per_group = w.shape[0], w.shape[1]
    spatial_axes = list(range(2, w.ndim))
    flipped = torch.flip(w, spatial_axes)
    # (O, I/g, k...) -> (I, O/g, k...): torch's transposed-convolution weight layout.
    weight = flipped.reshape(groups, out_features // groups, in_per_group, *w.shape[2:]).transpose(1, 2)
    weight = weight.reshape(groups * in_per_group, out_features // groups, *w.shape[2:])
    out = _CONV_TRANSPOSE[x.ndim - 2](x, weight, None, lhs_dilation, tuple(torch_padding), tuple(output_padding),
                                      groups, rhs_dilation)
    for axis, amount in enumerate(crop):
        if amount:
            out = out.narrow(axis + 2, 0, out.shape[axis + 2] - amount)
    return out


# -- windowed reductions -----------------------------------------------------------------------------------------


def _windowed_axes(window_dimensions: Sequence[int], window_strides: Sequence[int],
                   padding: Sequence[tuple[int, int]], base_dilation: Sequence[int],
                   window_dilation: Sequence[int]) -> list[int]:
    return [
        axis for axis, (k, s, pad, b, d) in enumerate(
            zip(window_dimensions, window_strides, padding, base_dilation, window_dilation, strict=True))
        if k != 1 or s != 1 or pad != (0, 0) or b != 1 or d != 1
    ]


def _pool(monoid: str, x: torch.Tensor, window_dimensions: Sequence[int], window_strides: Sequence[int],
          padding: Sequence[tuple[int, int]], base_dilation: Sequence[int],
          window_dilation: Sequence[int]) -> Any:
    if x.dtype in (torch.bool, torch.complex64, torch.complex128) or (
            monoid == "add" and not x.dtype.is_floating_point):
        return NotImplemented  # torch has no pooling kernel for these: core folds the window instead
    axes = _windowed_axes(window_dimensions, window_strides, padding, base_dilation, window_dilation)
    if not axes:
        return x.clone()
    if len(axes) > 3 or x.numel() == 0:
        return NotImplemented
    others = [axis for axis in range(x.ndim) if axis not in axes]
    permutation = others + axes
    y = _permuted(x, permutation)
    lead = list(y.shape[:len(others)])
    # (N, C, spatial...) without copying when two axes are left (e.g. NHWC pooled over H, W).
    if len(lead) == 0:
        y = y.reshape(1, 1, *y.shape)
    elif len(lead) == 1:
        y = y.unsqueeze(0)
    elif len(lead) > 2:
        y = y.reshape(math.prod(lead[:-1]), lead[-1], *y.shape[len(lead):])
    kernel = [window_dimensions[a] for a in axes]
    strides = [window_strides[a] for a in axes]
    pads = [padding[a] for a in axes]
    dilations = [window_dilation[a] for a in axes]
    flip = monoid == "min"
    if flip:
        # min is max of the order-reversed values: -y for floats, ~y (= -y - 1, no overflow) for integers.
        y = -y if y.dtype.is_floating_point else ~y
    fill = 0.0 if monoid == "add" else -math.inf if y.dtype.is_floating_point else torch.iinfo(y.dtype).min
    for offset, factor in enumerate([base_dilation[a] for a in axes]):
        y = _interleave(y, offset + 2, factor, fill)
    effective = [(k - 1) * d + 1 for k, d in zip(kernel, dilations, strict=True)]
    if monoid != "add" and all(lo == hi and 0 <= lo <= e // 2 for (lo, hi), e in zip(pads, effective, strict=True)):
        symmetric = [lo for lo, _ in pads]  # torch's max pooling pads with -inf itself
    else:
        y = _pad(y, pads, fill)
        symmetric = [0] * len(pads)
    rank = len(axes)
    if monoid == "add":
        if rank == 1 or any(d != 1 for d in dilations):
            out = _window_sum_by_conv(y, kernel, strides, dilations)
        else:
            out = _AVG_POOL[rank](y, kernel, strides, 0, False, True, 1)
    else:
        out = _MAX_POOL[rank](y, kernel, strides, symmetric, dilations)
        if flip:
            out = -out if out.dtype.is_floating_point else ~out
    if len(lead) != 2:
        out = out.reshape((*lead, *out.shape[2:]))
    return _permuted(out, _inverse(permutation))


def _window_sum_by_conv(y: torch.Tensor, kernel: Sequence[int], strides: Sequence[int],
                        dilations: Sequence[int]) -> torch.Tensor:
    n, c, *spatial = y.shape
    ones = torch.ones((1, 1, *kernel), dtype=y.dtype, device=y.device)
    out = _CONV[len(kernel)](y.reshape(n * c, 1, *spatial), ones, None, strides, 0, dilations)
    return out.reshape(n, c, *out.shape[2:])


def reduce_window_add(x: torch.Tensor, *geometry: Any) -> Any:
    return _pool("add", x, *geometry)


def reduce_window_max(x: torch.Tensor, *geometry: Any) -> Any:
    return _pool("max", x, *geometry)


def reduce_window_min(x: torch.Tensor, *geometry: Any) -> Any:
    return _pool("min", x, *geometry)


# -- lax.linalg: torch.linalg with JAX's conventions (core has symmetrized and checked the inputs) ------------------


def linalg_cholesky(x: torch.Tensor) -> torch.Tensor:
    factor, info = torch.linalg.cholesky_ex(x)
    # JAX returns NaN (lower triangle) for a matrix that is not positive definite; torch's cholesky would raise.
    failed = (info != 0).unsqueeze(-1).unsqueeze(-1)
    return torch.where(failed, torch.full_like(factor, math.nan), factor).tril()


def linalg_triangular_solve(a: torch.Tensor, b: torch.Tensor, left_side: bool, lower: bool, transpose_a: bool,
                            conjugate_a: bool, unit_diagonal: bool) -> torch.Tensor:
    if conjugate_a:
        a = a.conj()
    if transpose_a:
        a, lower = a.mT, not lower
    return torch.linalg.solve_triangular(a, b, upper=not lower, left=left_side, unitriangular=unit_diagonal)


def linalg_qr(x: torch.Tensor, pivoting: bool, full_matrices: bool) -> Any:
    if pivoting:
        from portax.errors import UnsupportedError

        raise UnsupportedError("torch", "portax.lax.linalg.qr(pivoting=True)",
                               "torch.linalg has no column-pivoted QR; use the jax backend for this call")
    return tuple(torch.linalg.qr(x, mode="complete" if full_matrices else "reduced"))


def linalg_eigh(x: torch.Tensor, lower: bool) -> tuple[torch.Tensor, torch.Tensor]:
    values, vectors = torch.linalg.eigh(x, UPLO="L" if lower else "U")
    return vectors, values


def linalg_svd(x: torch.Tensor, full_matrices: bool, compute_uv: bool) -> Any:
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=full_matrices))


def linalg_lu(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    factors, pivots = torch.linalg.lu_factor(x)
    # x = P L U: row i of P^T x is row perm[i] of x, i.e. perm[i] is the row where column i of P holds its 1.
    permutation_matrix = torch.lu_unpack(factors, pivots, unpack_data=False)[0]
    permutation = permutation_matrix.argmax(dim=-2).to(torch.int32)
    return factors, (pivots - 1).to(torch.int32), permutation
