"""``portax.lax``'s contractions, convolutions and windowed reductions, with ``jax.lax`` 0.10's signatures and errors.

Arguments are checked and normalised here, once for every backend (dimension numbers, padding strings, groups), then
the backend's native kernel runs: on JAX ``jax.lax`` itself, on torch ``torch.matmul``,
``torch.nn.functional.conv*`` / ``conv_transpose*`` and the pooling kernels (its ``lax_module`` hook). A reduction
with a computation no backend kernel covers (``lax.mul``, a user function, pytree operands) is written once here over
``portax.numpy``: one strided slice per window offset, folded with the computation.
"""

from __future__ import annotations

import itertools
import math
import operator
import sys
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

import portax.numpy as pnp
from portax._src import config, tree as tree_util
from portax._src.dtypes import canonicalize_dtype
from portax._src.errors import UnsupportedError
from portax._src.scipy._native import backend_for, creating_on, native

Array = Any
DotDimensionNumbers = tuple[tuple[Sequence[int], Sequence[int]], tuple[Sequence[int], Sequence[int]]]


class ConvDimensionNumbers(NamedTuple):
    """Batch, feature and spatial dimensions of a convolution (``jax.lax.ConvDimensionNumbers``).

    Args:
        lhs_spec: ``(batch dimension, feature dimension, spatial dimensions...)`` of the input.
        rhs_spec: ``(out feature dimension, in feature dimension, spatial dimensions...)`` of the kernel.
        out_spec: ``(batch dimension, feature dimension, spatial dimensions...)`` of the output.
    """

    lhs_spec: Sequence[int]
    rhs_spec: Sequence[int]
    out_spec: Sequence[int]


def _native_kernel(backend: Any, name: str) -> Callable[..., Any]:
    kernel = native(backend, name, "lax_module")
    if kernel is None:
        raise UnsupportedError(
            backend.name, f"portax.lax.{name}", "use another backend for this call or add it to the backend's lax module"
        )
    return kernel


def _arrays(*values: Any) -> tuple[Any, list[Any]]:
    backend = backend_for(*values)
    if all(backend.owns(v) for v in values):
        return backend, list(values)
    with creating_on(backend):
        return backend, [v if backend.owns(v) else pnp.asarray(v) for v in values]


_TO_32 = {"float64": "float32", "int64": "int32", "uint64": "uint32", "complex128": "complex64"}


def _native_dtype(backend: Any, dtype: Any) -> Any:
    """The backend's dtype for a user's ``preferred_element_type`` (64-bit types become 32-bit unless x64 is on)."""
    if dtype is None:
        return None
    if type(dtype).__module__ == "torch" or isinstance(dtype, str):
        # By name: torch dynamo cannot trace NumPy's dtype parsing (nor compare np.dtype objects) in a compiled call.
        name = str(dtype).rsplit(".", 1)[-1]
        return backend.dtypes[name if config.x64_enabled() else _TO_32.get(name, name)]
    return backend.dtypes[canonicalize_dtype(dtype).name]


def _dtype_name(x: Any) -> str:
    # str() rather than canonicalize_dtype: torch dynamo cannot trace NumPy's dtype parsing of torch dtypes.
    return str(x.dtype).rsplit(".", 1)[-1]


# -- dot ---------------------------------------------------------------------------------------------------------


def dot_general(
    lhs: Any,
    rhs: Any,
    dimension_numbers: DotDimensionNumbers,
    precision: Any = None,
    preferred_element_type: Any = None,
    *,
    out_sharding: Any = None,
) -> Array:
    """General tensor contraction (``jax.lax.dot_general``).

    The output holds the batch dimensions, then ``lhs``'s free dimensions, then ``rhs``'s.

    Args:
        lhs: an array.
        rhs: an array.
        dimension_numbers: ``((lhs_contracting, rhs_contracting), (lhs_batch, rhs_batch))``, each a sequence of
            dimensions.
        precision: accepted for compatibility (each backend uses its most precise default on CPU).
        preferred_element_type: dtype to accumulate in and return.

    Returns:
        The contraction.

    Raises:
        TypeError: dimension numbers out of range, overlapping, or naming dimensions of different sizes.

    Example:
        >>> import portax, portax.numpy
        >>> x = portax.numpy.ones((2, 3, 4))
        >>> tuple(portax.lax.dot_general(x, x, (((2,), (2,)), ((0,), (0,)))).shape)
        (2, 3, 3)
    """
    backend, (lhs, rhs) = _arrays(lhs, rhs)
    (lhs_contract, rhs_contract), (lhs_batch, rhs_batch) = _check_dot_dimensions(lhs.shape, rhs.shape,
                                                                                  dimension_numbers)
    if _dtype_name(lhs) != _dtype_name(rhs):  # JAX 0.10 promotes mixed operands (float32 x float16 -> float32)
        dtype = pnp.result_type(lhs, rhs)
        lhs, rhs = pnp.astype(lhs, dtype), pnp.astype(rhs, dtype)
    kernel = _native_kernel(backend, "dot_general")
    return kernel(lhs, rhs, ((lhs_contract, rhs_contract), (lhs_batch, rhs_batch)),
                  preferred_element_type=_native_dtype(backend, preferred_element_type))


