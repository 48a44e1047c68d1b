"""Special functions of ``portax.lax``: incomplete gamma and beta, their derivatives, ``polygamma`` and ``zeta``.

Written once over ``portax.numpy`` (JAX 0.10, ``jax/_src/lax/special.py``, computes the same functions by the same
two expansions): the series of ``P(a, x)`` where ``x < a + 1``, Legendre's continued fraction of ``Q(a, x)``
elsewhere, and the continued fraction of the incomplete beta function (with the symmetry ``I_x(a, b) = 1 -
I_{1-x}(b, a)``). Each runs a fixed number of terms, so it is one elementwise program (vmappable, jittable, no
data-dependent loop), and the derivative in ``a`` is carried along the recurrence by hand (``igamma_grad_a``,
``random_gamma_grad``). A backend's ``lax_module`` kernel replaces a value where it has one (torch:
``torch.special.gammainc``/``gammaincc``/``zeta``); ``igamma``'s derivatives are JAX's rules on every backend.
"""

from __future__ import annotations

from typing import Any

import portax.numpy as pnp
from portax._src import transforms
from portax._src.lax_ops import FLOATING, as_array, check_accepts, check_same_dtypes, check_shapes, kernel, primitive
from portax._src.scipy import _elementary as special

Array = Any
ArrayLike = Any

#: Terms of the series and depth of the continued fractions: float32-exact for shape parameters up to ~1000.
TERMS = 160


def _checked(name: str, *values: ArrayLike) -> list[Array]:
    check_accepts(name, FLOATING, *values)
    check_same_dtypes(name, *values)
    check_shapes(name, *values)
    like = next((v for v in values if hasattr(v, "dtype") and type(v).__module__ != "numpy"), None)
    arrays = [as_array(v, like) for v in values]
    return list(pnp.broadcast_arrays(*arrays))


# -- incomplete gamma -----------------------------------------------------------------------------------------------


def _gamma_series(a: Array, x: Array) -> tuple[Array, Array]:
    """``S = sum_n x**n / ((a+1)...(a+n))`` and ``dS/da``: ``P(a, x) = x**a e**-x / Gamma(a + 1) * S``."""
    term, total, d_total, harmonic = pnp.ones_like(x), pnp.ones_like(x), pnp.zeros_like(x), pnp.zeros_like(x)
    for n in range(1, TERMS + 1):
        term = term * x / (a + n)
        harmonic = harmonic + 1 / (a + n)
        total = total + term
        d_total = d_total - term * harmonic
    return total, d_total


def _gamma_fraction(a: Array, x: Array, terms: int = TERMS) -> tuple[Array, Array]:
    """Legendre's fraction ``F`` with ``Q(a, x) = x**a e**-x / Gamma(a) * F``, and ``dF/da``, evaluated backward."""
    tail, d_tail = pnp.zeros_like(x), pnp.zeros_like(x)
    for n in range(terms, 0, -1):
        denominator = x + (2 * n + 1) - a - tail
        numerator = n * (n - a)
        tail, d_tail = (numerator / denominator,
                        (-n * denominator + numerator * (1 + d_tail)) / (denominator * denominator))
    denominator = x + 1 - a - tail
    return 1 / denominator, (1 + d_tail) / (denominator * denominator)


def _gamma_parts(a: Array, x: Array) -> dict[str, Array]:
    """Both expansions on safe inputs, the choice between them, and the domain masks."""
    invalid = (x < 0) | (a <= 0) | pnp.isnan(a) | pnp.isnan(x)
    zero, infinite = x == 0, pnp.isinf(x)
    safe_x = pnp.where(invalid | zero | infinite, pnp.ones_like(x), x)
    safe_a = pnp.where(invalid, pnp.ones_like(a), a)
    use_series = (safe_x < 1) | (safe_x < safe_a + 1)
    series_x = pnp.where(use_series, safe_x, pnp.minimum(safe_x, safe_a + 1))  # each expansion on its own domain
    fraction_x = pnp.where(use_series, pnp.maximum(safe_x, safe_a + 1), safe_x)
    log_x = pnp.log(safe_x)
    return {"invalid": invalid, "zero": zero, "infinite": infinite, "a": safe_a, "x": safe_x, "log_x": log_x,
            "use_series": use_series, "series": _gamma_series(safe_a, series_x),
            "fraction": _gamma_fraction(safe_a, fraction_x)}


