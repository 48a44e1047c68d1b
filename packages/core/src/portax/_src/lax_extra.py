"""The rest of ``jax.lax`` 0.10 that real programs reach: convolution helpers and shape rules, ``reduce_precision``,
``mulhi``, ``approx_max_k``/``approx_min_k``, ``ragged_dot``, the experimental RNG primitives, ``axis_size`` and the
precision enums.

Each is written once over ``portax.numpy`` / ``portax.lax``; where ``jax.lax`` has the primitive, the JAX backend runs
``jax.lax``'s own through :func:`portax._src.lax_ops.primitive` (JAX programs cost nothing extra).
"""

from __future__ import annotations

import enum
import math
import operator
from collections.abc import Sequence
from typing import Any, Union

import numpy as np

import portax.numpy as pnp
from portax._src import config, registry, transforms
from portax._src.collectives import _check_axis_name, _parallel
from portax._src.lax_conv import (
    ConvDimensionNumbers,
    _conv_transpose_padding,
    conv_dimension_numbers,
    conv_general_dilated,
    conv_general_permutations,
    dot_general,
    padtype_to_pads,
)
from portax._src.lax_elementwise import _binary
from portax._src.lax_ops import INTEGER, as_array, bits, dtype_name, kernel, kind, primitive, unsupported
from portax._src.lax_reductions import top_k
from portax._src.lax_structural import bitcast_convert_type

Array = Any
ArrayLike = Any

#: ``jax.lax.ConvGeneralDilatedDimensionNumbers``: what ``dimension_numbers=`` of the convolutions accepts.
ConvGeneralDilatedDimensionNumbers = Union[tuple[str, str, str], ConvDimensionNumbers, None]  # noqa: UP007 (JAX's)


# -- precision enums (accepted everywhere JAX takes ``precision=``) ---------------------------------------------------


class Precision(enum.Enum):
    """Precision of matrix products and convolutions (``jax.lax.Precision``).

    Accepted by every ``precision=`` argument. On CPU it changes nothing on either backend (JAX documents the same:
    float32 products are computed in float32); ``'highest'``/``'float32'``, ``'high'``/``'tensorfloat32'``/
    ``'bfloat16_3x'`` and ``'default'``/``'bfloat16'``/``'fastest'`` name the members.

    Example:
        >>> import portax
        >>> portax.lax.Precision("highest")
        Precision.HIGHEST
    """

    DEFAULT = 0
    HIGH = 1
    HIGHEST = 2

    @classmethod
    def _missing_(cls, value: object) -> Precision | None:
        return _PRECISION_STRINGS.get(value)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    def __str__(self) -> str:
        return self.name


_PRECISION_STRINGS = {
    "highest": Precision.HIGHEST, "float32": Precision.HIGHEST,
    "high": Precision.HIGH, "bfloat16_3x": Precision.HIGH, "tensorfloat32": Precision.HIGH,
    "default": Precision.DEFAULT, "bfloat16": Precision.DEFAULT, "fastest": Precision.DEFAULT,
}


class DotAlgorithmPreset(enum.Enum):
    """Named dot-product algorithms (``jax.lax.DotAlgorithmPreset``), accepted as ``precision=``.

    portax accepts the presets and computes in the operands' dtype (the CPU kernels of both backends have no
    reduced-precision algorithms to choose from).

    Example:
        >>> import portax
        >>> str(portax.lax.DotAlgorithmPreset.F32_F32_F32)
        'F32_F32_F32'
    """

    DEFAULT = enum.auto()
    ANY_F8_ANY_F8_F32 = enum.auto()
    ANY_F8_ANY_F8_F32_FAST_ACCUM = enum.auto()
    ANY_F8_ANY_F8_ANY = enum.auto()
    ANY_F8_ANY_F8_ANY_FAST_ACCUM = enum.auto()
    F16_F16_F16 = enum.auto()
    F16_F16_F32 = enum.auto()
    BF16_BF16_BF16 = enum.auto()
    BF16_BF16_F32 = enum.auto()
    BF16_BF16_F32_X3 = enum.auto()
    BF16_BF16_F32_X6 = enum.auto()
    BF16_BF16_F32_X9 = enum.auto()
    TF32_TF32_F32 = enum.auto()
    TF32_TF32_F32_X3 = enum.auto()
    F32_F32_F32 = enum.auto()
    F64_F64_F64 = enum.auto()

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    def __str__(self) -> str:
        return self.name