def _check_dot_dimensions(lhs_shape: Sequence[int], rhs_shape: Sequence[int], dimension_numbers: Any) -> Any:
    # The checks and messages of jax._src.lax.lax._dot_general_shape_rule (0.10).
    try:
        (lhs_contract, rhs_contract), (lhs_batch, rhs_batch) = dimension_numbers
        lhs_contract, rhs_contract, lhs_batch, rhs_batch = (
            tuple(operator.index(d) for d in dims) for dims in (lhs_contract, rhs_contract, lhs_batch, rhs_batch)
        )
    except (TypeError, ValueError) as error:
        raise TypeError(
            "dot_general dimension_numbers must be ((lhs_contracting, rhs_contracting), (lhs_batch, rhs_batch)), "
            f"each a sequence of ints; got {dimension_numbers!r}"
        ) from error
    for side, shape, contract, batch in (("lhs", lhs_shape, lhs_contract, lhs_batch),
                                         ("rhs", rhs_shape, rhs_contract, rhs_batch)):
        for kind, dims in (("contracting", contract), ("batch", batch)):
            if any(d < 0 or d >= len(shape) for d in dims):
                raise TypeError(
                    f"dot_general requires {side} {kind} dimensions to be in range [0, {len(shape)}) for {side} of "
                    f"shape {tuple(shape)}, got {dims}."
                )
            if len(set(dims)) != len(dims):
                raise TypeError(f"dot_general requires {side} {kind} dimensions to be unique, got {dims}.")
        if set(contract) & set(batch):
            raise TypeError(
                f"dot_general requires {side} batch dimensions to be disjoint from contracting dimensions, got "
                f"{side}_batch {batch} and {side}_contracting {contract}."
            )
    if len(lhs_batch) != len(rhs_batch):
        raise TypeError(
            "dot_general requires equal numbers of lhs_batch and rhs_batch dimensions, got lhs_batch "
            f"{lhs_batch} and rhs_batch {rhs_batch}."
        )
    if len(lhs_contract) != len(rhs_contract):
        raise TypeError(
            "dot_general requires equal numbers of lhs_contracting and rhs_contracting dimensions, got "
            f"lhs_contracting {lhs_contract} and rhs_contracting {rhs_contract}."
        )
    lhs_batch_shape = tuple(lhs_shape[d] for d in lhs_batch)
    rhs_batch_shape = tuple(rhs_shape[d] for d in rhs_batch)
    if lhs_batch_shape != rhs_batch_shape:
        raise TypeError(
            "dot_general requires lhs batch dimensions and rhs batch dimensions to have the same shape, got "
            f"{lhs_batch_shape} and {rhs_batch_shape}."
        )
    lhs_contract_shape = tuple(lhs_shape[d] for d in lhs_contract)
    rhs_contract_shape = tuple(rhs_shape[d] for d in rhs_contract)
    if lhs_contract_shape != rhs_contract_shape:
        raise TypeError(
            "dot_general requires contracting dimensions to have the same shape, got "
            f"{lhs_contract_shape} and {rhs_contract_shape}."
        )
    return (lhs_contract, rhs_contract), (lhs_batch, rhs_batch)


def dot(
    lhs: Any,
    rhs: Any,
    *,
    dimension_numbers: DotDimensionNumbers | None = None,
    precision: Any = None,
    preferred_element_type: Any = None,
    out_sharding: Any = None,
) -> Array:
    """Vector/matrix dot product (``jax.lax.dot``): vector-vector, matrix-vector or matrix-matrix.

    Args:
        lhs: an array of rank 1 or 2.
        rhs: an array of rank 1 or 2.
        dimension_numbers: when given, the call is :func:`dot_general`'s.
        precision: accepted for compatibility.
        preferred_element_type: dtype to accumulate in and return.

    Returns:
        The product.

    Raises:
        ValueError: ranks other than 1 or 2 without ``dimension_numbers``.

    Example:
        >>> import portax, portax.numpy
        >>> portax.lax.dot(portax.numpy.ones((2, 3)), portax.numpy.ones(3)).tolist()
        [3.0, 3.0]
    """
    backend, (lhs, rhs) = _arrays(lhs, rhs)
    if dimension_numbers is None:
        if not (1 <= lhs.ndim <= 2 and 1 <= rhs.ndim <= 2):
            raise ValueError(
                "jax.lax.dot: dimension_numbers must be specified when not performing simple un-batched "
                "matrix-matrix, matrix-vector, or vector-vector products; got "
                f"lhs_shape={tuple(lhs.shape)} rhs_shape={tuple(rhs.shape)}"
            )
        dimension_numbers = (((lhs.ndim - 1,), (0,)), ((), ()))
    return dot_general(lhs, rhs, dimension_numbers, precision, preferred_element_type)


def batch_matmul(lhs: Any, rhs: Any, precision: Any = None) -> Array:
    """Batched matrix product over all leading dimensions (``jax.lax.batch_matmul``).

    Args:
        lhs: an array of shape ``(..., m, k)``.
        rhs: an array of shape ``(..., k, n)`` with the same leading dimensions.
        precision: accepted for compatibility.

    Returns:
        An array of shape ``(..., m, n)``.

    Raises:
        ValueError: ranks differ or are below 2, or leading dimensions differ.

    Example:
        >>> import portax, portax.numpy
        >>> tuple(portax.lax.batch_matmul(portax.numpy.ones((5, 2, 3)), portax.numpy.ones((5, 3, 4))).shape)
        (5, 2, 4)
    """
    backend, (lhs, rhs) = _arrays(lhs, rhs)
    if not lhs.ndim == rhs.ndim >= 2:
        raise ValueError(
            f"batch_matmul requires arrays of the same rank >= 2, got lhs shape {tuple(lhs.shape)} and rhs shape "
            f"{tuple(rhs.shape)}"
        )
    if tuple(lhs.shape[:-2]) != tuple(rhs.shape[:-2]):
        raise ValueError(
            f"batch_matmul requires equal batch dimensions, got lhs shape {tuple(lhs.shape)} and rhs shape "
            f"{tuple(rhs.shape)}"
        )
    batch = tuple(range(lhs.ndim - 2))
    return dot_general(lhs, rhs, (((lhs.ndim - 1,), (rhs.ndim - 2,)), (batch, batch)), precision)


