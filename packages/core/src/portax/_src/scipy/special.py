"""``portax.scipy.special``: JAX's ``jax.scipy.special`` on every backend.

Elementary special functions come from each backend's native kernels (``jax.scipy.special`` on JAX,
``torch.special`` on torch) through the backend's ``scipy`` hook module; the rest is written once here over
``portax.numpy``. Gradient conventions at the edges follow JAX 0.10: ``xlogy``/``xlog1py``/``entr`` carry JAX's
custom JVP rules (``d/dx xlogy(x, y) = log(y)`` also at ``x == 0``), so ``grad`` agrees with JAX even where
torch's own ``xlogy`` backward differs (torch gives 0 for ``d/dx`` at ``x == 0``).
"""

from __future__ import annotations

import math
from typing import Any

import portax.numpy as pnp
from portax._src import transforms
from portax._src.lax_special import _gamma_fraction, betainc as lax_betainc, igamma, igammac, zeta_formula
from portax._src.scipy._elementary import (  # the elementary layer lax also builds on
    betaln as betaln,
    digamma as digamma,
    erf as erf,
    erfc as erfc,
    erfinv as erfinv,
    expit as expit,
    gammaln as gammaln,
    i0e as i0e,
    i1e as i1e,
    logit as logit,
    native_unary,
    ndtr as ndtr,
    ndtri as ndtri,
    promote_inexact as promote_inexact,
)
from portax._src.scipy._native import backend_for, creating_on, native, required

Array = Any


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
    return softmax_with_where(x, axis, None)


def log_softmax(x: Any, axis: Any = -1) -> Array:
    """``x - logsumexp(x)`` along ``axis`` (``jax.scipy.special.log_softmax``; same as ``portax.nn.log_softmax``)."""
    return log_softmax_with_where(x, axis, None)


# -- gamma family (jax/_src/scipy/special.py, 0.10), written once over gammaln -------------------------------------

i0 = native_unary("i0", "The modified Bessel function of the first kind of order 0")
i1 = native_unary("i1", "The modified Bessel function of the first kind of order 1")
erfcx = native_unary("erfcx", "The scaled complementary error function ``exp(x**2) * erfc(x)``")


def gammainc(a: Any, x: Any) -> Array:
    """The regularized lower incomplete gamma function ``P(a, x)`` (``jax.scipy.special.gammainc``).

    Differentiable in ``a`` and ``x`` on every backend (``lax.igamma`` after promotion, as in JAX).

    Example:
        >>> import portax.scipy.special as pss
        >>> round(float(pss.gammainc(1.0, 2.0)), 4)
        0.8647
    """
    a, x = promote_inexact(a, x)
    return igamma(*pnp.broadcast_arrays(a, x))


def gammaincc(a: Any, x: Any) -> Array:
    """The regularized upper incomplete gamma function ``Q(a, x)`` (``jax.scipy.special.gammaincc``)."""
    a, x = promote_inexact(a, x)
    return igammac(*pnp.broadcast_arrays(a, x))


def betainc(a: Any, b: Any, x: Any) -> Array:
    """The regularized incomplete beta function ``I_x(a, b)`` (``jax.scipy.special.betainc``; ``lax.betainc``).

    Example:
        >>> import portax.scipy.special as pss
        >>> round(float(pss.betainc(2.0, 3.0, 0.4)), 4)
        0.5248
    """
    a, b, x = promote_inexact(a, b, x)
    return lax_betainc(*pnp.broadcast_arrays(a, b, x))


def gammasgn(x: Any) -> Array:
    """The sign of the gamma function: NaN at the poles (non-positive integers) and for NaN, -1 at ``-0.0``."""
    (x,) = promote_inexact(x)
    floor_x = pnp.floor(x)
    negative = x < 0
    ones = pnp.ones_like(x)
    minus = (negative & (pnp.remainder(floor_x, 2) != 0)) | ((x == 0) & pnp.signbit(x))
    return pnp.where((negative & (x == floor_x)) | pnp.isnan(x), pnp.full_like(x, pnp.nan),
                     pnp.where(minus, -ones, ones))


