"""``portax.nn``: JAX's activation functions, written once over ``portax.numpy`` (jax/_src/nn/functions.py, 0.10).

Where JAX attaches a custom JVP for a gradient convention (``relu``/``relu6`` at the kinks), the same convention
comes here from the formulation itself: the value of the non-smooth branch passes ``stop_gradient``, so ``grad``
at the kink is JAX's (``grad(relu)(0.0) == 0``) and no custom rule stops ``jit`` on torch. ``softmax`` shifts by
the stopped maximum, so ``softmax([0, 1000])`` is finite and its gradient equals JAX's custom-JVP one.

``softmax``/``log_softmax`` over one axis without ``where=`` take the backend's native kernel when its ``scipy`` hook
module has one (``jax.nn``'s own on JAX, ``torch.softmax``/``torch.log_softmax`` on torch: measured several times
faster eagerly, same values and gradients); the formula here is the reference for every other case.
"""

from __future__ import annotations

import math
from typing import Any

import portax.numpy as pnp
from portax._src import transforms
from portax._src.errors import UnsupportedError
from portax._src.scipy import special
from portax._src.scipy._native import backend_for, creating_on, native
from portax._src.scipy.special import logsumexp as logsumexp, promote_inexact

Array = Any

_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_SQRT_HALF = math.sqrt(0.5)
_FLOAT32_MAX = 3.4028234663852886e38


def _array(x: Any) -> Array:
    return special.inexact_array(x)


def _is_array(x: Any) -> bool:
    return hasattr(x, "dtype") and hasattr(x, "shape") and not type(x).__module__.startswith("numpy")


def relu(x: Any) -> Array:
    """``max(x, 0)``; ``grad`` at 0 is 0 as in ``jax.nn.relu``.

    Example:
        >>> import portax, portax.nn
        >>> float(portax.grad(portax.nn.relu)(0.0))
        0.0
    """
    x = _array(x)
    return pnp.where(x > 0, x, transforms.stop_gradient(pnp.maximum(x, 0)))


def relu6(x: Any) -> Array:
    """``min(max(x, 0), 6)``; ``grad`` is 0 at both kinks as in ``jax.nn.relu6``."""
    x = _array(x)
    return pnp.where((x > 0) & (x < 6), x, transforms.stop_gradient(pnp.minimum(pnp.maximum(x, 0), 6.0)))


def identity(x: Any) -> Array:
    """The argument unchanged, as an array of its backend (``jax.nn.identity``)."""
    if _is_array(x):
        return x
    with creating_on(backend_for(x)):
        return pnp.asarray(x)


def tanh(x: Any) -> Array:
    """The hyperbolic tangent (``jax.nn.tanh``, the same function as ``portax.numpy.tanh``)."""
    return pnp.tanh(_array(x))


def squareplus(x: Any, b: Any = 4) -> Array:
    """``(x + sqrt(x**2 + b)) / 2``, a smooth ReLU (``jax.nn.squareplus``)."""
    x, b = promote_inexact(x, b)
    return (x + pnp.sqrt(pnp.square(x) + b)) / 2


def sparse_plus(x: Any) -> Array:
    """0 for ``x <= -1``, ``(x + 1)**2 / 4`` on ``(-1, 1)``, ``x`` for ``x >= 1`` (``jax.nn.sparse_plus``)."""
    x = _array(x)
    return pnp.where(x <= -1.0, pnp.zeros_like(x), pnp.where(x >= 1.0, x, (x + 1.0) ** 2 / 4))


def sparse_sigmoid(x: Any) -> Array:
    """``clip(x + 1, 0, 2) / 2``, the derivative of :func:`sparse_plus` (``jax.nn.sparse_sigmoid``)."""
    # minimum(maximum(...)) as jnp.clip is, so the gradient at x = +-1 is JAX's tie value 0.25 (torch.clamp gives 0.5)
    return 0.5 * pnp.minimum(pnp.maximum(_array(x) + 1.0, 0.0), 2.0)


def softplus(x: Any) -> Array:
    """``log(1 + exp(x))`` computed as ``logaddexp(x, 0)``."""
    return pnp.logaddexp(_array(x), 0.0)


def soft_sign(x: Any) -> Array:
    """``x / (|x| + 1)``."""
    x = _array(x)
    return x / (pnp.abs(x) + 1)


