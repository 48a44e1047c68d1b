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
from portax._src.scipy import special
from portax._src.scipy._native import backend_for, creating_on, native
from portax._src.scipy.special import logsumexp as logsumexp, promote_inexact

Array = Any

_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_SQRT_HALF = math.sqrt(0.5)


def _array(x: Any) -> Array:
    (x,) = promote_inexact(x) if not _is_array(x) else (x,)
    return x


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


def log_softmax(x: Any, axis: Any = -1, where: Any = None) -> Array:
    """``x - logsumexp(x)`` along ``axis``, stable for huge logits; masked-out entries (``where``) are ``-inf``."""
    x = _array(x)
    if where is None and isinstance(axis, int):
        fast = native(backend_for(x), "log_softmax")
        if fast is not None:
            return fast(x, axis)
    x_max = pnp.max(x, axis, where=where, initial=-pnp.inf, keepdims=True)
    x_safe = x if where is None else pnp.where(where, x, pnp.full_like(x, -pnp.inf))
    shifted = x_safe - transforms.stop_gradient(x_max)
    shifted_logsumexp = pnp.log(pnp.sum(pnp.exp(shifted), axis, where=where, keepdims=True))
    result = shifted - shifted_logsumexp
    if where is not None:
        return pnp.where(where, result, pnp.full_like(result, -pnp.inf))
    return result


def softmax(x: Any, axis: Any = -1, where: Any = None) -> Array:
    """``exp(x) / sum(exp(x))`` along ``axis``, stable for huge logits (``softmax([0, 1000])`` is ``[0, 1]``).

    Masked-out entries (``where``) are 0. The gradient equals ``jax.nn.softmax``'s custom JVP.

    Example:
        >>> import portax.numpy as pnp, portax.nn
        >>> [round(float(v), 3) for v in portax.nn.softmax(pnp.array([0.0, 1000.0]))]
        [0.0, 1.0]
    """
    x = _array(x)
    if where is None and isinstance(axis, int):
        fast = native(backend_for(x), "softmax")
        if fast is not None:
            return fast(x, axis)
    x_max = pnp.max(x, axis, where=where, initial=-pnp.inf, keepdims=True)
    x_safe = x if where is None else pnp.where(where, x, pnp.full_like(x, -pnp.inf))
    unnormalized = pnp.exp(x_safe - transforms.stop_gradient(x_max))
    result = unnormalized / pnp.sum(unnormalized, axis, where=where, keepdims=True)
    if where is not None:
        result = pnp.where(where, result, pnp.zeros_like(result))
    return result


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