def gamma(x: Any) -> Array:
    """The gamma function, ``gammasgn(x) * exp(gammaln(x))`` (``jax.scipy.special.gamma``; NaN at the poles).

    Example:
        >>> import portax.scipy.special as pss
        >>> round(float(pss.gamma(5.0)), 3)
        24.0
    """
    (x,) = promote_inexact(x)
    return gammasgn(x) * pnp.exp(gammaln(x))


def loggamma(x: Any) -> Array:
    """``gammaln`` for ``x > 0``, NaN elsewhere (``jax.scipy.special.loggamma`` of real input)."""
    (x,) = promote_inexact(x)
    return pnp.where(x > 0, gammaln(x), pnp.full_like(x, pnp.nan))


def beta(a: Any, b: Any) -> Array:
    """The beta function ``B(a, b)`` with its sign (``jax.scipy.special.beta``)."""
    a, b = promote_inexact(a, b)
    sign = gammasgn(a) * gammasgn(b) * gammasgn(a + b)
    return sign * pnp.exp(betaln(a, b))


def factorial(n: Any, exact: bool = False) -> Array:
    """``n!`` as ``exp(gammaln(n + 1))``, 0 for ``n < 0`` (``jax.scipy.special.factorial``).

    Raises:
        NotImplementedError: ``exact=True`` (as in JAX).
    """
    if exact:
        raise NotImplementedError("factorial with exact=True")
    (n,) = promote_inexact(n)
    return pnp.where(n < 0, pnp.zeros_like(n), pnp.exp(gammaln(n + 1)))


def comb(N: Any, k: Any, *, repetition: bool = False) -> Array:  # noqa: N803 (scipy's name)
    """The binomial coefficient ``N choose k`` (``jax.scipy.special.comb``; 0 outside ``0 <= k <= N``)."""
    N, k = promote_inexact(N, k)  # noqa: N806
    if repetition:
        return pnp.where((k == 0) & (N >= 0), pnp.ones_like(N + k), comb(N + k - 1, k))
    inside = (k <= N) & (N >= 0) & (k >= 0)
    safe_n = pnp.where(inside, N, pnp.zeros_like(N))
    safe_k = pnp.where(inside, k, pnp.zeros_like(k))
    result = pnp.exp(gammaln(safe_n + 1) - gammaln(safe_k + 1) - gammaln(safe_n + 1 - safe_k))
    return pnp.where(inside, result, pnp.zeros_like(result))


def poch(z: Any, m: Any) -> Array:
    """The Pochhammer symbol ``gamma(z + m) / gamma(z)``, 1 for ``m == 0`` (``jax.scipy.special.poch``)."""
    z, m = promote_inexact(z, m)
    ratio = gamma(z + m) / gamma(z)
    return pnp.where(m == 0, pnp.ones_like(ratio), ratio)


def multigammaln(a: Any, d: int) -> Array:
    """The log of the multivariate gamma function of dimension ``d`` (``jax.scipy.special.multigammaln``).

    Raises:
        TypeError: ``d`` is not a static Python int.
    """
    if not isinstance(d, int) or isinstance(d, bool):
        raise TypeError(f"multigammaln: d must be a static Python int, got {type(d).__name__}")
    (a,) = promote_inexact(a)
    constant = 0.25 * d * (d - 1) * math.log(math.pi)
    return sum((gammaln(a - j / 2) for j in range(d)), pnp.zeros_like(a)) + constant


def zeta(x: Any, q: Any = None) -> Array:
    """The Hurwitz zeta function ``sum_k (k + q) ** -x`` (``jax.scipy.special.zeta``), differentiable in ``x`` and ``q``.

    Raises:
        NotImplementedError: ``q=None`` (the Riemann zeta function, as in JAX).
    """
    if q is None:
        raise NotImplementedError(
            "Riemann zeta function not implemented; pass q != None to compute the Hurwitz Zeta function.")
    x, q = promote_inexact(x, q)
    # JAX's own where it is; else the Euler-Maclaurin sum over portax.numpy, differentiable in x and q as JAX's
    # (torch.special.zeta has no derivative).
    function = native(backend_for(x, q), "zeta") or zeta_formula
    return function(*pnp.broadcast_arrays(x, q))