# -- convolution geometry (pure Python, as jax._src.lax.convolution) ---------------------------------------------


def conv_general_permutations(dimension_numbers: tuple[str, str, str]) -> tuple[tuple[int, ...], ...]:
    """The ``(lhs, rhs, out)`` permutations of string dimension numbers (``jax.lax.conv_general_permutations``).

    Example:
        >>> import portax, portax.numpy
        >>> portax.lax.conv_general_permutations(("NHWC", "HWIO", "NHWC"))
        ((0, 3, 1, 2), (3, 2, 0, 1), (0, 3, 1, 2))
    """
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    charpairs = (("N", "C"), ("O", "I"), ("N", "C"))
    for i, (a, b) in enumerate(charpairs):
        if not dimension_numbers[i].count(a) == dimension_numbers[i].count(b) == 1:
            raise TypeError(
                f"convolution dimension_numbers[{i}] must contain the characters '{a}' and '{b}' exactly once, "
                f"got {dimension_numbers[i]}."
            )
        if len(dimension_numbers[i]) != len(set(dimension_numbers[i])):
            raise TypeError(
                f"convolution dimension_numbers[{i}] cannot have duplicate characters, got {dimension_numbers[i]}."
            )
    if not (set(lhs_spec) - set(charpairs[0]) == set(rhs_spec) - set(charpairs[1])
            == set(out_spec) - set(charpairs[2])):
        raise TypeError(
            "convolution dimension_numbers elements must each have the same set of spatial characters, got "
            f"{dimension_numbers}."
        )

    def permutation(spec: str, charpair: tuple[str, str]) -> tuple[int, ...]:
        spatial = [i for i, c in enumerate(spec) if c not in charpair]
        if spec is not rhs_spec:
            spatial = sorted(spatial, key=lambda i: rhs_spec.index(spec[i]))
        return (spec.index(charpair[0]), spec.index(charpair[1]), *spatial)

    return tuple(permutation(spec, pair) for spec, pair in zip(dimension_numbers, charpairs, strict=True))


def conv_dimension_numbers(lhs_shape: Sequence[int], rhs_shape: Sequence[int],
                           dimension_numbers: Any) -> ConvDimensionNumbers:
    """Any accepted ``dimension_numbers`` as :class:`ConvDimensionNumbers` (``jax.lax.conv_dimension_numbers``).

    Args:
        lhs_shape: the input's shape.
        rhs_shape: the kernel's shape.
        dimension_numbers: ``None`` (``NCHW``/``OIHW``/``NCHW`` order), three strings such as
            ``("NHWC", "HWIO", "NHWC")``, or a ``ConvDimensionNumbers``.

    Returns:
        The canonical ``ConvDimensionNumbers``.

    Raises:
        TypeError: ranks differ, or the strings are malformed.

    Example:
        >>> import portax, portax.numpy
        >>> portax.lax.conv_dimension_numbers((1, 8, 8, 3), (3, 3, 3, 16), ("NHWC", "HWIO", "NHWC"))
        ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))
    """
    if isinstance(dimension_numbers, ConvDimensionNumbers):
        return dimension_numbers
    if len(lhs_shape) != len(rhs_shape):
        raise TypeError(
            f"convolution requires lhs and rhs ndim to be equal, got {len(lhs_shape)} and {len(rhs_shape)}."
        )
    if dimension_numbers is None:
        iota = tuple(range(len(lhs_shape)))
        return ConvDimensionNumbers(iota, iota, iota)
    if not isinstance(dimension_numbers, (list, tuple)):
        raise TypeError(f"convolution dimension_numbers must be tuple/list or None, got {type(dimension_numbers)}.")
    if len(dimension_numbers) != 3:
        raise TypeError(f"convolution dimension_numbers list/tuple must be length 3, got {len(dimension_numbers)}.")
    if all(isinstance(spec, (list, tuple)) for spec in dimension_numbers):
        # jax.lax.ConvDimensionNumbers (another NamedTuple class) or plain integer specs: accepted as they are.
        specs = [tuple(operator.index(d) for d in spec) for spec in dimension_numbers]
        if any(sorted(spec) != list(range(len(lhs_shape))) for spec in specs):
            raise TypeError(f"convolution dimension_numbers must be permutations of range({len(lhs_shape)}), "
                            f"got {dimension_numbers}.")
        return ConvDimensionNumbers(*specs)
    if not all(isinstance(spec, str) for spec in dimension_numbers):
        raise TypeError(
            f"convolution dimension_numbers elements must be strings, got {tuple(map(type, dimension_numbers))}."
        )
    for i, spec in enumerate(dimension_numbers):
        if len(spec) != len(lhs_shape):
            raise TypeError(
                f"convolution dimension_numbers[{i}] must have len equal to the ndim of lhs and rhs, got {len(spec)} "
                f"for lhs and rhs shapes {tuple(lhs_shape)} and {tuple(rhs_shape)}."
            )
    return ConvDimensionNumbers(*conv_general_permutations(tuple(dimension_numbers)))