class RandomAlgorithm(enum.IntEnum):
    """Bit-generator algorithms of :func:`rng_bit_generator` (``jax.lax.RandomAlgorithm``)."""

    RNG_DEFAULT = 0
    RNG_THREE_FRY = 1
    RNG_PHILOX = 2

    def __str__(self) -> str:
        return self.name


# -- convolution shape rules (pure Python, as jax._src.lax.convolution 0.10) ------------------------------------------


def _stride_dim(size: int, window: int, stride: int) -> int:
    return max((size - window) // stride + 1, 0)


def conv_shape_tuple(lhs_shape: Sequence[int], rhs_shape: Sequence[int], strides: Sequence[int],
                     pads: str | Sequence[tuple[int, int]], batch_group_count: int = 1) -> tuple[int, ...]:
    """The output shape of a convolution in ``NCHW``/``OIHW`` order (``jax.lax.conv_shape_tuple``).

    Args:
        lhs_shape: input shape ``(N, C, spatial...)``.
        rhs_shape: kernel shape ``(O, I, spatial...)``.
        strides: one stride per spatial dimension.
        pads: a padding string or ``(low, high)`` pairs.
        batch_group_count: groups of the batch dimension.

    Returns:
        ``(N // batch_group_count, O, spatial...)``.

    Raises:
        TypeError: the number of pads differs from the number of spatial dimensions.
        ValueError: negative padding larger than a dimension.

    Example:
        >>> import portax
        >>> portax.lax.conv_shape_tuple((1, 3, 8, 8), (4, 3, 3, 3), (2, 2), "SAME")
        (1, 4, 4, 4)
    """
    if isinstance(pads, str):
        pads = padtype_to_pads(lhs_shape[2:], rhs_shape[2:], strides, pads)
    if len(pads) != len(lhs_shape) - 2:
        raise TypeError(
            f"Wrong number of explicit pads for convolution: expected {len(lhs_shape) - 2}, got {len(pads)}."
        )
    padded = [int(size) + int(lo) + int(hi) for size, (lo, hi) in zip(lhs_shape[2:], pads, strict=True)]
    if any(p < 0 for p in padded):
        raise ValueError(
            "Negative padding is larger than the size of the corresponding dimension: "
            f"got padding={pads} for lhs_shape[2:]={lhs_shape[2:]}"
        )
    out_space = tuple(_stride_dim(p, int(k), int(s)) for p, k, s in zip(padded, rhs_shape[2:], strides, strict=False))
    batch = int(lhs_shape[0]) // batch_group_count if batch_group_count > 1 else int(lhs_shape[0])
    return (batch, int(rhs_shape[0]), *out_space)


def conv_general_shape_tuple(lhs_shape: Sequence[int], rhs_shape: Sequence[int], window_strides: Sequence[int],
                             padding: str | Sequence[tuple[int, int]],
                             dimension_numbers: tuple[str, str, str]) -> tuple[int, ...]:
    """The output shape of :func:`conv_general_dilated` with string dimension numbers (``jax.lax``'s).

    Example:
        >>> import portax
        >>> portax.lax.conv_general_shape_tuple((1, 8, 8, 3), (3, 3, 3, 4), (1, 1), "SAME", ("NHWC", "HWIO", "NHWC"))
        (1, 8, 8, 4)
    """
    lhs_perm, rhs_perm, out_perm = conv_general_permutations(dimension_numbers)
    lhs_trans = [lhs_shape[i] for i in lhs_perm]
    rhs_trans = [rhs_shape[i] for i in rhs_perm]
    out_trans = conv_shape_tuple(lhs_trans, rhs_trans, window_strides, padding)
    return tuple(out_trans[i] for i in np.argsort(out_perm))


def conv_transpose_shape_tuple(lhs_shape: Sequence[int], rhs_shape: Sequence[int], window_strides: Sequence[int],
                               padding: str | Sequence[tuple[int, int]],
                               dimension_numbers: tuple[str, str, str]) -> tuple[int, ...]:
    """The output shape of :func:`conv_transpose` with string dimension numbers (``jax.lax``'s).

    Example:
        >>> import portax
        >>> portax.lax.conv_transpose_shape_tuple((1, 4, 4, 2), (3, 3, 2, 5), (2, 2), "SAME", ("NHWC", "HWIO", "NHWC"))
        (1, 8, 8, 5)
    """
    lhs_perm, rhs_perm, out_perm = conv_general_permutations(dimension_numbers)
    lhs_trans = [lhs_shape[i] for i in lhs_perm]
    rhs_trans = [rhs_shape[i] for i in rhs_perm]
    if isinstance(padding, str):
        padding = [_conv_transpose_padding(k, s, padding) for k, s in zip(rhs_trans[2:], window_strides, strict=False)]
    pad_sums = [int(sum(p)) for p in padding]
    unpadded = [(i - 1) * s - k + 2 for i, k, s in zip(lhs_trans[2:], rhs_trans[2:], window_strides, strict=False)]
    out_trans = (lhs_trans[0], rhs_trans[0], *(u + p for u, p in zip(unpadded, pad_sums, strict=False)))
    return tuple(out_trans[i] for i in np.argsort(out_perm))


def reduce_window_shape_tuple(operand_shape: Sequence[int], window_dimensions: Sequence[int],
                              window_strides: Sequence[int], padding: Sequence[tuple[int, int]],
                              base_dilation: Sequence[int] | None = None,
                              window_dilation: Sequence[int] | None = None) -> tuple[int, ...]:
    """The output shape of :func:`reduce_window` with explicit padding (``jax.lax.reduce_window_shape_tuple``).

    Raises:
        TypeError: a dilation is not positive.

    Example:
        >>> import portax
        >>> portax.lax.reduce_window_shape_tuple((8, 7), (2, 2), (2, 2), ((0, 0), (0, 1)))
        (4, 4)
    """
    def dilate(shape: Sequence[int], dilation: Sequence[int]) -> tuple[int, ...]:
        if not all(d > 0 for d in dilation):
            raise TypeError(f"All dilations must be positive, got {dilation}.")
        dilation = (1,) * (len(shape) - len(dilation)) + tuple(dilation)
        return tuple(0 if s == 0 else 1 + d * (s - 1) for s, d in zip(shape, dilation, strict=True))

    if base_dilation is not None:
        operand_shape = dilate(operand_shape, base_dilation)
    if window_dilation is not None:
        window_dimensions = dilate(window_dimensions, window_dilation)
    padded = tuple(d + lo + hi for d, (lo, hi) in zip(operand_shape, padding, strict=False))
    return tuple(_stride_dim(p, w, s) for p, w, s in zip(padded, window_dimensions, window_strides, strict=False))


# -- patches and unshared convolutions (jax._src.lax.other 0.10, over portax.lax) --------------------------------------


def conv_general_dilated_patches(
    lhs: ArrayLike,
    filter_shape: Sequence[int],
    window_strides: Sequence[int],
    padding: str | Sequence[tuple[int, int]],
    lhs_dilation: Sequence[int] | None = None,
    rhs_dilation: Sequence[int] | None = None,
    dimension_numbers: ConvGeneralDilatedDimensionNumbers = None,
    precision: Any = None,
    preferred_element_type: Any = None,
) -> Array:
    """The patches a convolution's receptive field sees, flattened into the feature dimension
    (``jax.lax.conv_general_dilated_patches``).

    The output's feature dimension has size ``C * prod(filter_shape)``, ordered ``C`` first, then the spatial
    dimensions in ``rhs_spec``'s order; it is a depthwise convolution with an identity kernel, so it runs the
    backend's convolution kernel and differentiates like one.

    Args:
        lhs: input of rank ``n + 2``.
        filter_shape: ``n`` window sizes, in the order of ``rhs_spec``'s spatial dimensions.
        window_strides: ``n`` strides.
        padding: ``'SAME'``, ``'SAME_LOWER'``, ``'VALID'`` or ``(low, high)`` pairs.
        lhs_dilation: input dilations or ``None``.
        rhs_dilation: window dilations or ``None``.
        dimension_numbers: as :func:`conv_general_dilated`.
        precision: accepted (see :class:`Precision`).
        preferred_element_type: dtype of the result.

    Returns:
        The patches, laid out as ``dimension_numbers``' output spec.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> x = jnp.arange(16.0).reshape(1, 1, 4, 4)
        >>> tuple(portax.lax.conv_general_dilated_patches(x, (2, 2), (2, 2), "VALID").shape)
        (1, 4, 2, 2)
    """
    lhs = as_array(lhs)
    filter_shape = tuple(operator.index(k) for k in filter_shape)
    dnums = conv_dimension_numbers(lhs.shape, (1, 1) + filter_shape, dimension_numbers)
    spatial_size = math.prod(filter_shape)
    channels = lhs.shape[dnums.lhs_spec[1]]
    # jax's construction: an identity over the window's positions, one group per input channel.
    eye = pnp.eye(spatial_size, dtype=lhs.dtype)
    rhs = pnp.broadcast_to(eye, (channels, spatial_size, spatial_size))
    rhs = pnp.reshape(rhs, (channels * spatial_size, 1, *filter_shape))
    rhs = pnp.moveaxis(rhs, (0, 1), (dnums.rhs_spec[0], dnums.rhs_spec[1]))
    return conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation, dnums,
                                feature_group_count=channels, preferred_element_type=preferred_element_type)


