"""``portax.scipy.special``: JAX's ``jax.scipy.special`` on every backend.

Elementary special functions come from each backend's native kernels (``jax.scipy.special`` on JAX,
``torch.special`` on torch) through the backend's ``scipy`` hook module; the rest is written once here over
``portax.numpy``. Gradient conventions at the edges follow JAX 0.10: ``xlogy``/``xlog1py``/``entr`` carry JAX's
custom JVP rules (``d/dx xlogy(x, y) = log(y)`` also at ``x == 0``), so ``grad`` agrees with JAX even where
torch's own ``xlogy`` backward differs (torch gives 0 for ``d/dx`` at ``x == 0``).
"""

from __future__ import annotations

from typing import Any

import portax.numpy as pnp
from portax._src import transforms
from portax._src.scipy._native import backend_for, creating_on, native, required

Array = Any


def promote_inexact(*values: Any) -> list[Any]:
    """Arrays of one common inexact dtype (JAX's ``promote_args_inexact``: ints and bools become the default float)."""
    backend = backend_for(*values)
    like = next((v for v in values if backend.owns(v)), None)
    arrays = [v if backend.owns(v) else _asarray(backend, v, like) for v in values]
    dtype = pnp.result_type(*arrays, 1.0)
    return [a if a.dtype == dtype else pnp.astype(a, dtype) for a in arrays]


def _asarray(backend: Any, value: Any, like: Any) -> Any:

    with creating_on(backend):
        if like is not None and isinstance(value, (int, float, bool)):
            return pnp.asarray(value, dtype=pnp.result_type(like, value))  # JAX's weak typing of Python scalars
        return pnp.asarray(value)


def _unary(name: str, doc: str) -> Any:
    public = f"portax.scipy.special.{name}"

    def function(x: Any) -> Array:
        (x,) = promote_inexact(x)
        return required(backend_for(x), name, public)(x)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"{doc} (``jax.scipy.special.{name}``); native kernel on every backend."
    return function


erf = _unary("erf", "The error function")
erfc = _unary("erfc", "The complementary error function ``1 - erf(x)``")
erfinv = _unary("erfinv", "The inverse error function")
expit = _unary("expit", "The logistic sigmoid ``1 / (1 + exp(-x))``")
logit = _unary("logit", "The log-odds ``log(p / (1 - p))``")
gammaln = _unary("gammaln", "The log of the absolute value of the gamma function")
digamma = _unary("digamma", "The digamma function (derivative of ``gammaln``)")
ndtr = _unary("ndtr", "The standard normal CDF")
ndtri = _unary("ndtri", "The inverse of the standard normal CDF")
i0e = _unary("i0e", "The exponentially scaled modified Bessel function of order 0, ``exp(-|x|) I0(x)``")
i1e = _unary("i1e", "The exponentially scaled modified Bessel function of order 1, ``exp(-|x|) I1(x)``")


def log_ndtr(x: Any, series_order: int = 3) -> Array:
    """The log of the standard normal CDF, accurate far into the left tail (``jax.scipy.special.log_ndtr``).

    Args:
        x: real input.
        series_order: terms of the asymptotic series JAX uses for ``x < -20`` (float32: ``x < -10``); 0 to 30.

    Raises:
        ValueError: ``series_order`` outside ``[0, 30]``.
    """
    if not isinstance(series_order, int) or not 0 <= series_order <= 30:
        raise ValueError(f"log_ndtr: series_order must be an int in [0, 30], got {series_order!r}")
    (x,) = promote_inexact(x)
    backend = backend_for(x)
    function = required(backend, "log_ndtr", "portax.scipy.special.log_ndtr")
    return function(x, series_order=series_order)


def betaln(a: Any, b: Any) -> Array:
    """``log |B(a, b)|``, the log of the beta function (``jax.scipy.special.betaln``)."""
    a, b = promote_inexact(a, b)
    function = native(backend_for(a, b), "betaln")
    if function is not None:
        return function(a, b)
    return gammaln(a) + gammaln(b) - gammaln(a + b)


# -- xlogy / xlog1py / entr with JAX's custom JVP rules -------------------------------------------------------------


def _xlogy_impl(x: Any, y: Any) -> Array:
    safe_y = pnp.where(x == 0, pnp.ones_like(y), y)  # 0 * log(0) and 0 * log(inf) are 0, as in scipy
    return pnp.where(x == 0, pnp.zeros_like(x), x * pnp.log(safe_y))


def _xlogy_jvp(primals: tuple, tangents: tuple) -> tuple:
    # jax/_src/scipy/special.py (_xlogy_jvp): x_dot * log(y) + y_dot * x / y
    x, y = primals
    x_dot, y_dot = tangents
    return _xlogy_impl(x, y), x_dot * pnp.log(y) + y_dot * x / y


def _xlog1py_impl(x: Any, y: Any) -> Array:
    safe_y = pnp.where(x == 0, pnp.zeros_like(y), y)
    return pnp.where(x == 0, pnp.zeros_like(x), x * pnp.log1p(safe_y))