def padtype_to_pads(in_shape: Sequence[int], window_shape: Sequence[int], window_strides: Sequence[int],
                    padding: str) -> list[tuple[int, int]]:
    """``(low, high)`` pads of ``'SAME'``, ``'SAME_LOWER'`` or ``'VALID'`` (``jax.lax.padtype_to_pads``).

    Args:
        in_shape: spatial input shape.
        window_shape: (dilated) window shape.
        window_strides: window strides.
        padding: ``'SAME'`` (odd padding at the end), ``'SAME_LOWER'`` (at the start) or ``'VALID'``.

    Returns:
        One ``(low, high)`` pair per dimension.

    Raises:
        RuntimeError: an unknown padding string (JAX's class).

    Example:
        >>> import portax, portax.numpy
        >>> portax.lax.padtype_to_pads((8, 8), (3, 3), (2, 2), "SAME")
        [(0, 1), (0, 1)]
    """
    kind = padding.upper() if isinstance(padding, str) else getattr(padding, "name", padding)
    if kind not in ("SAME", "SAME_LOWER", "VALID"):
        if isinstance(padding, str):
            raise RuntimeError(
                f"Unrecognized padding type: expected 'VALID', 'SAME', or 'SAME_LOWER', got {padding}."
            )
        raise TypeError(f"Unknown padding type: {padding}.")
    if kind == "VALID":
        return [(0, 0)] * len(in_shape)
    pads = []
    for size, window, stride in zip(in_shape, window_shape, window_strides, strict=True):
        out = -(-int(size) // int(stride))
        total = max((out - 1) * int(stride) + int(window) - int(size), 0)
        low = total // 2 if kind == "SAME" else total - total // 2
        pads.append((low, total - low))
    return pads


def _dilate_dim(size: int, dilation: int) -> int:
    return 0 if size == 0 else 1 + dilation * (size - 1)


def _int_tuple(values: Any, name: str, count: int, where: str) -> tuple[int, ...]:
    try:
        result = tuple(operator.index(v) for v in values)
    except TypeError as error:
        raise TypeError(f"{where}: {name} must be a sequence of ints, got {values!r}") from error
    if len(result) != count:
        raise ValueError(f"{where}: {name} must have one entry per spatial dimension ({count}), got {values!r}")
    if any(v <= 0 for v in result):
        raise ValueError(f"{where}: {name} must be positive, got {values!r}")
    return result


# -- convolution -------------------------------------------------------------------------------------------------


def conv_general_dilated(
    lhs: Any,
    rhs: Any,
    window_strides: Sequence[int],
    padding: str | Sequence[tuple[int, int]],
    lhs_dilation: Sequence[int] | None = None,
    rhs_dilation: Sequence[int] | None = None,
    dimension_numbers: Any = None,
    feature_group_count: int = 1,
    batch_group_count: int = 1,
    precision: Any = None,
    preferred_element_type: Any = None,
    out_sharding: Any = None,
) -> Array:
    """General n-dimensional convolution with strides, padding and dilations (``jax.lax.conv_general_dilated``).

    Args:
        lhs: input of rank ``n + 2``.
        rhs: kernel of rank ``n + 2``.
        window_strides: ``n`` strides.
        padding: ``'SAME'``, ``'SAME_LOWER'``, ``'VALID'`` or ``n`` ``(low, high)`` pairs (negative crops).
        lhs_dilation: ``n`` input dilations (a transposed convolution), default 1.
        rhs_dilation: ``n`` kernel dilations (atrous convolution), default 1.
        dimension_numbers: ``None`` (``NCHW``, ``OIHW``, ``NCHW``), strings such as ``("NHWC", "HWIO", "NHWC")`` or
            a :class:`ConvDimensionNumbers`.
        feature_group_count: grouped (depthwise) convolution over the feature dimension.
        batch_group_count: groups of the batch dimension (what the kernel gradient of a grouped convolution uses).
        precision: accepted for compatibility.
        preferred_element_type: dtype to accumulate in and return.

    Returns:
        The convolution, laid out as ``dimension_numbers``' output spec.

    Raises:
        TypeError: ranks or dtypes differ, malformed dimension numbers or padding.
        ValueError: groups that do not divide the feature or batch sizes; strides of the wrong length.

    Example:
        >>> import portax, portax.numpy
        >>> x, k = portax.numpy.ones((1, 5, 5, 2)), portax.numpy.ones((3, 3, 2, 4))
        >>> tuple(portax.lax.conv_general_dilated(x, k, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC")).shape)
        (1, 5, 5, 4)
    """
    backend, (lhs, rhs) = _arrays(lhs, rhs)
    dnums = conv_dimension_numbers(lhs.shape, rhs.shape, dimension_numbers)
    if lhs.ndim != rhs.ndim:
        raise TypeError(f"convolution requires lhs and rhs ndim to be equal, got {lhs.ndim} and {rhs.ndim}.")
    spatial = lhs.ndim - 2
    where = "conv_general_dilated"
    if len(window_strides) != spatial:
        raise ValueError(
            f"conv_general_dilated window and window_strides must have the same number of dimensions, but got "
            f"{spatial} and {len(window_strides)}"
        )
    window_strides = _int_tuple(window_strides, "window_strides", spatial, where)
    lhs_dilation = (1,) * spatial if lhs_dilation is None else _int_tuple(lhs_dilation, "lhs_dilation", spatial, where)
    rhs_dilation = (1,) * spatial if rhs_dilation is None else _int_tuple(rhs_dilation, "rhs_dilation", spatial, where)
    lhs_dtype, rhs_dtype = _dtype_name(lhs), _dtype_name(rhs)
    if lhs_dtype != rhs_dtype:
        raise TypeError(
            f"lax.conv_general_dilated requires arguments to have the same dtypes, got {lhs_dtype}, {rhs_dtype}."
        )
    _check_groups(lhs.shape, rhs.shape, dnums, feature_group_count, batch_group_count)
    kernel_shape = [rhs.shape[d] for d in dnums.rhs_spec[2:]]
    if isinstance(padding, str):
        if any(d != 1 for d in lhs_dilation):
            raise ValueError(
                "String padding is not implemented for transposed convolution using this op. Please either exactly "
                "specify the required padding or use conv_transpose."
            )
        effective = [_dilate_dim(k, r) for k, r in zip(kernel_shape, rhs_dilation, strict=True)]
        pads = tuple(padtype_to_pads([lhs.shape[d] for d in dnums.lhs_spec[2:]], effective, window_strides, padding))
    else:
        try:
            pads = tuple((operator.index(lo), operator.index(hi)) for lo, hi in padding)
        except (ValueError, TypeError) as error:
            raise ValueError(
                "padding argument to conv_general_dilated should be a string or a sequence of (low, high) pairs, "
                f"got {padding}"
            ) from error
        if len(pads) != spatial:
            raise TypeError(f"Wrong number of explicit pads for convolution: expected {spatial}, got {len(pads)}.")
    kernel = _native_kernel(backend, "conv_general_dilated")
    return kernel(
        lhs, rhs, window_strides, pads, lhs_dilation, rhs_dilation, dnums, feature_group_count, batch_group_count,
        preferred_element_type=_native_dtype(backend, preferred_element_type),
    )


def _check_groups(lhs_shape: Sequence[int], rhs_shape: Sequence[int], dnums: ConvDimensionNumbers,
                  feature_group_count: int, batch_group_count: int) -> None:
    # jax._src.lax.convolution._conv_general_dilated_shape_rule (0.10): the same checks, messages and classes.
    if not feature_group_count > 0:
        raise ValueError(
            f"conv_general_dilated feature_group_count must be a positive integer, got {feature_group_count}."
        )
    lhs_features = lhs_shape[dnums.lhs_spec[1]]
    rhs_in, rhs_out = rhs_shape[dnums.rhs_spec[1]], rhs_shape[dnums.rhs_spec[0]]
    # // and %, not divmod: torch dynamo has no divmod of symbolic sizes (a second shape makes sizes symbolic).
    quotient, remainder = lhs_features // feature_group_count, lhs_features % feature_group_count
    if remainder:
        raise ValueError(
            "conv_general_dilated feature_group_count must divide lhs feature dimension size, but "
            f"{feature_group_count} does not divide {lhs_features}."
        )
    if quotient != rhs_in:
        raise ValueError(
            "conv_general_dilated lhs feature dimension size divided by feature_group_count must equal the rhs "
            f"input feature dimension size, but {lhs_features} // {feature_group_count} != {rhs_in}."
        )
    if rhs_out % feature_group_count:
        raise ValueError(
            "conv_general_dilated rhs output feature dimension size must be a multiple of feature_group_count, but "
            f"{rhs_out} is not a multiple of {feature_group_count}."
        )
    if not batch_group_count > 0:
        raise ValueError(f"conv_general_dilated batch_group_count must be a positive integer, got {batch_group_count}.")
    lhs_batch = lhs_shape[dnums.lhs_spec[0]]
    if batch_group_count > 1 and lhs_batch % batch_group_count:
        raise ValueError(
            "conv_general_dilated batch_group_count must divide lhs batch dimension size, but "
            f"{batch_group_count} does not divide {lhs_batch}."
        )
    if rhs_out % batch_group_count:
        raise ValueError(
            "conv_general_dilated rhs output feature dimension size must be a multiple of batch_group_count, but "
            f"{rhs_out} is not a multiple of {batch_group_count}."
        )
    if batch_group_count > 1 and feature_group_count > 1:
        raise ValueError(
            "At most one of batch_group_count and feature_group_count may be > 1, got "
            f"batch_group_count={batch_group_count} and feature_group_count={feature_group_count}"
        )


def conv(lhs: Any, rhs: Any, window_strides: Sequence[int], padding: str, precision: Any = None,
         preferred_element_type: Any = None) -> Array:
    """Convolution in ``NCHW``/``OIHW`` layout (``jax.lax.conv``).

    Args:
        lhs: input ``(N, C, spatial...)``.
        rhs: kernel ``(O, I, spatial...)``.
        window_strides: one stride per spatial dimension.
        padding: ``'SAME'``, ``'SAME_LOWER'`` or ``'VALID'``.
        precision: accepted for compatibility.
        preferred_element_type: dtype to accumulate in and return.

    Returns:
        The convolution ``(N, O, spatial...)``.

    Example:
        >>> import portax, portax.numpy
        >>> tuple(portax.lax.conv(portax.numpy.ones((1, 1, 4, 4)), portax.numpy.ones((1, 1, 2, 2)), (1, 1), "VALID").shape)
        (1, 1, 3, 3)
    """
    return conv_general_dilated(lhs, rhs, window_strides, padding, precision=precision,
                                preferred_element_type=preferred_element_type)


def conv_with_general_padding(lhs: Any, rhs: Any, window_strides: Sequence[int],
                              padding: str | Sequence[tuple[int, int]], lhs_dilation: Sequence[int] | None,
                              rhs_dilation: Sequence[int] | None, precision: Any = None,
                              preferred_element_type: Any = None) -> Array:
    """Convolution in ``NCHW``/``OIHW`` layout with explicit padding and dilations (``jax.lax``'s).

    Args:
        lhs: input ``(N, C, spatial...)``.
        rhs: kernel ``(O, I, spatial...)``.
        window_strides: one stride per spatial dimension.
        padding: a padding string or ``(low, high)`` pairs.
        lhs_dilation: input dilations or ``None``.
        rhs_dilation: kernel dilations or ``None``.
        precision: accepted for compatibility.
        preferred_element_type: dtype to accumulate in and return.

    Returns:
        The convolution.

    Example:
        >>> import portax, portax.numpy
        >>> x, k = portax.numpy.ones((1, 1, 4, 4)), portax.numpy.ones((1, 1, 2, 2))
        >>> tuple(portax.lax.conv_with_general_padding(x, k, (1, 1), [(1, 0), (0, 1)], None, (2, 2)).shape)
        (1, 1, 3, 3)
    """
    return conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation=lhs_dilation,
                                rhs_dilation=rhs_dilation, precision=precision,
                                preferred_element_type=preferred_element_type)