def conv_general_dilated_local(
    lhs: ArrayLike,
    rhs: ArrayLike,
    window_strides: Sequence[int],
    padding: str | Sequence[tuple[int, int]],
    filter_shape: Sequence[int],
    lhs_dilation: Sequence[int] | None = None,
    rhs_dilation: Sequence[int] | None = None,
    dimension_numbers: ConvGeneralDilatedDimensionNumbers = None,
    precision: Any = None,
) -> Array:
    """Unshared ("locally connected") convolution: a separate kernel per output position
    (``jax.lax.conv_general_dilated_local``).

    Args:
        lhs: input of rank ``n + 2``.
        rhs: kernels of rank ``n + 2``: its spatial dimensions are the output positions, its ``I`` dimension the
            flattened patch (``C`` first, then the window in ``rhs_spec``'s order).
        window_strides: ``n`` strides.
        padding: a padding string or ``(low, high)`` pairs.
        filter_shape: ``n`` window sizes.
        lhs_dilation: input dilations or ``None``.
        rhs_dilation: window dilations or ``None``.
        dimension_numbers: as :func:`conv_general_dilated`.
        precision: accepted (see :class:`Precision`).

    Returns:
        The convolution, laid out as the output spec.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> x, w = jnp.ones((1, 2, 4, 4)), jnp.ones((3, 8, 3, 3))
        >>> tuple(portax.lax.conv_general_dilated_local(x, w, (1, 1), "VALID", (2, 2)).shape)
        (1, 3, 3, 3)
    """
    lhs = as_array(lhs)
    patches = conv_general_dilated_patches(lhs, filter_shape, window_strides, padding, lhs_dilation, rhs_dilation,
                                           dimension_numbers)
    lhs_spec, rhs_spec, out_spec = conv_dimension_numbers(lhs.shape, (1, 1) + tuple(filter_shape), dimension_numbers)
    lhs_batch = list(out_spec[2:])
    rhs_batch = list(rhs_spec[2:])
    rhs_batch = [rhs_batch[i] for i in sorted(range(len(rhs_batch)), key=lambda k: lhs_batch[k])]
    lhs_batch = sorted(lhs_batch)
    out = dot_general(patches, as_array(rhs, lhs), (((out_spec[1],), (rhs_spec[1],)), (tuple(lhs_batch),
                                                                                       tuple(rhs_batch))))
    return pnp.moveaxis(out, (-2, -1), (out_spec[0], out_spec[1]))