def _masked(parts: dict[str, Array], value: Array, at_zero: float, at_infinity: float) -> Array:
    value = pnp.where(parts["zero"], pnp.full_like(value, at_zero), value)
    value = pnp.where(parts["infinite"], pnp.full_like(value, at_infinity), value)
    return pnp.where(parts["invalid"], pnp.full_like(value, pnp.nan), value)


def _igamma_formula(a: Array, x: Array) -> Array:
    p = _gamma_parts(a, x)
    a, log_x = p["a"], p["log_x"]
    lower = pnp.exp(a * log_x - p["x"] - special.gammaln(a + 1)) * p["series"][0]
    upper = pnp.exp(a * log_x - p["x"] - special.gammaln(a)) * p["fraction"][0]
    return _masked(p, pnp.where(p["use_series"], lower, 1 - upper), 0.0, 1.0)


def _igamma_grad_a_formula(a: Array, x: Array) -> Array:
    p = _gamma_parts(a, x)
    a, log_x = p["a"], p["log_x"]
    (s, ds), (f, df) = p["series"], p["fraction"]
    lower = pnp.exp(a * log_x - p["x"] - special.gammaln(a + 1)) * (s * (log_x - special.digamma(a + 1)) + ds)
    upper = pnp.exp(a * log_x - p["x"] - special.gammaln(a)) * (f * (log_x - special.digamma(a)) + df)
    return _masked(p, pnp.where(p["use_series"], lower, -upper), 0.0, 0.0)


def _random_gamma_grad_formula(a: Array, x: Array) -> Array:
    # -(dP/da) / (dP/dx) with the common factor x**(a-1) e**-x / Gamma(a) cancelled: no overflow in the tails.
    p = _gamma_parts(a, x)
    a, log_x, safe_x = p["a"], p["log_x"], p["x"]
    (s, ds), (f, df) = p["series"], p["fraction"]
    lower = -(safe_x / a) * (s * (log_x - special.digamma(a + 1)) + ds)
    upper = safe_x * (f * (log_x - special.digamma(a)) + df)
    return _masked(p, pnp.where(p["use_series"], lower, upper), 0.0, 0.0)


def _density(a: Array, x: Array) -> Array:
    """``dP(a, x)/dx = x**(a-1) e**-x / Gamma(a)`` (0 at ``x == 0`` for ``a > 1``)."""
    safe_x = pnp.where(x > 0, x, pnp.ones_like(x))
    value = pnp.exp((a - 1) * pnp.log(safe_x) - safe_x - special.gammaln(a))
    return pnp.where(x > 0, value, pnp.zeros_like(value))


def _igamma_value(a: Array, x: Array) -> Array:
    return kernel("igamma", _igamma_formula, a, x)(a, x)


def _igamma_jvp(primals: tuple, tangents: tuple) -> tuple:
    # JAX's rules (jax/_src/lax/special.py: igamma_grada, igamma_gradx)
    a, x = primals
    a_dot, x_dot = tangents
    return _igamma_value(a, x), a_dot * _igamma_grad_a_formula(a, x) + x_dot * _density(a, x)


_igamma_rule = transforms.custom_jvp(_igamma_value)
_igamma_rule.defjvp(_igamma_jvp)


def _igammac_value(a: Array, x: Array) -> Array:
    return kernel("igammac", lambda a, x: 1 - _igamma_formula(a, x), a, x)(a, x)


def _igammac_jvp(primals: tuple, tangents: tuple) -> tuple:
    a, x = primals
    a_dot, x_dot = tangents
    return _igammac_value(a, x), -(a_dot * _igamma_grad_a_formula(a, x) + x_dot * _density(a, x))


_igammac_rule = transforms.custom_jvp(_igammac_value)
_igammac_rule.defjvp(_igammac_jvp)