def _conv_transpose_padding(k: int, s: int, padding: Any) -> tuple[int, int]:
    # jax._src.lax.convolution._conv_transpose_padding (0.10).
    if padding == "SAME":
        pad_len = k + s - 2
        pad_a = k - 1 if s > k - 1 else math.ceil(pad_len / 2)
    elif padding == "VALID":
        pad_len = k + s - 2 + max(k - s, 0)
        pad_a = k - 1
    elif isinstance(padding, tuple):
        pads = tuple(k - p - 1 for p in padding)
        pad_a = pads[0]
        pad_len = sum(pads)
    else:
        raise ValueError(f"Invalid padding mode: {padding}")
    return pad_a, pad_len - pad_a


_TRANSPOSE_DEFAULT_LAYOUTS = {
    2: ("NC", "IO", "NC"),
    3: ("NHC", "HIO", "NHC"),
    4: ("NHWC", "HWIO", "NHWC"),
    5: ("NHWDC", "HWDIO", "NHWDC"),
}


def conv_transpose(
    lhs: Any,
    rhs: Any,
    strides: Sequence[int],
    padding: str | Sequence[tuple[int, int]],
    rhs_dilation: Sequence[int] | None = None,
    dimension_numbers: Any = None,
    transpose_kernel: bool = False,
    precision: Any = None,
    preferred_element_type: Any = None,
    use_consistent_padding: bool = False,
) -> Array:
    """Transposed ("fractionally strided") convolution (``jax.lax.conv_transpose``, Keras' output conventions).

    Args:
        lhs: input of rank ``n + 2``.
        rhs: kernel of rank ``n + 2``.
        strides: ``n`` fractional strides.
        padding: ``'SAME'``, ``'VALID'`` or ``(low, high)`` pairs (of the transposed convolution, or of the forward
            convolution when ``use_consistent_padding``).
        rhs_dilation: kernel dilations or ``None``.
        dimension_numbers: as :func:`conv_general_dilated`; default TensorFlow's (``NHWC``, ``HWIO``, ``NHWC``).
        transpose_kernel: flip the kernel's spatial axes and swap its feature axes (the gradient of a convolution).
        precision: accepted for compatibility.
        preferred_element_type: dtype to accumulate in and return.
        use_consistent_padding: read pairs as the forward convolution's padding (PyTorch's convention).

    Returns:
        The transposed convolution.

    Example:
        >>> import portax, portax.numpy
        >>> x, k = portax.numpy.ones((1, 4, 4, 2)), portax.numpy.ones((3, 3, 2, 5))
        >>> tuple(portax.lax.conv_transpose(x, k, (2, 2), "SAME").shape)
        (1, 8, 8, 5)
    """
    _, (lhs, rhs) = _arrays(lhs, rhs)
    if lhs.ndim != rhs.ndim or lhs.ndim < 2:
        raise TypeError(
            f"conv_transpose requires lhs and rhs of the same rank >= 2, got shapes {tuple(lhs.shape)} and "
            f"{tuple(rhs.shape)}"
        )
    if dimension_numbers is None:
        if lhs.ndim not in _TRANSPOSE_DEFAULT_LAYOUTS:
            raise ValueError("No 4+ dimensional dimension_number defaults.")
        dimension_numbers = _TRANSPOSE_DEFAULT_LAYOUTS[lhs.ndim]
    dnums = conv_dimension_numbers(lhs.shape, rhs.shape, dimension_numbers)
    kernel_spatial = [rhs.shape[d] for d in dnums.rhs_spec[2:]]
    if rhs_dilation is None:
        rhs_dilation = (1,) * (rhs.ndim - 2)
    if use_consistent_padding or (isinstance(padding, str) and padding in {"SAME", "VALID"}):
        replicated = [padding] * len(strides) if isinstance(padding, str) else padding
        effective = [_dilate_dim(k, r) for k, r in zip(kernel_spatial, rhs_dilation, strict=True)]
        pads: Any = tuple(
            _conv_transpose_padding(k, s, tuple(p) if isinstance(p, list) else p)
            for k, s, p in zip(effective, strides, replicated, strict=True)
        )
    else:
        pads = padding
    if transpose_kernel:
        rhs = pnp.flip(rhs, axis=tuple(dnums.rhs_spec[2:]))
        rhs = pnp.swapaxes(rhs, dnums.rhs_spec[0], dnums.rhs_spec[1])
    return conv_general_dilated(lhs, rhs, (1,) * (lhs.ndim - 2), pads, strides, rhs_dilation, dnums,
                                precision=precision, preferred_element_type=preferred_element_type)