# -- reduce_precision ---------------------------------------------------------------------------------------------------

#: (bits of the integer view, exponent bits, mantissa bits) of the float dtypes.
_FLOAT_LAYOUT = {"float16": (16, 5, 10), "bfloat16": (16, 8, 7), "float32": (32, 8, 23), "float64": (64, 11, 52)}


def _reduce_precision_bits(x: Array, exponent_bits: int, mantissa_bits: int) -> Array:
    """XLA's ReducePrecision (round the mantissa to nearest even, then flush/overflow the exponent) on the bits."""
    name = dtype_name(x.dtype)
    width, source_exponent, source_mantissa = _FLOAT_LAYOUT[name]
    integer = {16: "int16", 32: "int32", 64: "int64"}[width]
    if width == 16:  # torch has few int16 kernels; the same arithmetic in int32 on the zero-extended bits
        view = pnp.astype(bitcast_convert_type(x, integer), "int32") & 0xFFFF
    else:
        view = bitcast_convert_type(x, integer)

    def const(value: int) -> Any:
        # a Python int of the view's width, as a signed value (two's complement for the top bit)
        span = 32 if width == 16 else width
        value &= (1 << span) - 1
        return value - (1 << span) if value >= 1 << (span - 1) else value

    if mantissa_bits < source_mantissa:
        drop = source_mantissa - mantissa_bits
        last_bit = 1 << drop
        base_bias = (last_bit >> 1) - 1
        last_mantissa_bit = (view & const(last_bit)) >> drop
        view = (view + (last_mantissa_bit + base_bias)) & const(~(last_bit - 1))
    if exponent_bits < source_exponent:
        sign_mask = const(1 << (width - 1))
        exponent_mask = const(((1 << source_exponent) - 1) << source_mantissa)
        bias = (1 << (source_exponent - 1)) - 1
        reduced_bias = (1 << (exponent_bits - 1)) - 1
        max_exponent, min_exponent = bias + reduced_bias, bias - reduced_bias
        exponent = view & exponent_mask
        signed_zero = view & sign_mask
        signed_inf = signed_zero | exponent_mask
        view = pnp.where(exponent > const(max_exponent << source_mantissa), signed_inf,
                         pnp.where(exponent <= const(min_exponent << source_mantissa), signed_zero, view))
    if width == 16:
        view = pnp.where(view >= 1 << 15, view - (1 << 16), view)
        view = pnp.astype(view, integer)
    result = bitcast_convert_type(view, x.dtype)
    if mantissa_bits > 0:  # NaNs stay NaN (XLA keeps the input's NaN)
        result = pnp.where(pnp.isnan(x), x, result)
    return result