@primitive
def igamma(a: ArrayLike, x: ArrayLike) -> Array:
    """The regularized lower incomplete gamma function ``P(a, x)``, differentiable in ``a`` and ``x``.

    Args:
        a, x: floating arrays of one dtype (``a > 0``, ``x >= 0``; NaN outside).

    Raises:
        TypeError: the dtypes differ or are not floating (JAX's messages).

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> round(float(lax.igamma(jnp.array(1.0), jnp.array(2.0))), 4)  # 1 - exp(-2)
        0.8647
    """
    a, x = _checked("igamma", a, x)
    return _igamma_rule(a, x)


@primitive
def igammac(a: ArrayLike, x: ArrayLike) -> Array:
    """The regularized upper incomplete gamma function ``Q(a, x) = 1 - P(a, x)``, differentiable in ``a`` and ``x``.

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> round(float(lax.igammac(jnp.array(1.0), jnp.array(2.0))), 4)  # exp(-2)
        0.1353
    """
    a, x = _checked("igammac", a, x)
    return _igammac_rule(a, x)


@primitive
def igamma_grad_a(a: ArrayLike, x: ArrayLike) -> Array:
    """``dP(a, x)/da``, the derivative of :func:`igamma` in its shape parameter.

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> round(float(lax.igamma_grad_a(jnp.array(2.0), jnp.array(3.0))), 4)
        -0.1974
    """
    a, x = _checked("igamma_grad_a", a, x)
    return _igamma_grad_a_formula(a, x)


@primitive
def random_gamma_grad(a: ArrayLike, x: ArrayLike) -> Array:
    """The derivative of a Gamma(``a``) sample ``x`` in ``a`` at fixed quantile: ``-(dP/da) / (dP/dx)``.

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> round(float(lax.random_gamma_grad(jnp.array(2.0), jnp.array(3.0))), 4)
        1.3218
    """
    a, x = _checked("random_gamma_grad", a, x)
    return _random_gamma_grad_formula(a, x)


# -- zeta and polygamma ---------------------------------------------------------------------------------------------


def zeta_formula(x: Array, q: Array) -> Array:
    """The Hurwitz zeta function over ``portax.numpy`` (float32-exact; differentiable in ``x`` and ``q``)."""
    # Euler-Maclaurin summation: 9 direct terms, the integral of the rest, and 8 Bernoulli corrections.
    n = 9
    direct = sum((pnp.power(q + k, -x) for k in range(n)), pnp.zeros_like(q))
    shifted = q + n
    tail = pnp.power(shifted, 1 - x) / (x - 1) + 0.5 * pnp.power(shifted, -x)
    factor = x * pnp.power(shifted, -x - 1)  # x (x+1) ... (x+2j-2) (q+n) ** (-x-2j+1), for j = 1, 2, ...
    for j, bernoulli_over_factorial in enumerate(_BERNOULLI_OVER_FACTORIAL):
        tail = tail + bernoulli_over_factorial * factor
        factor = factor * (x + 2 * j + 1) * (x + 2 * j + 2) / (shifted * shifted)
    value = direct + tail
    domain = (x > 1) & (q > 0)
    return pnp.where(domain | (x == 1), pnp.where(x == 1, pnp.full_like(value, pnp.inf), value),
                     pnp.full_like(value, pnp.nan))


#: ``B_{2j} / (2j)!`` for j = 1..8 (the Euler-Maclaurin correction terms of zeta).
_BERNOULLI_OVER_FACTORIAL = (
    1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160, -691 / 1307674368000, 1 / 74724249600,
    -3617 / 10670622842880000,
)


@primitive
def zeta(x: ArrayLike, q: ArrayLike) -> Array:
    """The Hurwitz zeta function ``sum_k (k + q) ** -x`` (``x > 1``, ``q > 0``; NaN elsewhere, inf at ``x == 1``).

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> round(float(lax.zeta(jnp.array(2.0), jnp.array(1.0))), 4)  # pi**2 / 6
        1.6449
    """
    x, q = _checked("zeta", x, q)
    return kernel("zeta", zeta_formula, x, q)(x, q)