def polygamma(n: Any, x: Any) -> Array:
    """The ``n``-th derivative of the digamma function (``jax.scipy.special.polygamma``; ``n`` an integer).

    Raises:
        ValueError: ``n`` is not of an integer type (as JAX).
    """
    integer = isinstance(n, int) and not isinstance(n, bool)
    if not integer and not (hasattr(n, "dtype") and pnp.isdtype(n.dtype, "integral")):
        raise ValueError(f"Argument `n` to polygamma must be of integer type. Got dtype {pnp.result_type(n)}.")
    (x,) = promote_inexact(x)
    function = required(backend_for(x), "polygamma", "portax.scipy.special.polygamma")
    if integer:
        return function(n, x)
    n = pnp.astype(n, x.dtype)
    n, x = pnp.broadcast_arrays(n, x)
    # lax.polygamma's formula for array orders: (-1)**(n+1) n! zeta(n + 1, x), digamma for n == 0
    sign = pnp.where(pnp.remainder(n, 2) == 0, -pnp.ones_like(n), pnp.ones_like(n))
    series = sign * pnp.exp(gammaln(n + 1)) * zeta(n + 1, x)
    return pnp.where(n == 0, digamma(x), series)


def rel_entr(p: Any, q: Any) -> Array:
    """``p * log(p / q)``: 0 at ``p == 0 <= q``, ``inf`` outside the domain (``jax.scipy.special.rel_entr``)."""
    p, q = promote_inexact(p, q)
    both = (p > 0) & (q > 0)
    one_zero = (p == 0) & (q >= 0)
    safe_p = pnp.where(both, p, pnp.ones_like(p))
    safe_q = pnp.where(both, q, pnp.ones_like(q))
    value = safe_p * pnp.log(safe_p) - safe_p * pnp.log(safe_q)
    return pnp.where(both, value, pnp.where(one_zero, pnp.zeros_like(value), pnp.full_like(value, pnp.inf)))


def kl_div(p: Any, q: Any) -> Array:
    """``rel_entr(p, q) - p + q`` (``jax.scipy.special.kl_div``)."""
    p, q = promote_inexact(p, q)
    return rel_entr(p, q) - p + q


def boxcox(x: Any, lmbda: Any) -> Array:
    """The Box-Cox transform ``(x**lmbda - 1) / lmbda`` (``log(x)`` at ``lmbda == 0``)."""
    x, lmbda = promote_inexact(x, lmbda)
    return _boxcox_of_log(pnp.log(x), lmbda)


def boxcox1p(x: Any, lmbda: Any) -> Array:
    """The Box-Cox transform of ``1 + x`` (``jax.scipy.special.boxcox1p``)."""
    x, lmbda = promote_inexact(x, lmbda)
    return _boxcox_of_log(pnp.log1p(x), lmbda)


def _boxcox_of_log(log_x: Any, lmbda: Any) -> Array:
    zero = lmbda == 0
    safe = pnp.where(zero, pnp.ones_like(lmbda), lmbda)
    return pnp.where(zero, log_x, pnp.expm1(safe * log_x) / safe)


def bernoulli(n: int) -> Array:
    """The Bernoulli numbers ``B_0 ... B_n`` (``jax.scipy.special.bernoulli``, ``B_1 = -1/2``), default float.

    Raises:
        ValueError: ``n`` negative. TypeError: ``n`` not a static int.
    """
    import operator
    from fractions import Fraction

    n = operator.index(n)
    if n < 0:
        raise ValueError("n must be a non-negative integer.")
    numbers = [Fraction(1)]
    for m in range(1, n + 1):  # exact recurrence sum_k C(m+1, k) B_k = 0; n is static and small
        numbers.append(-sum(math.comb(m + 1, k) * numbers[k] for k in range(m)) / (m + 1))
    with creating_on(backend_for()):
        return pnp.asarray([float(b) for b in numbers], dtype=pnp.result_type(1.0))