def _reduce_precision_formula(operand: Array, exponent_bits: int, mantissa_bits: int) -> Array:
    rounded = _reduce_precision_bits(transforms.stop_gradient(operand), exponent_bits, mantissa_bits)
    # Straight-through derivative, written without a custom rule so that jit compiles it whole on every backend; JAX
    # rounds the tangent too (a difference only where the tangent is not representable: docs/lax.md).
    # rounded - (x - x), not rounded + (x - x): it keeps the sign of a zero; the difference is 0 for infinities.
    zero = pnp.where(pnp.isfinite(operand), transforms.stop_gradient(operand) - operand, pnp.zeros_like(operand))
    return rounded - zero


@primitive
def reduce_precision(operand: float | ArrayLike, exponent_bits: int, mantissa_bits: int) -> Array:
    """Round floats to ``exponent_bits`` / ``mantissa_bits`` and back (``jax.lax.reduce_precision``).

    XLA's ReducePrecision: the mantissa is rounded to nearest even, values past the reduced exponent range become
    infinities, values below it signed zeros; NaN stays NaN. The derivative is the identity (JAX also rounds the
    tangent; see docs/lax.md).

    Args:
        operand: a floating-point array.
        exponent_bits: exponent width of the emulated format (>= 1).
        mantissa_bits: mantissa width of the emulated format (>= 0).

    Returns:
        An array of ``operand``'s dtype holding only values of the emulated format.

    Raises:
        TypeError: ``operand`` is not floating point, or the widths are not integers.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> portax.lax.reduce_precision(jnp.array([1.0 + 2.0 ** -10, 3.0e38]), 5, 10).tolist()  # as float16
        [1.0009765625, inf]
    """
    exponent_bits = operator.index(exponent_bits)
    mantissa_bits = operator.index(mantissa_bits)
    operand = as_array(operand)
    if kind(operand.dtype) != "f":
        raise TypeError(f"reduce_precision does not accept dtype {dtype_name(operand.dtype)}. Accepted dtypes are "
                        "subtypes of floating.")
    if exponent_bits < 1:
        raise ValueError(f"reduce_precision: exponent_bits must be at least 1, got {exponent_bits}")
    if mantissa_bits < 0:
        raise ValueError(f"reduce_precision: mantissa_bits must be non-negative, got {mantissa_bits}")
    return _reduce_precision_formula(operand, exponent_bits, mantissa_bits)


# -- mulhi ---------------------------------------------------------------------------------------------------------------


def _mulhi(x: ArrayLike, y: ArrayLike) -> Array:
    # A double-width product needs integer kernels portax.numpy does not promise (int64 without x64, 128-bit):
    # backends provide ``mulhi`` in their lax module (JAX: jax.lax.mulhi; torch: portax_torch.lax_extra).
    raise unsupported("mulhi", x)


mulhi = _binary("mulhi", INTEGER, _mulhi, "The high half of the double-width product ``x * y``")


# -- approx_max_k / approx_min_k ----------------------------------------------------------------------------------------