def _xlog1py_jvp(primals: tuple, tangents: tuple) -> tuple:
    x, y = primals
    x_dot, y_dot = tangents
    return _xlog1py_impl(x, y), x_dot * pnp.log1p(y) + y_dot * x / (1 + y)


def _xlogx_impl(x: Any) -> Array:
    return _xlogy_impl(x, x)


def _xlogx_jvp(primals: tuple, tangents: tuple) -> tuple:
    (x,), (x_dot,) = primals, tangents
    return _xlogx_impl(x), x_dot * (pnp.log(x) + 1)


_xlogy_rule = transforms.custom_jvp(_xlogy_impl)
_xlogy_rule.defjvp(_xlogy_jvp)
_xlog1py_rule = transforms.custom_jvp(_xlog1py_impl)
_xlog1py_rule.defjvp(_xlog1py_jvp)
_xlogx_rule = transforms.custom_jvp(_xlogx_impl)
_xlogx_rule.defjvp(_xlogx_jvp)


def xlogy(x: Any, y: Any) -> Array:
    """``x * log(y)``, 0 where ``x == 0`` (``jax.scipy.special.xlogy``); ``grad`` as JAX (``d/dx = log(y)``).

    Example:
        >>> import portax.scipy.special as pss
        >>> float(pss.xlogy(0.0, 0.0))
        0.0
    """
    x, y = promote_inexact(x, y)
    function = native(backend_for(x, y), "xlogy")
    return function(x, y) if function is not None else _xlogy_rule(x, y)


def xlog1py(x: Any, y: Any) -> Array:
    """``x * log1p(y)``, 0 where ``x == 0`` (``jax.scipy.special.xlog1py``); ``grad`` as JAX."""
    x, y = promote_inexact(x, y)
    function = native(backend_for(x, y), "xlog1py")
    return function(x, y) if function is not None else _xlog1py_rule(x, y)


def entr(x: Any) -> Array:
    """Elementwise entropy ``-x log(x)``: 0 at 0, ``-inf`` for ``x < 0`` (``jax.scipy.special.entr``)."""
    (x,) = promote_inexact(x)
    function = native(backend_for(x), "entr")
    if function is not None:
        return function(x)
    return pnp.where(x < 0, pnp.full_like(x, -pnp.inf), -_xlogx_rule(x))


# -- reductions -------------------------------------------------------------------------------------------------


def logsumexp(
    a: Any,
    axis: Any = None,
    b: Any = None,
    keepdims: bool = False,
    return_sign: bool = False,
    where: Any = None,
) -> Any:
    """``log(sum(b * exp(a)))`` computed stably (``jax.scipy.special.logsumexp``, same algorithm as JAX 0.10).

    Args:
        a: input array.
        axis: axis or axes to reduce (None: all).
        b: optional scale factors broadcast against ``a``; terms with ``b == 0`` are dropped.
        keepdims: keep the reduced axes with size 1.
        return_sign: also return the sign of the sum (then the result is ``log|sum|``).
        where: optional mask of elements to include.

    Returns:
        The reduction, or ``(result, sign)`` with ``return_sign=True``. A negative sum without
        ``return_sign`` gives NaN, as in JAX.

    Example:
        >>> import portax.numpy as pnp, portax.scipy.special as pss
        >>> round(float(pss.logsumexp(pnp.array([0.0, 1000.0]))), 3)
        1000.0
    """
    if b is None and where is None and not return_sign and isinstance(axis, int):
        (a,) = promote_inexact(a)
        fast = native(backend_for(a), "logsumexp")
        if fast is not None and a.ndim:
            return fast(a, axis, keepdims)
    if b is not None:
        a, b = promote_inexact(a, b)
        a = pnp.where(b != 0, a, pnp.full_like(a, -pnp.inf))
    else:
        (a,) = promote_inexact(a)
    axes = _axes(axis, a.ndim)
    amax = pnp.max(a, axis=axes, keepdims=True, where=where, initial=-pnp.inf)
    amax = transforms.stop_gradient(pnp.where(pnp.isfinite(amax), amax, pnp.zeros_like(amax)))
    exp_a = pnp.exp(a - amax)
    if b is not None:
        exp_a = exp_a * b
    sumexp = pnp.sum(exp_a, axis=axes, keepdims=keepdims, where=where)
    sign = pnp.sign(sumexp)
    out = pnp.log(pnp.abs(sumexp)) + (amax if keepdims else pnp.reshape(amax, sumexp.shape))
    if return_sign:
        return out, sign
    if b is not None:
        out = pnp.where(sign < 0, pnp.full_like(out, pnp.nan), out)
    return out


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        return (axis % ndim if ndim else 0,) if ndim else ()
    return tuple(a % ndim for a in axis)


def softmax(x: Any, axis: Any = -1) -> Array:
    """``exp(x) / sum(exp(x))`` along ``axis`` (``jax.scipy.special.softmax``; same as ``portax.nn.softmax``)."""
    from portax._src.nn import softmax as nn_softmax

    return nn_softmax(x, axis=axis)