# -- windowed reductions -----------------------------------------------------------------------------------------


def _monoid(computation: Callable[..., Any]) -> str | None:
    """``"add"``, ``"max"``, ``"min"`` or ``"mul"`` when ``computation`` is a known binary op, else None."""
    candidates: dict[str, list[Any]] = {
        "add": [pnp.add, operator.add],
        "max": [pnp.maximum],
        "min": [pnp.minimum],
        "mul": [pnp.multiply, operator.mul],
    }
    lax_modules = [sys.modules.get("portax.lax"), sys.modules.get("jax.lax")]
    for name, known in candidates.items():
        for module in lax_modules:
            if module is not None:
                # vars().get, not getattr(..., None): a handled AttributeError makes torch dynamo give up the graph.
                known.append(vars(module).get(name))
        if any(computation is k for k in known if k is not None):
            return name
    return None


def _identity_of(monoid: str, dtype: np.dtype) -> Any:
    if monoid == "add":
        return 0
    if monoid == "mul":
        return 1
    if dtype == np.bool_:
        return monoid == "min"
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return info.min if monoid == "max" else info.max
    return -math.inf if monoid == "max" else math.inf


def _is_value(init_value: Any, value: Any) -> bool:
    """Whether a concrete scalar ``init_value`` equals ``value`` (False when it is traced or not a scalar)."""
    if isinstance(init_value, (bool, int, float)):
        return init_value == value
    try:
        return bool(np.asarray(init_value) == value) and np.ndim(init_value) == 0
    except Exception:  # a traced value (jit) has no concrete value: the generic path handles it
        return False