def _approx_top_k(operand: ArrayLike, k: int, reduction_dimension: int, is_max_k: bool,
                  aggregate_to_topk: bool) -> list[Array]:
    operand = as_array(operand)
    k = operator.index(k)
    if k <= 0:
        raise ValueError(f"k must be positive, got {k}")
    if operand.ndim == 0:
        raise TypeError(f"approx_top_k operand must have >= 1 dimension, got {tuple(operand.shape)}")
    dims = list(operand.shape)
    if dims[reduction_dimension] < k:
        raise ValueError(
            f"k must be smaller than the size of reduction_dim {dims[reduction_dimension]}, got {k}")
    if kind(operand.dtype) != "f":
        raise ValueError("operand must be a floating type")
    axis = reduction_dimension % operand.ndim
    # On CPU (and GPU) XLA's ApproxTopK falls back to the exact sort: the result is top_k's, exactly.
    moved = pnp.moveaxis(operand, axis, -1)
    size = k if aggregate_to_topk else moved.shape[-1]
    if is_max_k:
        values, indices = top_k(moved, size)
    else:
        values, indices = top_k(-moved, size)
        values = -values
    return [pnp.moveaxis(values, -1, axis), pnp.moveaxis(indices, -1, axis)]  # a list, as jax.lax's


@primitive
def approx_max_k(operand: ArrayLike, k: int, reduction_dimension: int = -1, recall_target: float = 0.95,
                 reduction_input_size_override: int = -1, aggregate_to_topk: bool = True) -> list[Array]:
    """The ``k`` largest values along ``reduction_dimension`` and their int32 indices (``jax.lax.approx_max_k``).

    On CPU XLA computes this exactly (a sort), and so does portax on every backend: the values are
    :func:`top_k`'s, largest first. ``recall_target`` and ``reduction_input_size_override`` are accepted.

    Args:
        operand: a floating-point array of rank >= 1.
        k: how many values.
        reduction_dimension: the axis searched.
        recall_target: accepted (the result is exact).
        reduction_input_size_override: accepted.
        aggregate_to_topk: False returns the whole axis sorted (an allowed "at least k" result).

    Returns:
        ``[values, indices]`` (a list, as JAX returns).

    Raises:
        ValueError: ``k`` not positive or larger than the axis, or ``operand`` not floating point.
        TypeError: a 0-d ``operand``.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> values, indices = portax.lax.approx_max_k(jnp.array([0.5, 3.0, 1.0, 2.0]), 2)
        >>> values.tolist(), indices.tolist()
        ([3.0, 2.0], [1, 3])
    """
    return _approx_top_k(operand, k, reduction_dimension, True, aggregate_to_topk)


@primitive
def approx_min_k(operand: ArrayLike, k: int, reduction_dimension: int = -1, recall_target: float = 0.95,
                 reduction_input_size_override: int = -1, aggregate_to_topk: bool = True) -> list[Array]:
    """The ``k`` smallest values along ``reduction_dimension`` and their int32 indices (``jax.lax.approx_min_k``).

    Exact, as on XLA's CPU backend (see :func:`approx_max_k`); smallest first.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> values, indices = portax.lax.approx_min_k(jnp.array([0.5, 3.0, 1.0, 2.0]), 2)
        >>> values.tolist(), indices.tolist()
        ([0.5, 1.0], [0, 2])
    """
    return _approx_top_k(operand, k, reduction_dimension, False, aggregate_to_topk)


# -- ragged_dot ---------------------------------------------------------------------------------------------------------