def _polygamma_value(m: Array, x: Array) -> Array:
    # (-1)**(m+1) m! zeta(m + 1, x), digamma at m == 0 (jax/_src/lax/special.py: polygamma_impl)
    sign = pnp.where(pnp.remainder(m, 2) == 0, -pnp.ones_like(m), pnp.ones_like(m))
    series = sign * pnp.exp(special.gammaln(m + 1)) * zeta(m + 1, x)
    return pnp.where(m == 0, special.digamma(x), series)


def _polygamma_jvp(m: Array, primals: tuple, tangents: tuple) -> tuple:
    (x,), (x_dot,) = primals, tangents
    return _polygamma_value(m, x), x_dot * _polygamma_value(m + 1, x)


_polygamma_rule = transforms.custom_jvp(_polygamma_value, nondiff_argnums=(0,))
_polygamma_rule.defjvp(_polygamma_jvp)


@primitive
def polygamma(m: ArrayLike, x: ArrayLike) -> Array:
    """The ``m``-th derivative of the digamma function; ``m`` holds non-negative integers in ``x``'s float dtype.

    Differentiable in ``x`` (JAX refuses the derivative in ``m``; portax gives none).

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> round(float(lax.polygamma(jnp.array(1.0), jnp.array(1.0))), 4)  # pi**2 / 6
        1.6449
    """
    m, x = _checked("polygamma", m, x)
    return _polygamma_rule(m, x)


# -- incomplete beta ------------------------------------------------------------------------------------------------


def _beta_fraction(a: Array, b: Array, x: Array) -> Array:
    """The continued fraction of ``I_x(a, b)`` (``1 / (1 + d1 / (1 + d2 / ...))``), evaluated backward."""
    tail = pnp.zeros_like(x)
    for k in range(2 * TERMS, 0, -1):
        m = k // 2
        if k % 2:
            d = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        else:
            d = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        tail = d / (1 + tail)
    return 1 / (1 + tail)


@primitive
def betainc(a: ArrayLike, b: ArrayLike, x: ArrayLike) -> Array:
    """The regularized incomplete beta function ``I_x(a, b)`` (``a, b > 0``, ``0 <= x <= 1``; NaN elsewhere).

    Differentiable in ``x`` as in JAX, and (portax only: JAX refuses) in ``a`` and ``b`` through the fraction.

    Example:
        >>> import portax.numpy as jnp
        >>> from portax import lax
        >>> round(float(lax.betainc(jnp.array(2.0), jnp.array(3.0), jnp.array(0.4))), 4)
        0.5248
    """
    a, b, x = _checked("betainc", a, b, x)
    return kernel("betainc", _betainc_formula, a, b, x)(a, b, x)


def _betainc_formula(a: Array, b: Array, x: Array) -> Array:
    invalid = (a <= 0) | (b <= 0) | (x < 0) | (x > 1) | pnp.isnan(a) | pnp.isnan(b) | pnp.isnan(x)
    edge = (x == 0) | (x == 1)
    safe_a = pnp.where(invalid, pnp.ones_like(a), a)
    safe_b = pnp.where(invalid, pnp.ones_like(b), b)
    safe_x = pnp.where(invalid | edge, pnp.full_like(x, 0.5), x)
    swap = safe_x > (safe_a + 1) / (safe_a + safe_b + 2)  # the fraction converges fast below this point
    p, q = pnp.where(swap, safe_b, safe_a), pnp.where(swap, safe_a, safe_b)
    y = pnp.where(swap, 1 - safe_x, safe_x)
    log_front = p * pnp.log(y) + q * pnp.log1p(-y) - special.betaln(p, q) - pnp.log(p)
    value = pnp.exp(log_front) * _beta_fraction(p, q, y)
    value = pnp.where(swap, 1 - value, value)
    value = pnp.where(edge, x, value)  # I_0 = 0, I_1 = 1
    return pnp.where(invalid, pnp.full_like(value, pnp.nan), value)