def reduce_window(
    operand: Any,
    init_value: Any,
    computation: Callable[[Any, Any], Any],
    window_dimensions: Sequence[int],
    window_strides: Sequence[int] | None = None,
    padding: str | Sequence[tuple[int, int]] = "VALID",
    base_dilation: Sequence[int] | None = None,
    window_dilation: Sequence[int] | None = None,
) -> Any:
    """Reduce each window of ``operand`` with ``computation`` (``jax.lax.reduce_window``).

    ``lax.add`` with ``init_value=0`` and ``lax.max``/``lax.min`` (``jnp.maximum``/``jnp.minimum``) run the
    backend's pooling kernels (torch: ``max_pool*``/``avg_pool*``); other computations and pytree operands are
    folded over the window offsets.

    Args:
        operand: an array or a pytree of arrays.
        init_value: the scalar (pytree of scalars) the reduction starts from; padding is filled with it.
        computation: binary reduction, e.g. ``portax.lax.max`` or ``portax.numpy.add``.
        window_dimensions: the window's size in every dimension of ``operand``.
        window_strides: the windows' strides (default 1).
        padding: ``'SAME'``, ``'SAME_LOWER'``, ``'VALID'`` or ``(low, high)`` pairs.
        base_dilation: operand dilations (holes filled with ``init_value``).
        window_dilation: window dilations.

    Returns:
        The reduced windows (same pytree structure as ``operand``).

    Raises:
        ValueError: ``operand`` and ``init_value`` structures differ.
        TypeError: window parameters do not have one entry per dimension of ``operand``.

    Example:
        >>> import portax, portax.numpy
        >>> x = portax.numpy.arange(6.0).reshape(2, 3)
        >>> portax.lax.reduce_window(x, -portax.numpy.inf, portax.numpy.maximum, (1, 2), (1, 1), "VALID").tolist()
        [[1.0, 2.0], [4.0, 5.0]]
    """
    if isinstance(operand, (tuple, list, dict)) or isinstance(init_value, (tuple, list, dict)):
        leaves, treedef = tree_util.flatten(operand)
        init_leaves, init_treedef = tree_util.flatten(init_value)
        if treedef != init_treedef:
            raise ValueError(
                f"Operands must have the same tree structure as init_values: {treedef} vs. {init_treedef}"
            )
    else:  # one array (the common case; torch dynamo cannot compare tree definitions while it traces)
        leaves, init_leaves, treedef = [operand], [init_value], None
    if not leaves:
        raise ValueError("reduce_window must have at least one operand.")
    backend, leaves = _arrays(*leaves)
    rank = leaves[0].ndim
    where = "reduce_window"
    if len(window_dimensions) != rank:
        raise TypeError(
            f"reduce_window: window_dimensions {tuple(window_dimensions)} must have one entry per dimension of the "
            f"operand (shape {tuple(leaves[0].shape)})"
        )
    window_dimensions = _int_tuple(window_dimensions, "window_dimensions", rank, where)
    window_strides = (1,) * rank if window_strides is None else _int_tuple(window_strides, "window_strides", rank,
                                                                            where)
    base_dilation = (1,) * rank if base_dilation is None else _int_tuple(base_dilation, "base_dilation", rank, where)
    window_dilation = (1,) * rank if window_dilation is None else _int_tuple(window_dilation, "window_dilation",
                                                                               rank, where)
    if isinstance(padding, str):
        effective = [_dilate_dim(k, d) for k, d in zip(window_dimensions, window_dilation, strict=True)]
        pads = tuple(padtype_to_pads(leaves[0].shape, effective, window_strides, padding))
    else:
        pads = tuple((operator.index(lo), operator.index(hi)) for lo, hi in padding)
        if len(pads) != rank:
            raise TypeError(f"reduce_window: padding must have one (low, high) pair per dimension ({rank}), "
                            f"got {padding!r}")
    geometry = (window_dimensions, window_strides, pads, base_dilation, window_dilation)
    if len(leaves) == 1:
        result = _reduce_window_single(backend, leaves[0], init_leaves[0], computation, geometry)
        if result is not None:
            return _rebuild(treedef, [result])
    # Any other computation is folded here on every backend: differentiable, where JAX's generic reduce_window
    # primitive has no derivative.
    return _reduce_window_generic(leaves, init_leaves, treedef, computation, geometry)