def ragged_dot(lhs: ArrayLike, rhs: ArrayLike, group_sizes: ArrayLike, precision: Any = None,
               preferred_element_type: Any = None, group_offset: ArrayLike | None = None,
               out_sharding: Any = None) -> Array:
    """Grouped matrix product: consecutive row groups of ``lhs`` times their own ``rhs`` matrix
    (``jax.lax.ragged_dot``).

    Rows ``[sum(group_sizes[:g]), sum(group_sizes[:g+1]))`` of ``lhs`` multiply ``rhs[g]``; rows past
    ``sum(group_sizes)`` give zeros. Written over ``portax.numpy`` (one batched product and a group mask), so it is
    differentiable in ``lhs`` and ``rhs``, vmappable and jittable on every backend.

    Args:
        lhs: ``(m, k)`` array.
        rhs: ``(g, k, n)`` array.
        group_sizes: ``(g,)`` integer array.
        precision: accepted (see :class:`Precision`).
        preferred_element_type: dtype of the result.
        group_offset: not supported (JAX 0.10 rejects it too).

    Returns:
        ``(m, n)`` array.

    Raises:
        TypeError: shapes that do not fit together, or a non-integer ``group_sizes``.
        NotImplementedError: ``group_offset`` given (as JAX).

    Example:
        >>> import portax, portax.numpy as jnp
        >>> out = portax.lax.ragged_dot(jnp.ones((3, 2)), jnp.stack([jnp.ones((2, 1)), 2 * jnp.ones((2, 1))]),
        ...                             jnp.array([1, 2]))
        >>> out.tolist()
        [[2.0], [4.0], [4.0]]
    """
    if group_offset is not None:
        raise NotImplementedError("Unimplemented group_offset support.")
    lhs = as_array(lhs, rhs)
    rhs = as_array(rhs, lhs)
    group_sizes = as_array(group_sizes, lhs)
    if lhs.ndim != 2 or rhs.ndim != 3 or group_sizes.ndim != 1:
        raise TypeError(
            "ragged_dot requires lhs of rank 2, rhs of rank 3 and group_sizes of rank 1, got shapes "
            f"{tuple(lhs.shape)}, {tuple(rhs.shape)} and {tuple(group_sizes.shape)}"
        )
    if lhs.shape[1] != rhs.shape[1]:
        raise TypeError(
            f"ragged_dot requires contracting dimensions to have the same shape, got {lhs.shape[1]} and "
            f"{rhs.shape[1]}."
        )
    if group_sizes.shape[0] != rhs.shape[0]:
        raise TypeError(
            f"group_sizes must have shape ({rhs.shape[0]},) (the number of groups of rhs), got "
            f"{tuple(group_sizes.shape)}"
        )
    if kind(group_sizes.dtype) not in "iu":
        raise TypeError(f"group_sizes must have an integer dtype, got {dtype_name(group_sizes.dtype)}")
    if preferred_element_type is not None:
        lhs, rhs = pnp.astype(lhs, preferred_element_type), pnp.astype(rhs, preferred_element_type)
    elif dtype_name(lhs.dtype) != dtype_name(rhs.dtype):
        dtype = pnp.result_type(lhs, rhs)
        lhs, rhs = pnp.astype(lhs, dtype), pnp.astype(rhs, dtype)
    ends = pnp.cumsum(group_sizes)
    rows = pnp.arange(lhs.shape[0], dtype=ends.dtype)
    starts = ends - group_sizes
    # (g, m): which group each row belongs to (none for rows past the last group)
    member = (rows[None, :] >= starts[:, None]) & (rows[None, :] < ends[:, None])
    per_group = pnp.einsum("mk,gkn->gmn", lhs, rhs)
    return pnp.sum(pnp.where(member[:, :, None], per_group, pnp.zeros((), dtype=per_group.dtype)), axis=0)


# -- experimental RNG primitives ----------------------------------------------------------------------------------------


@primitive
def rng_uniform(a: ArrayLike, b: ArrayLike, shape: Sequence[int]) -> Array:
    """Uniform values in ``[a, b)`` from a stateful generator (``jax.lax.rng_uniform``; JAX discourages it).

    Each call draws fresh values (on torch from torch's global generator, so ``torch.manual_seed`` fixes them);
    use ``portax.random`` for reproducible, keyed streams.

    Args:
        a: scalar lower bound.
        b: scalar upper bound, of ``a``'s dtype.
        shape: output shape.

    Returns:
        An array of ``shape`` and ``a``'s dtype.

    Raises:
        ValueError: ``a`` and ``b`` are not scalars of one dtype.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> x = portax.lax.rng_uniform(jnp.asarray(2.0), jnp.asarray(3.0), (4,))
        >>> bool(((x >= 2.0) & (x < 3.0)).all())
        True
    """
    a = as_array(a, b)
    b = as_array(b, a)
    if dtype_name(a.dtype) != dtype_name(b.dtype):
        raise ValueError(
            f"Arguments to rng_uniform must have identical dtypes, got {dtype_name(a.dtype)} and "
            f"{dtype_name(b.dtype)}."
        )
    if a.shape != () or b.shape != ():
        raise ValueError(
            f"Arguments to rng_uniform must be scalars; got shapes {tuple(a.shape)} and {tuple(b.shape)}."
        )
    shape = tuple(operator.index(d) for d in shape)
    draw = kernel("rng_uniform", _no_stateful_generator, a)
    return draw(a, b, shape)


def _no_stateful_generator(a: Array, b: Array, shape: tuple[int, ...]) -> Array:
    raise unsupported("rng_uniform", a)


_BIT_DTYPES = ("uint8", "uint16", "uint32", "uint64")