def inexact_array(x: Any) -> Any:
    """``x`` itself when it is an array of a backend, else promoted to an inexact array (JAX's rule for Python and
    NumPy inputs)."""
    if hasattr(x, "dtype") and hasattr(x, "shape") and not type(x).__module__.startswith("numpy"):
        return x
    (x,) = promote_inexact(x)
    return x


def log_softmax_with_where(x: Any, axis: Any, where: Any) -> Any:
    """``portax.nn.log_softmax`` (here so that ``portax.scipy.special`` needs nothing from ``portax.nn``)."""
    x = inexact_array(x)
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


def softmax_with_where(x: Any, axis: Any, where: Any) -> Any:
    """``portax.nn.softmax`` (here so that ``portax.scipy.special`` needs nothing from ``portax.nn``)."""
    x = inexact_array(x)
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


# -- exponential integrals (written once over portax.numpy: the power series near 0, Legendre's fraction beyond) ----

_EULER_GAMMA = 0.5772156649015329


def exp1(x: Any) -> Array:
    """The exponential integral ``E1(x) = integral_1^inf exp(-x t) / t dt`` (``inf`` at 0, NaN for ``x < 0``).

    Differentiable (``d/dx E1 = -exp(-x) / x``); the series below ``x = 1``, the continued fraction of the upper
    incomplete gamma function ``Gamma(0, x)`` above.

    Example:
        >>> import portax.scipy.special as pss
        >>> round(float(pss.exp1(1.0)), 5)
        0.21938
    """
    (x,) = promote_inexact(x)
    function = native(backend_for(x), "exp1")  # JAX's own on JAX
    if function is not None:
        return function(x)
    small = x <= 1
    near = pnp.where(small & (x > 0), x, pnp.ones_like(x))  # each expansion on safe inputs of its own domain
    far = pnp.where(small | pnp.isinf(x), pnp.full_like(x, 2.0), x)
    term, series = pnp.ones_like(x), pnp.zeros_like(x)
    for k in range(1, 25):  # -gamma - log x + sum_k (-1)**(k+1) x**k / (k k!)
        term = -term * near / k
        series = series - term / k
    below = -_EULER_GAMMA - pnp.log(near) + series
    above = pnp.exp(-far) * _gamma_fraction(pnp.zeros_like(far), far, terms=40)[0]  # x > 1: 40 terms suffice
    value = pnp.where(small, below, above)
    value = pnp.where(x == 0, pnp.full_like(x, pnp.inf), value)
    value = pnp.where(pnp.isinf(x) & (x > 0), pnp.zeros_like(x), value)
    return pnp.where((x < 0) | pnp.isnan(x), pnp.full_like(x, pnp.nan), value)


def expi(x: Any) -> Array:
    """The exponential integral ``Ei(x)``: ``-E1(-x)`` for ``x < 0``, the power series above (``-inf`` at 0).

    Example:
        >>> import portax.scipy.special as pss
        >>> round(float(pss.expi(1.0)), 5)
        1.89512
    """
    (x,) = promote_inexact(x)
    function = native(backend_for(x), "expi")
    if function is not None:
        return function(x)
    positive = x > 0
    safe = pnp.where(positive & ~pnp.isinf(x), x, pnp.ones_like(x))
    term, series = pnp.ones_like(x), pnp.zeros_like(x)
    for k in range(1, 160):  # gamma + log x + sum_k x**k / (k k!), all terms positive (no cancellation)
        term = term * safe / k
        series = series + term / k
    above = _EULER_GAMMA + pnp.log(safe) + series
    below = -exp1(pnp.where(positive, pnp.ones_like(x), -x))
    value = pnp.where(positive, above, below)
    value = pnp.where(pnp.isinf(x) & positive, pnp.full_like(x, pnp.inf), value)
    return pnp.where(x == 0, pnp.full_like(x, -pnp.inf), value)