def _reduce_window_single(backend: Any, x: Any, init_value: Any, computation: Callable[..., Any],
                          geometry: tuple) -> Any:
    """A monoid reduction through the backend's kernel, or None when none applies."""
    monoid = _monoid(computation)
    if monoid not in ("add", "max", "min"):
        return None
    name = _dtype_name(x)
    identity = _identity_of(monoid, np.dtype(np.float32 if name == "bfloat16" else name))
    kernel = native(backend, f"reduce_window_{monoid}", "lax_module")
    if kernel is None:
        return None
    if _is_value(init_value, identity):
        result = kernel(x, *geometry)
        return None if result is NotImplemented else result
    if monoid in ("max", "min") and not _is_traced_value(init_value):
        # Padding with a non-identity init_value and folding it in once equals max(init, max over the window).
        result = kernel(x, *geometry)
        if result is NotImplemented:
            return None
        combine = pnp.maximum if monoid == "max" else pnp.minimum
        return combine(result, pnp.asarray(init_value, dtype=result.dtype))
    return None


def _is_traced_value(value: Any) -> bool:
    return not isinstance(value, (bool, int, float, np.ndarray, np.generic))


def _rebuild(treedef: Any, leaves: list[Any]) -> Any:
    return leaves[0] if treedef is None else tree_util.unflatten(treedef, leaves)


def _reduce_window_generic(leaves: list[Any], init_leaves: list[Any], treedef: Any, computation: Callable[..., Any],
                           geometry: tuple) -> Any:
    """Any computation: one strided slice per window offset, folded with ``computation`` (over ``portax.numpy``).

    As XLA's ReduceWindow does, padding and base-dilation holes are skipped (not reduced as ``init_value``), so
    ``init_value`` enters each window exactly once: a validity mask selects which folds apply.
    """
    window_dimensions, window_strides, pads, base_dilation, window_dilation = geometry
    prepared = [_pad_dilated(x, pads, base_dilation, 0) for x in leaves]
    holes = any(p != (0, 0) for p in pads) or any(d != 1 for d in base_dilation)
    valid = _pad_dilated(pnp.ones(leaves[0].shape, dtype=bool), pads, base_dilation, False) if holes else None
    shape = prepared[0].shape
    out_shape = [
        max((size - _dilate_dim(k, d)) // s + 1, 0)
        for size, k, d, s in zip(shape, window_dimensions, window_dilation, window_strides, strict=True)
    ]
    accumulator = _rebuild(treedef, [
        pnp.broadcast_to(pnp.asarray(init, dtype=x.dtype), tuple(out_shape))
        for x, init in zip(prepared, init_leaves, strict=True)
    ])
    for offsets in itertools.product(*(range(k) for k in window_dimensions)):
        index = tuple(
            slice(o * d, o * d + (n - 1) * s + 1, s) if n > 0 else slice(0, 0)
            for o, d, n, s in zip(offsets, window_dilation, out_shape, window_strides, strict=True)
        )
        window = _rebuild(treedef, [x[index] for x in prepared])
        folded = computation(accumulator, window)
        if valid is not None:
            mask = valid[index]
            if treedef is None:
                folded = pnp.where(mask, folded, accumulator)
            else:
                folded = tree_util.map(lambda new, old, m=mask: pnp.where(m, new, old), folded, accumulator)
        accumulator = folded
    return accumulator


def _pad_dilated(x: Any, pads: Sequence[tuple[int, int]], base_dilation: Sequence[int], fill: Any) -> Any:
    """``x`` with ``fill`` between neighbours (base dilation) and around it (padding; negative pads crop)."""
    for axis, factor in enumerate(base_dilation):
        if factor > 1 and x.shape[axis] > 0:
            holes = pnp.full_like(x, fill)
            stacked = pnp.stack([x] + [holes] * (factor - 1), axis=axis + 1)
            merged = stacked.reshape(*x.shape[:axis], x.shape[axis] * factor, *x.shape[axis + 1:])
            x = merged[(slice(None),) * axis + (slice(0, (x.shape[axis] - 1) * factor + 1),)]
    for axis, (lo, hi) in enumerate(pads):
        # Blocks of fill concatenated, not pnp.pad: torch dynamo cannot trace pad's NumPy conversion of its widths.
        if lo > 0 or hi > 0:
            def block(size: int, x: Any = x, axis: int = axis) -> Any:
                return pnp.full((*x.shape[:axis], size, *x.shape[axis + 1:]), fill, dtype=x.dtype)

            x = pnp.concatenate([block(max(lo, 0)), x, block(max(hi, 0))], axis=axis)
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        x = x[tuple(slice(-min(lo, 0), x.shape[axis] + hi if hi < 0 else None)
                    for axis, (lo, hi) in enumerate(pads))]
    return x