@primitive
def rng_bit_generator(key: ArrayLike, shape: Sequence[int], dtype: Any = np.uint32,
                      algorithm: RandomAlgorithm = RandomAlgorithm.RNG_DEFAULT, *,
                      out_sharding: Any = None) -> tuple[Array, Array]:
    """Stateless random bits from a key, and the next key (``jax.lax.rng_bit_generator``).

    Deterministic: the same key gives the same bits and the same next key, under ``jit`` and ``vmap`` too. On JAX it
    is XLA's generator; elsewhere it is portax's Threefry-2x32 keyed by the key's words, so the bits differ from
    XLA's (XLA's own bits already differ between platforms for ``RNG_DEFAULT``).

    Args:
        key: ``uint32`` array of shape ``(4,)`` (or ``(2,)``), the generator state.
        shape: shape of the bits.
        dtype: ``uint8``, ``uint16``, ``uint32`` or ``uint64``.
        algorithm: a :class:`RandomAlgorithm` (accepted; see above).

    Returns:
        ``(new_key, bits)``: the next key (the key's shape and dtype) and the bits.

    Raises:
        TypeError: an unsupported dtype.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> new_key, bits = portax.lax.rng_bit_generator(jnp.zeros(4, dtype=jnp.uint32), (3,))
        >>> tuple(bits.shape), tuple(new_key.shape)
        ((3,), (4,))
    """
    from portax._src import random as prandom

    shape = tuple(operator.index(d) for d in shape)
    name = np.dtype(dtype).name if not hasattr(dtype, "is_floating_point") else str(dtype).rsplit(".", 1)[-1]
    if name not in _BIT_DTYPES:
        raise TypeError(f"rng_bit_generator: unsupported dtype {name}")
    key = as_array(key)
    if kind(key.dtype) not in "iu" or key.ndim != 1 or key.shape[0] < 1:
        raise TypeError(f"rng_bit_generator: key must be a 1-d array of unsigned integers, got "
                        f"{dtype_name(key.dtype)}{list(key.shape)}")
    words = pnp.astype(key, "uint32") if bits(key.dtype) <= 32 else _split_words(key)
    base = pnp.stack([words[0], words[1] if words.shape[0] > 1 else words[0] * 0])
    for i in range(2, words.shape[0]):
        base = prandom.fold_in(base, words[i])
    next_base, draw = prandom.split(base)
    if name == "uint64":
        if not config.x64_enabled():
            raise TypeError("rng_bit_generator: dtype uint64 needs 64-bit types (portax.config.update("
                            "'jax_enable_x64', True))")
        high = pnp.astype(prandom.bits(draw, shape, "uint32"), "uint64")
        low = pnp.astype(prandom.bits(prandom.fold_in(draw, 1), shape, "uint32"), "uint64")
        out = (high << 32) | low
    else:
        out = pnp.astype(prandom.bits(draw, shape, "uint32"), name)
    count = key.shape[0] * bits(key.dtype) // 32
    new_words = prandom.bits(next_base, (count,), "uint32")
    new_key = new_words if bits(key.dtype) <= 32 else _join_words(new_words)
    return pnp.astype(new_key, key.dtype), out


def _split_words(key: Array) -> Array:
    """uint64 words as uint32 pairs (high, low)."""
    key = pnp.astype(key, "uint64")
    high = pnp.astype(key >> 32, "uint32")
    low = pnp.astype(key & 0xFFFFFFFF, "uint32")
    return pnp.reshape(pnp.stack([high, low], axis=-1), (-1,))


def _join_words(words: Array) -> Array:
    pairs = pnp.reshape(pnp.astype(words, "uint64"), (-1, 2))
    return (pairs[:, 0] << 32) | pairs[:, 1]


# -- axis_size ----------------------------------------------------------------------------------------------------------


@primitive
def axis_size(axis_name: Any) -> int:
    """The size of the named mapped axis (``jax.lax.axis_size``), a Python int; a tuple of names gives the product.

    Works inside ``portax.vmap(..., axis_name=)``, ``pmap`` and ``shard_map``.

    Raises:
        NameError: no enclosing map binds ``axis_name``.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> portax.vmap(lambda x: x * portax.lax.axis_size("i"), axis_name="i")(jnp.ones(3)).tolist()
        [3.0, 3.0, 3.0]
    """
    names = _check_axis_name(axis_name, "portax.lax.axis_size")
    backend = registry.tracing_backend() or registry.current_backend()
    collectives = _parallel(backend, "collectives", "portax.lax.axis_size")
    return math.prod(int(collectives.axis_size(name)) for name in names)
