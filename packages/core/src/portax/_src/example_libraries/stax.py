"""JAX's example neural-network library (``jax.example_libraries.stax``, JAX 0.10), written once on portax.

A layer is an ``(init_fun, apply_fun)`` pair: ``init_fun(rng, input_shape) -> (output_shape, params)`` and
``apply_fun(params, inputs, **kwargs) -> outputs``. Same layers, initializers and PRNG splitting as JAX's, so with the
same key a network gets the same parameters on every backend. Convolutions and pooling call
``portax.lax.conv_general_dilated``/``conv_transpose``/``reduce_window`` when a layer is applied.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import portax.numpy as jnp
from portax import random
from portax._src.nn import elu, gelu, leaky_relu, log_softmax, relu, selu, sigmoid, softmax, softplus, standardize
from portax._src.nn_initializers import glorot_normal, normal, ones, zeros

glorot = glorot_normal
randn = normal
logsoftmax = log_softmax

Layer = tuple[Callable[..., Any], Callable[..., Any]]


def _lax() -> Any:
    import portax.lax

    return portax.lax


def _lax_function(name: str) -> Callable[..., Any]:
    function = getattr(_lax(), name, None)
    if function is None:
        raise NotImplementedError(
            f"stax needs portax.lax.{name}, which this portax version does not have; upgrade portax"
        )
    return function


# -- shape arithmetic (JAX's lax.padtype_to_pads / conv_general_shape_tuple / reduce_window_shape_tuple) -----------


def _padtype_to_pads(
    in_shape: Sequence[int], window_shape: Sequence[int], strides: Sequence[int], padding: Any
) -> list[tuple[int, int]]:
    if not isinstance(padding, str):
        return [tuple(p) for p in padding]  # type: ignore[misc]
    mode = padding.upper()
    if mode == "VALID":
        return [(0, 0)] * len(in_shape)
    if mode in ("SAME", "SAME_LOWER"):
        out_shape = [-(-size // stride) for size, stride in zip(in_shape, strides, strict=True)]
        totals = [
            max((out - 1) * stride + window - size, 0)
            for out, stride, window, size in zip(out_shape, strides, window_shape, in_shape, strict=True)
        ]
        if mode == "SAME":
            return [(total // 2, total - total // 2) for total in totals]
        return [(total - total // 2, total // 2) for total in totals]
    raise ValueError(f"Unknown padding type: {padding}; use 'SAME', 'SAME_LOWER', 'VALID' or (low, high) pairs")


def _windowed_shape(
    in_shape: Sequence[int], window: Sequence[int], strides: Sequence[int], pads: Sequence[tuple[int, int]]
) -> tuple[int, ...]:
    return tuple(
        (size + lo + hi - w) // s + 1 for size, w, s, (lo, hi) in zip(in_shape, window, strides, pads, strict=True)
    )


def _spatial_sizes(
    lhs_shape: Sequence[int], rhs_shape: Sequence[int], specs: Sequence[str]
) -> tuple[list[str], list[int], list[int]]:
    """Spatial dimension letters in the kernel's order (the order of strides and padding, as JAX's
    ``conv_general_permutations``), with the input's and the kernel's sizes along them."""
    lhs_spec, rhs_spec, _ = specs
    spatial = [c for c in rhs_spec if c not in "IO"]
    return spatial, [lhs_shape[lhs_spec.index(c)] for c in spatial], [rhs_shape[rhs_spec.index(c)] for c in spatial]


def _assemble(sizes: dict[str, int], lhs_shape: Sequence[int], rhs_shape: Sequence[int], specs: Sequence[str]) -> Any:
    lhs_spec, rhs_spec, out_spec = specs
    sizes = {**sizes, "N": lhs_shape[lhs_spec.index("N")], "C": rhs_shape[rhs_spec.index("O")]}
    return tuple(sizes[c] for c in out_spec)


def _conv_shape(
    lhs_shape: Sequence[int], rhs_shape: Sequence[int], strides: Sequence[int], padding: Any, specs: Sequence[str]
) -> tuple[int, ...]:
    """The output shape of ``conv_general_dilated`` with ``dimension_numbers=specs`` (strings such as 'NHWC')."""
    spatial, in_sizes, windows = _spatial_sizes(lhs_shape, rhs_shape, specs)
    pads = _padtype_to_pads(in_sizes, windows, strides, padding)
    sizes = dict(zip(spatial, _windowed_shape(in_sizes, windows, strides, pads), strict=True))
    return _assemble(sizes, lhs_shape, rhs_shape, specs)


def _conv_transpose_shape(
    lhs_shape: Sequence[int], rhs_shape: Sequence[int], strides: Sequence[int], padding: Any, specs: Sequence[str]
) -> tuple[int, ...]:
    """The output shape of ``conv_transpose`` (JAX's ``conv_transpose_shape_tuple``)."""
    spatial, in_sizes, windows = _spatial_sizes(lhs_shape, rhs_shape, specs)
    if isinstance(padding, str):
        mode = padding.upper()
        if mode not in ("SAME", "VALID"):
            raise ValueError(f"Invalid padding mode: {padding}")
        extra = [max(k - s, 0) if mode == "VALID" else 0 for k, s in zip(windows, strides, strict=True)]
        out = [i * s + e for i, s, e in zip(in_sizes, strides, extra, strict=True)]
    else:
        out = [
            (i - 1) * s - k + 2 + lo + hi
            for i, k, s, (lo, hi) in zip(in_sizes, windows, strides, padding, strict=True)
        ]
    return _assemble(dict(zip(spatial, out, strict=True)), lhs_shape, rhs_shape, specs)


# -- layers ----------------------------------------------------------------------------------------------------------


def Dense(out_dim: int, W_init: Callable[..., Any] = glorot_normal(), b_init: Callable[..., Any] = normal()) -> Layer:  # noqa: N802, N803, B008
    """A fully connected layer ``inputs @ W + b``.

    Example:
        >>> import portax
        >>> init_fun, apply_fun = Dense(3)
        >>> out_shape, params = init_fun(portax.random.PRNGKey(0), (-1, 2))
        >>> out_shape, tuple(apply_fun(params, portax.numpy.ones((4, 2))).shape)
        ((-1, 3), (4, 3))
    """

    def init_fun(rng: Any, input_shape: Sequence[int]) -> tuple[tuple[int, ...], Any]:
        output_shape = tuple(input_shape[:-1]) + (out_dim,)
        k1, k2 = random.split(rng)
        return output_shape, (W_init(k1, (input_shape[-1], out_dim)), b_init(k2, (out_dim,)))

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        W, b = params  # noqa: N806
        return jnp.dot(inputs, W) + b

    return init_fun, apply_fun


def GeneralConv(  # noqa: N802
    dimension_numbers: Sequence[str],
    out_chan: int,
    filter_shape: Sequence[int],
    strides: Sequence[int] | None = None,
    padding: Any = "VALID",
    W_init: Callable[..., Any] | None = None,  # noqa: N803
    b_init: Callable[..., Any] = normal(1e-6),  # noqa: B008
) -> Layer:
    """A convolution layer with ``dimension_numbers`` such as ``('NHWC', 'HWIO', 'NHWC')`` (``Conv``'s)."""
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    one = (1,) * len(filter_shape)
    strides = tuple(strides or one)
    W_init = W_init or glorot_normal(rhs_spec.index("I"), rhs_spec.index("O"))  # noqa: N806

    def init_fun(rng: Any, input_shape: Sequence[int]) -> tuple[tuple[int, ...], Any]:
        filter_shape_iter = iter(filter_shape)
        kernel_shape = [
            out_chan if c == "O" else input_shape[lhs_spec.index("C")] if c == "I" else next(filter_shape_iter)
            for c in rhs_spec
        ]
        output_shape = _conv_shape(input_shape, kernel_shape, strides, padding, dimension_numbers)
        bias_shape = [out_chan if c == "C" else 1 for c in out_spec]
        k1, k2 = random.split(rng)
        return output_shape, (W_init(k1, kernel_shape), b_init(k2, bias_shape))

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        W, b = params  # noqa: N806
        conv = _lax_function("conv_general_dilated")
        return conv(inputs, W, strides, padding, one, one, dimension_numbers=tuple(dimension_numbers)) + b

    return init_fun, apply_fun


Conv = functools.partial(GeneralConv, ("NHWC", "HWIO", "NHWC"))


def GeneralConvTranspose(  # noqa: N802
    dimension_numbers: Sequence[str],
    out_chan: int,
    filter_shape: Sequence[int],
    strides: Sequence[int] | None = None,
    padding: Any = "VALID",
    W_init: Callable[..., Any] | None = None,  # noqa: N803
    b_init: Callable[..., Any] = normal(1e-6),  # noqa: B008
) -> Layer:
    """A transposed-convolution layer (``lax.conv_transpose``) with ``dimension_numbers``."""
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    one = (1,) * len(filter_shape)
    strides = tuple(strides or one)
    W_init = W_init or glorot_normal(rhs_spec.index("I"), rhs_spec.index("O"))  # noqa: N806

    def init_fun(rng: Any, input_shape: Sequence[int]) -> tuple[tuple[int, ...], Any]:
        filter_shape_iter = iter(filter_shape)
        kernel_shape = [
            out_chan if c == "O" else input_shape[lhs_spec.index("C")] if c == "I" else next(filter_shape_iter)
            for c in rhs_spec
        ]
        output_shape = _conv_transpose_shape(input_shape, kernel_shape, strides, padding, dimension_numbers)
        bias_shape = [out_chan if c == "C" else 1 for c in out_spec]
        k1, k2 = random.split(rng)
        return output_shape, (W_init(k1, kernel_shape), b_init(k2, bias_shape))

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        W, b = params  # noqa: N806
        conv_transpose = _lax_function("conv_transpose")
        return conv_transpose(inputs, W, strides, padding, dimension_numbers=tuple(dimension_numbers)) + b

    return init_fun, apply_fun


Conv1DTranspose = functools.partial(GeneralConvTranspose, ("NHC", "HIO", "NHC"))
ConvTranspose = functools.partial(GeneralConvTranspose, ("NHWC", "HWIO", "NHWC"))


def BatchNorm(  # noqa: N802
    axis: int | Sequence[int] = (0, 1, 2),
    epsilon: float = 1e-5,
    center: bool = True,
    scale: bool = True,
    beta_init: Callable[..., Any] = zeros,
    gamma_init: Callable[..., Any] = ones,
) -> Layer:
    """Batch normalization over ``axis`` (no running statistics, as JAX's stax)."""
    axis = (axis,) if isinstance(axis, int) else tuple(axis)

    def init_fun(rng: Any, input_shape: Sequence[int]) -> tuple[Sequence[int], Any]:
        shape = tuple(d for i, d in enumerate(input_shape) if i not in axis)
        k1, k2 = random.split(rng)
        beta = beta_init(k1, shape) if center else ()
        gamma = gamma_init(k2, shape) if scale else ()
        return input_shape, (beta, gamma)

    def apply_fun(params: Any, x: Any, **kwargs: Any) -> Any:
        beta, gamma = params
        ed = tuple(None if i in axis else slice(None) for i in range(jnp.ndim(x)))
        z = standardize(x, axis, epsilon=epsilon)
        if center and scale:
            return gamma[ed] * z + beta[ed]
        if center:
            return z + beta[ed]
        if scale:
            return gamma[ed] * z
        return z

    return init_fun, apply_fun


def elementwise(fun: Callable[..., Any], **fun_kwargs: Any) -> Layer:
    """A layer applying ``fun(inputs, **fun_kwargs)``, without parameters."""

    def init_fun(rng: Any, input_shape: Any) -> tuple[Any, tuple[()]]:
        return input_shape, ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return fun(inputs, **fun_kwargs)

    return init_fun, apply_fun


Tanh = elementwise(jnp.tanh)
Relu = elementwise(relu)
Exp = elementwise(jnp.exp)
LogSoftmax = elementwise(log_softmax, axis=-1)
Softmax = elementwise(softmax, axis=-1)
Softplus = elementwise(softplus)
Sigmoid = elementwise(sigmoid)
Elu = elementwise(elu)
LeakyRelu = elementwise(leaky_relu)
Selu = elementwise(selu)
Gelu = elementwise(gelu)


def _pooling_layer(reducer: Callable[..., Any], init_val: float, rescaler: Callable[..., Any] | None = None) -> Any:
    def PoolingLayer(  # noqa: N802
        window_shape: Sequence[int], strides: Sequence[int] | None = None, padding: str = "VALID", spec: Any = None
    ) -> Layer:
        """A pooling layer over the spatial axes (``spec`` such as 'NHWC'; default batch first, channels last)."""
        window_shape = tuple(window_shape)
        strides = tuple(strides or (1,) * len(window_shape))
        rescale = rescaler(window_shape, strides, padding) if rescaler else None
        non_spatial_axes = (0, len(window_shape) + 1) if spec is None else (spec.index("N"), spec.index("C"))
        for i in sorted(non_spatial_axes):
            window_shape = window_shape[:i] + (1,) + window_shape[i:]
            strides = strides[:i] + (1,) + strides[i:]

        def init_fun(rng: Any, input_shape: Sequence[int]) -> tuple[tuple[int, ...], tuple[()]]:
            pads = _padtype_to_pads(input_shape, window_shape, strides, padding)
            return _windowed_shape(input_shape, window_shape, strides, pads), ()

        def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
            reduce_window = _lax_function("reduce_window")
            out = reduce_window(inputs, init_val, reducer, window_shape, strides, padding)
            return rescale(out, inputs, spec) if rescale else out

        return init_fun, apply_fun

    return PoolingLayer


def _normalize_by_window_size(dims: Sequence[int], strides: Sequence[int], padding: str) -> Callable[..., Any]:
    def rescale(outputs: Any, inputs: Any, spec: Any) -> Any:
        non_spatial_axes = (0, inputs.ndim - 1) if spec is None else (spec.index("N"), spec.index("C"))
        spatial_shape = tuple(inputs.shape[i] for i in range(inputs.ndim) if i not in non_spatial_axes)
        one = jnp.ones(spatial_shape, dtype=inputs.dtype)
        window_sizes = _lax_function("reduce_window")(one, 0.0, jnp.add, dims, strides, padding)
        for i in sorted(non_spatial_axes):
            window_sizes = jnp.expand_dims(window_sizes, i)
        return outputs / window_sizes

    return rescale


# jnp.maximum/jnp.add are the reductions reduce_window maps to the backend's pooling kernels
MaxPool = _pooling_layer(jnp.maximum, -math.inf)
SumPool = _pooling_layer(jnp.add, 0.0)
AvgPool = _pooling_layer(jnp.add, 0.0, _normalize_by_window_size)


def _flatten() -> Layer:
    def init_fun(rng: Any, input_shape: Sequence[int]) -> tuple[tuple[int, int], tuple[()]]:
        return (input_shape[0], math.prod(input_shape[1:])), ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return jnp.reshape(inputs, (inputs.shape[0], -1))

    return init_fun, apply_fun


Flatten = _flatten()


def _identity() -> Layer:
    def init_fun(rng: Any, input_shape: Any) -> tuple[Any, tuple[()]]:
        return input_shape, ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return inputs

    return init_fun, apply_fun


Identity = _identity()


def FanOut(num: int) -> Layer:  # noqa: N802
    """A layer copying its input ``num`` times (a list)."""

    def init_fun(rng: Any, input_shape: Any) -> tuple[list[Any], tuple[()]]:
        return [input_shape] * num, ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> list[Any]:
        return [inputs] * num

    return init_fun, apply_fun


def _fan_in_sum() -> Layer:
    def init_fun(rng: Any, input_shape: Any) -> tuple[Any, tuple[()]]:
        return input_shape[0], ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return functools.reduce(lambda a, b: a + b, inputs)

    return init_fun, apply_fun


FanInSum = _fan_in_sum()


def FanInConcat(axis: int = -1) -> Layer:  # noqa: N802
    """A layer concatenating its list of inputs along ``axis``."""

    def init_fun(rng: Any, input_shape: Any) -> tuple[tuple[int, ...], tuple[()]]:
        ax = axis % len(input_shape[0])
        concat_size = sum(shape[ax] for shape in input_shape)
        return tuple(input_shape[0][:ax]) + (concat_size,) + tuple(input_shape[0][ax + 1 :]), ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return jnp.concatenate(inputs, axis)

    return init_fun, apply_fun


def Dropout(rate: float, mode: str = "train") -> Layer:  # noqa: N802
    """Dropout keeping each input with probability ``rate`` (JAX's stax convention) and scaling by ``1 / rate``.

    Raises:
        ValueError: (when applied) no ``rng=`` key was passed in training mode.
    """

    def init_fun(rng: Any, input_shape: Any) -> tuple[Any, tuple[()]]:
        return input_shape, ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        rng = kwargs.get("rng", None)
        if rng is None:
            raise ValueError(
                "Dropout layer requires apply_fun to be called with a PRNG key argument. That is, instead of "
                "`apply_fun(params, inputs)`, call it like `apply_fun(params, inputs, rng=key)` where `key` is a "
                "PRNG key (e.g. from `portax.random.key`)."
            )
        if mode == "train":
            keep = random.bernoulli(rng, rate, inputs.shape)
            return jnp.where(keep, inputs / rate, 0)
        return inputs

    return init_fun, apply_fun


# -- combinators -----------------------------------------------------------------------------------------------------


def serial(*layers: Layer) -> Layer:
    """The layers applied one after the other; each gets its own split of the init and apply keys.

    Example:
        >>> import portax
        >>> init_fun, apply_fun = serial(Dense(4), Relu, Dense(2), LogSoftmax)
        >>> _, params = init_fun(portax.random.PRNGKey(0), (-1, 3))
        >>> tuple(apply_fun(params, portax.numpy.ones((5, 3))).shape)
        (5, 2)
    """
    nlayers = len(layers)
    init_funs, apply_funs = zip(*layers, strict=True)

    def init_fun(rng: Any, input_shape: Any) -> tuple[Any, list[Any]]:
        params = []
        for layer_init in init_funs:
            rng, layer_rng = random.split(rng)
            input_shape, param = layer_init(layer_rng, input_shape)
            params.append(param)
        return input_shape, params

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        rng = kwargs.pop("rng", None)
        rngs = random.split(rng, nlayers) if rng is not None else (None,) * nlayers
        for fun, param, layer_rng in zip(apply_funs, params, rngs, strict=True):
            inputs = fun(param, inputs, rng=layer_rng, **kwargs)
        return inputs

    return init_fun, apply_fun


def parallel(*layers: Layer) -> Layer:
    """The layers applied side by side to a sequence of inputs (often between ``FanOut`` and ``FanInSum``)."""
    nlayers = len(layers)
    init_funs, apply_funs = zip(*layers, strict=True)

    def init_fun(rng: Any, input_shape: Any) -> Any:
        rngs = random.split(rng, nlayers)
        return zip(*[init(r, shape) for init, r, shape in zip(init_funs, rngs, input_shape, strict=True)], strict=True)

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> list[Any]:
        rng = kwargs.pop("rng", None)
        rngs = random.split(rng, nlayers) if rng is not None else (None,) * nlayers
        return [f(p, x, rng=r, **kwargs) for f, p, x, r in zip(apply_funs, params, inputs, rngs, strict=True)]

    return init_fun, apply_fun


def shape_dependent(make_layer: Callable[[Any], Layer]) -> Layer:
    """A layer built by ``make_layer(input_shape)`` once the input shape is known."""

    def init_fun(rng: Any, input_shape: Any) -> Any:
        return make_layer(input_shape)[0](rng, input_shape)

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return make_layer(inputs.shape)[1](params, inputs, **kwargs)

    return init_fun, apply_fun