def sigmoid(x: Any) -> Array:
    """The logistic function ``1 / (1 + exp(-x))``."""
    return special.expit(x)


def silu(x: Any) -> Array:
    """``x * sigmoid(x)`` (also called ``swish``)."""
    x = _array(x)
    return x * sigmoid(x)


swish = silu


def mish(x: Any) -> Array:
    """``x * tanh(softplus(x))`` (``jax.nn.mish``)."""
    x = _array(x)
    return x * pnp.tanh(softplus(x))


def hard_sigmoid(x: Any) -> Array:
    """``relu6(x + 3) / 6`` (``jax.nn.hard_sigmoid``)."""
    return relu6(_array(x) + 3.0) / 6.0


def hard_silu(x: Any) -> Array:
    """``x * hard_sigmoid(x)`` (``jax.nn.hard_silu``, also called ``hard_swish``)."""
    x = _array(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def log1mexp(x: Any) -> Array:
    """``log(1 - exp(-x))`` computed stably for ``x >= 0`` (``jax.nn.log1mexp``; NaN for ``x < 0``).

    Each branch sees only inputs where it is the one chosen, so ``grad`` is ``1 / expm1(x)`` everywhere, as JAX's
    custom rule, without a custom rule.

    Example:
        >>> import portax.nn
        >>> round(float(portax.nn.log1mexp(2.0)), 4)
        -0.1454
    """
    x = _array(x)
    cut = math.log(2.0)
    small = x < cut
    near_zero = pnp.where(small, x, pnp.full_like(x, cut))
    far = pnp.where(small, pnp.full_like(x, cut), x)
    return pnp.where(small, pnp.log(-pnp.expm1(-near_zero)), pnp.log1p(-pnp.exp(-far)))


def log_sigmoid(x: Any) -> Array:
    """``log(sigmoid(x))`` computed as ``-softplus(-x)``."""
    return -softplus(-_array(x))


def elu(x: Any, alpha: Any = 1.0) -> Array:
    """``x`` for ``x > 0``, else ``alpha * (exp(x) - 1)``."""
    x = _array(x)
    safe = pnp.where(x > 0, pnp.zeros_like(x), x)
    return pnp.where(x > 0, x, alpha * pnp.expm1(safe))


def celu(x: Any, alpha: Any = 1.0) -> Array:
    """``max(x, 0) + alpha * expm1(min(x, 0) / alpha)``."""
    x = _array(x)
    return pnp.maximum(x, 0.0) + alpha * pnp.expm1(pnp.minimum(x, 0.0) / alpha)


def selu(x: Any) -> Array:
    """Scaled ELU with JAX's constants."""
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946
    return scale * elu(x, alpha)


def leaky_relu(x: Any, negative_slope: Any = 1e-2) -> Array:
    """``x`` for ``x >= 0``, else ``negative_slope * x``."""
    x = _array(x)
    return pnp.where(x >= 0, x, negative_slope * x)


def hard_tanh(x: Any) -> Array:
    """``clip(x, -1, 1)`` with JAX's ``where`` formulation (``grad`` 0 outside ``(-1, 1)`` and at the kinks' outside)."""
    x = _array(x)
    return pnp.where(x > 1, pnp.ones_like(x), pnp.where(x < -1, -pnp.ones_like(x), x))


def gelu(x: Any, approximate: bool = True) -> Array:
    """Gaussian error linear unit; ``approximate=True`` (JAX's default) is the tanh form, else ``x * Phi(x)``."""
    x = _array(x)
    if approximate:
        cdf = 0.5 * (1.0 + pnp.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * (x**3))))
        return x * cdf
    return 0.5 * x * special.erfc(-x * _SQRT_HALF)


def glu(x: Any, axis: int = -1) -> Array:
    """Gated linear unit: split ``x`` in two halves along ``axis``, ``first * sigmoid(second)``.

    Raises:
        ValueError: the size along ``axis`` is odd.
    """
    x = _array(x)
    size = x.shape[axis]
    if size % 2:
        raise ValueError(f"glu: axis {axis} of x (shape {tuple(x.shape)}) must have an even size, got {size}")
    first, second = pnp.split(x, 2, axis=axis)
    return first * sigmoid(second)


def logmeanexp(x: Any, axis: Any = None, where: Any = None, keepdims: bool = False) -> Array:
    """``logsumexp(x) - log(n)`` over ``axis``, ``n`` counting the included elements (``jax.nn.logmeanexp``)."""
    x = _array(x)
    lse = logsumexp(x, axis=axis, where=where, keepdims=keepdims)
    count = pnp.sum(pnp.ones_like(x, dtype=lse.dtype), axis=axis, where=where, keepdims=keepdims)
    return lse - pnp.log(count)


def log_softmax(x: Any, axis: Any = -1, where: Any = None) -> Array:
    """``x - logsumexp(x)`` along ``axis``, stable for huge logits; masked-out entries (``where``) are ``-inf``."""
    return special.log_softmax_with_where(x, axis, where)


def softmax(x: Any, axis: Any = -1, where: Any = None) -> Array:
    """``exp(x) / sum(exp(x))`` along ``axis``, stable for huge logits (``softmax([0, 1000])`` is ``[0, 1]``).

    Masked-out entries (``where``) are 0. The gradient equals ``jax.nn.softmax``'s custom JVP.

    Example:
        >>> import portax.numpy as pnp, portax.nn
        >>> [round(float(v), 3) for v in portax.nn.softmax(pnp.array([0.0, 1000.0]))]
        [0.0, 1.0]
    """
    return special.softmax_with_where(x, axis, where)


def standardize(
    x: Any,
    axis: Any = -1,
    mean: Any = None,
    variance: Any = None,
    epsilon: Any = 1e-5,
    where: Any = None,
    *,
    algorithm: str = "fast",
) -> Array:
    """``(x - mean) / sqrt(variance + epsilon)`` along ``axis`` (``jax.nn.standardize``, both algorithms).

    Raises:
        ValueError: ``algorithm`` is not ``"fast"`` or ``"stable"``.
    """
    if algorithm not in ("fast", "stable"):
        raise ValueError(f"standardize: unknown algorithm {algorithm!r}; expected 'fast' or 'stable'")
    x = _array(x)
    if mean is None:
        mean = pnp.mean(x, axis, keepdims=True, where=where)
    if variance is None:
        if algorithm == "stable":
            variance = pnp.mean(pnp.square(x - mean), axis, keepdims=True, where=where)
        else:
            variance = pnp.clip(pnp.mean(pnp.square(x), axis, keepdims=True, where=where) - pnp.square(mean), 0)
    return (x - mean) / pnp.sqrt(variance + epsilon)


def one_hot(x: Any, num_classes: int, *, dtype: Any = None, axis: int = -1) -> Array:
    """One-hot encoding of integer ``x`` with ``num_classes`` classes along ``axis`` (out-of-range gives zeros).

    Raises:
        TypeError: ``num_classes`` is not a Python int (it must be static, as in JAX).
    """
    if not isinstance(num_classes, int) or isinstance(num_classes, bool):
        raise TypeError(
            f"one_hot: num_classes must be a static Python int, got {type(num_classes).__name__}; "
            "pass it as a static argument under jit"
        )
    with creating_on(backend_for(x)):
        x = pnp.asarray(x)
        dtype = pnp.float32 if dtype is None else dtype
        out_axis = axis % (x.ndim + 1)
        shape = [1] * x.ndim
        shape.insert(out_axis, num_classes)
        # a constant list, not arange: the dispatcher turns a leading Python int into an array, which dynamo must .item()
        classes = pnp.reshape(pnp.asarray(list(range(num_classes)), dtype=x.dtype), tuple(shape))
        return pnp.astype(pnp.expand_dims(x, out_axis) == classes, dtype)


# -- attention ------------------------------------------------------------------------------------------------------


def _ensure_4d(t: Any) -> Array:
    return pnp.reshape(t, (1,) * (4 - t.ndim) + tuple(t.shape)) if t.ndim < 4 else t


def _check_shape_and_dtype(t: Any, shape: list[int], dtype: Any, name: str) -> None:
    # jax/_src/nn/functions.py (dot_product_attention._check_shape_and_dtype), same messages
    if t is None:
        return
    if t.ndim != len(shape):
        raise ValueError(f"{name} ndim should be {len(shape)}, but got {t.ndim}")
    if dtype is not None and t.dtype != dtype:
        raise ValueError(f"{name} dtype should be {dtype}, but got {t.dtype}")
    for i in range(t.ndim):
        if shape[i] != -1 and t.shape[i] != shape[i]:
            raise ValueError(f"{name} shape should be {shape}: but got {tuple(t.shape)}")


def _large_negative(dtype: Any) -> float:
    # JAX's _get_large_negative: -0.7 * max, capped at float32's range; logits are float32 or wider here
    return -0.7 * _FLOAT32_MAX


def _attention_mask(shape: tuple, mask: Any, is_causal: bool, q_seqlen: Any, kv_seqlen: Any, window: Any) -> Any:
    """The combined boolean mask of JAX's ``_apply_masks`` (broadcastable to ``(B, N, T, S)``), or None."""
    _, _, t, s = shape
    combined = mask
    rows = pnp.reshape(pnp.asarray(list(range(t)), dtype=pnp.int32), (t, 1))
    cols = pnp.reshape(pnp.asarray(list(range(s)), dtype=pnp.int32), (1, s))

    def both(a: Any, b: Any) -> Any:
        return b if a is None else a & b

    if is_causal:
        combined = both(combined, pnp.reshape(rows >= cols, (1, 1, t, s)))
    if window is not None:
        left, right = window
        inside = (rows <= cols + left) & (rows >= cols - right)
        combined = both(combined, pnp.reshape(inside, (1, 1, t, s)))
    if q_seqlen is not None or kv_seqlen is not None:
        padding = None
        if q_seqlen is not None:
            padding = pnp.reshape(rows, (1, t, 1)) < pnp.reshape(q_seqlen, (-1, 1, 1))
        if kv_seqlen is not None:
            padding = both(padding, pnp.reshape(cols, (1, 1, s)) < pnp.reshape(kv_seqlen, (-1, 1, 1)))
        combined = both(combined, pnp.expand_dims(padding, 1))
    return combined


def _attention_reference(query: Any, key: Any, value: Any, bias: Any, mask: Any, scale: float,
                         return_residual: bool) -> Any:
    """JAX's ``_dot_product_attention_core`` over ``portax.numpy`` (``mask`` already combined; grouped heads)."""
    groups = query.shape[2] // key.shape[2]
    if groups > 1:
        key, value = pnp.repeat(key, groups, axis=2), pnp.repeat(value, groups, axis=2)
    logits_dtype = pnp.promote_types(query.dtype, pnp.float32)
    logits = pnp.astype(pnp.einsum("BTNH,BSNH->BNTS", query, key), logits_dtype) * scale
    if bias is not None:
        logits = pnp.astype(logits + bias, logits_dtype)
    if mask is not None:
        logits = pnp.where(mask, logits, pnp.full_like(logits, _large_negative(logits_dtype)))
    logits = pnp.astype(logits, pnp.float32)
    probs = pnp.astype(softmax(logits, axis=-1), key.dtype)
    encoded = pnp.einsum("BNTS,BSNH->BTNH", probs, value)
    if return_residual:
        residual = pnp.transpose(pnp.astype(logsumexp(logits, axis=-1), key.dtype), (0, 2, 1))
        return encoded, transforms.stop_gradient(residual)
    return encoded


def dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    bias: Any = None,
    mask: Any = None,
    *,
    scale: float | None = None,
    is_causal: bool = False,
    query_seq_lengths: Any = None,
    key_value_seq_lengths: Any = None,
    local_window_size: int | tuple[int, int] | None = None,
    implementation: str | None = None,
    return_residual: bool = False,
) -> Any:
    """Scaled dot-product attention ``softmax(q k^T * scale + bias) v`` (``jax.nn.dot_product_attention``).

    Args:
        query: ``(B, T, N, H)`` (or ``(T, N, H)``).
        key, value: ``(B, S, K, H)``; ``N`` must be a multiple of ``K`` (grouped-query attention).
        bias: optional logits bias broadcastable to ``(B, N, T, S)``.
        mask: optional boolean mask of the logits to keep, broadcastable to ``(B, N, T, S)``.
        scale: logits scale, default ``1 / sqrt(H)``.
        is_causal: apply a causal (lower-triangular, top-left aligned) mask.
        query_seq_lengths, key_value_seq_lengths: optional int32 ``(B,)`` valid lengths (padding masks).
        local_window_size: ``(left, right)`` (or one int for both) sliding-window mask.
        implementation: ``None`` or ``"xla"`` (the same math on every backend); ``"cudnn"`` is JAX-on-GPU only.
        return_residual: also return the logsumexp of the logits, ``(B, T, N)``.

    Returns:
        The attention output, shaped like ``query`` (and the residual with ``return_residual=True``). On torch the
        computation is ``torch.nn.functional.scaled_dot_product_attention`` (masks as one additive bias).

    Raises:
        ValueError: shapes, dtypes or ``implementation`` as JAX rejects them.

    Example:
        >>> import portax.numpy as pnp, portax.nn
        >>> q = pnp.ones((1, 3, 2, 4))
        >>> tuple(portax.nn.dot_product_attention(q, q, q, is_causal=True).shape)
        (1, 3, 2, 4)
    """
    if implementation not in (None, "xla", "cudnn"):
        raise ValueError(f"Unsupported implementation option: {implementation}")
    backend = backend_for(query, key, value)
    if implementation == "cudnn":
        raise UnsupportedError(backend.name, "dot_product_attention(implementation='cudnn')",
                               "use implementation=None (the same math, on every backend)")
    with creating_on(backend):
        query, key, value = (pnp.asarray(t) for t in (query, key, value))
        output_shape = tuple(query.shape)
        query, key, value = _ensure_4d(query), _ensure_4d(key), _ensure_4d(value)
        bias = _ensure_4d(pnp.asarray(bias)) if bias is not None else None
        mask = _ensure_4d(pnp.asarray(mask)) if mask is not None else None
        q_seqlen = pnp.asarray(query_seq_lengths) if query_seq_lengths is not None else None
        kv_seqlen = pnp.asarray(key_value_seq_lengths) if key_value_seq_lengths is not None else None
        if isinstance(local_window_size, int):
            local_window_size = (local_window_size, local_window_size)
        b, s, k, h = key.shape
        _check_shape_and_dtype(value, [b, s, k, h], key.dtype, "value")
        _check_shape_and_dtype(query, [b, -1, -1, h], key.dtype, "query")
        _check_shape_and_dtype(mask, [-1] * 4, pnp.bool_, "mask")
        _check_shape_and_dtype(bias, [-1] * 4, None, "bias")
        _check_shape_and_dtype(q_seqlen, [b], pnp.int32, "query_seq_lengths")
        _check_shape_and_dtype(kv_seqlen, [b], pnp.int32, "key_value_seq_lengths")
        if query.shape[-2] % k != 0:
            raise ValueError(
                f"The number of query heads must be a multiple of key/value heads, but got {query.shape[-2]} vs {k}"
            )
        scale_value = 1.0 / math.sqrt(h) if scale is None else scale
        logits_shape = (b, query.shape[2], query.shape[1], s)
        fused = None if return_residual else native(backend, "dot_product_attention")
        only_causal = is_causal and bias is None and mask is None and local_window_size is None and q_seqlen is None \
            and kv_seqlen is None
        combined = None if only_causal and fused is not None else _attention_mask(
            logits_shape, mask, is_causal, q_seqlen, kv_seqlen, local_window_size)
        if fused is None:
            out = _attention_reference(query, key, value, bias, combined, scale_value, return_residual)
        else:
            logits_dtype = pnp.promote_types(query.dtype, pnp.float32)
            additive = bias
            if combined is not None:
                zero = pnp.zeros((), dtype=logits_dtype) if bias is None else pnp.astype(bias, logits_dtype)
                additive = pnp.where(combined, zero, pnp.full((), _large_negative(logits_dtype), dtype=logits_dtype))
            out = fused(query, key, value, additive, only_causal, scale_value)
        residual = None
        if return_residual:
            out, residual = out
        if q_seqlen is not None:
            positions = pnp.reshape(pnp.asarray(list(range(out.shape[1])), dtype=pnp.int32), (1, -1))
            valid = pnp.reshape(positions < q_seqlen[:, None], (b, out.shape[1], 1, 1))
            out = out * pnp.astype(valid, out.dtype)
        out = pnp.reshape(out, output_shape)
        if return_residual:
            return out, pnp.reshape(residual, output_shape[:-1])
        return out
