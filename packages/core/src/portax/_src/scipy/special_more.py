"""More of ``jax.scipy.special``: ``spence``, ``dawsn``, ``hyp1f1``, ``expn``, ``sici``,
``owens_t``, ``bessel_jn``, ``fresnel`` and ``wofz``.

On JAX each is ``jax.scipy.special``'s own (through the backend's ``scipy`` hook module). Elsewhere they are JAX's
algorithms (jax/_src/scipy/special.py, 0.10) written once over ``portax.numpy``: Cephes' rational approximation of
the dilogarithm, Cody, Paciorek and Thacher's rational approximations of Dawson's integral, and Pearson, Olver and
Porter's Taylor and asymptotic series of 1F1 (JAX's ``while_loop`` until convergence becomes a fixed number of
masked terms of a ``fori_loop``, so the series is differentiable in ``a``, ``b`` and ``x`` by plain autodiff and
runs under ``jit`` and ``vmap``). Derivatives are those of the approximations (JAX attaches the analytic ones; they agree to float32
rounding inside the approximations' accuracy).
"""

from __future__ import annotations

import math
from typing import Any

import portax.numpy as pnp
from portax._src.scipy._native import backend_for, creating_on, native
from portax._src.scipy.special import digamma, gamma, gammaln, promote_inexact

Array = Any

# Rational approximation coefficients for dawsn (Cody, Paciorek, Thacher 1970).
# Region 1: [0, 3.25)  —  y = ax * P(ax^2) / Q(ax^2)
_DAWSN_AN = (
    1.13681498971755972054e-11,
    8.49262267667473811108e-10,
    1.94434204175553054283e-8,
    9.53151741254484363489e-7,
    3.07828309874913200438e-6,
    3.52513368520288738649e-4,
    -8.50149846724410912031e-4,
    4.22618223005546594270e-2,
    -9.17480371773452345351e-2,
    9.99999999999999994612e-1,
)
_DAWSN_AD = (
    2.40372073066762605484e-11,
    1.48864681368493396752e-9,
    5.21265281010541664570e-8,
    1.27258478273186970203e-6,
    2.32490249820789513991e-5,
    3.25524741826057911661e-4,
    3.48805814657162590916e-3,
    2.79448531198828973716e-2,
    1.58874241960120565368e-1,
    5.74918629489320327824e-1,
    1.00000000000000000539e0,
)
# Region 2: [3.25, 6.25)  —  y = 0.5/ax * (1 + (1/ax^2)*P(1/ax^2)/Q(1/ax^2))
_DAWSN_BN = (
    5.08955156417900903354e-1,
    -2.44754418142697847934e-1,
    9.41512335303534411857e-2,
    -2.18711255142039025206e-2,
    3.66207612329569181322e-3,
    -4.23209114460388756528e-4,
    3.59641304793896631888e-5,
    -2.14640351719968974225e-6,
    9.10010780076391431042e-8,
    -2.40274520828250956942e-9,
    3.59233385440928410398e-11,
)
_DAWSN_BD = (
    1.00000000000000000000e0,
    -6.31839869873368190192e-1,
    2.36706788228248691528e-1,
    -5.31806367003223277662e-2,
    8.48041718586295374409e-3,
    -9.47996768486665330168e-4,
    7.81025592944552338085e-5,
    -4.55875153252442634831e-6,
    1.89100358111421846170e-7,
    -4.91324691331920606875e-9,
    7.18466403235734541950e-11,
)
# Region 3: [6.25, inf)  —  y = 0.5/ax * (1 + (1/ax^2)*P(1/ax^2)/Q(1/ax^2))
_DAWSN_CN = (
    -5.90592860534773254987e-1,
    6.29235242724368800674e-1,
    -1.72858975380388136411e-1,
    1.64837047825189632310e-2,
    -4.86827613020462700845e-4,
)
_DAWSN_CD = (
    1.00000000000000000000e0,
    -2.69820057197544900361e0,
    1.73270799045947845857e0,
    -3.93708582281939493482e-1,
    3.44278924041233391079e-2,
    -9.73655226040941223894e-4,
)


_SPENCE_A = (4.65128586073990045278e-5, 7.31589045238094711071e-3, 1.33847639578309018650e-1,
                      8.79691311754530315341e-1, 2.71149851196553469920e0, 4.25697156008121755724e0,
                      3.29771340985225106936e0, 1.00000000000000000126e0)
_SPENCE_B = (6.90990488912553276999e-4, 2.54043763932544379113e-2, 2.82974860602568089943e-1,
                      1.41172597751831069617e0, 3.63800533345137075418e0, 5.03278880143316990390e0,
                      3.54771340985225096217e0, 9.99999999999999998740e-1)


def _polyval(coefficients: tuple[float, ...], x: Array) -> Array:
    """Horner's rule with static coefficients (highest degree first)."""
    result = pnp.zeros_like(x) + float(coefficients[0])
    for c in coefficients[1:]:
        result = result * x + float(c)
    return result


_EPS = {"float16": 2.0**-10, "bfloat16": 2.0**-7, "float32": 2.0**-23, "float64": 2.0**-52}


def _eps(dtype: Any) -> float:
    """Machine epsilon of a floating dtype of any backend (by name: no NumPy inside a compiled trace)."""
    return _EPS[str(dtype).rsplit(".", 1)[-1]]


def _real_only(name: str, x: Array) -> None:
    if pnp.iscomplexobj(x):
        raise ValueError(f"{name} does not support complex-valued inputs.")


def spence(x: Any) -> Array:
    """Spence's function (the dilogarithm) ``integral_1^x log(t) / (1 - t) dt`` for real ``x >= 0``; NaN below
    (``jax.scipy.special.spence``).

    Example:
        >>> import portax.scipy.special as pss
        >>> round(float(pss.spence(2.0)), 5)
        -0.82247
    """
    (x,) = promote_inexact(x)
    function = native(backend_for(x), "spence")
    if function is not None:
        return function(x)
    one = pnp.ones_like(x)
    inverted = x > 2.0
    safe = pnp.where((x > 0) & (x != 1), x, 0.5 * one)  # every branch on inputs of its own domain
    y = pnp.where(inverted, 1.0 / safe, safe)
    above = y > 1.5
    below = y < 0.5
    w = pnp.where(above, 1.0 / y - 1.0, pnp.where(below, -y, y - 1.0))
    value = -w * _polyval(_SPENCE_A, w) / _polyval(_SPENCE_B, w)
    value = pnp.where(below, math.pi**2 / 6.0 - pnp.log(y) * pnp.log(1.0 - pnp.where(below, y, 0.5 * one)) - value,
                      value)
    value = pnp.where(inverted | above, -0.5 * pnp.log(y) ** 2 - value, value)
    value = pnp.where(x == 1.0, pnp.zeros_like(value), value)
    value = pnp.where(x == 0.0, pnp.full_like(value, math.pi**2 / 6), value)
    return pnp.where((x < 0) | pnp.isnan(x), pnp.full_like(value, pnp.nan), value)


def dawsn(x: Any) -> Array:
    """Dawson's integral ``exp(-x**2) integral_0^x exp(t**2) dt`` (``jax.scipy.special.dawsn``).

    Raises:
        ValueError: complex input (as JAX).

    Example:
        >>> import portax.scipy.special as pss
        >>> round(float(pss.dawsn(1.0)), 5)
        0.53808
    """
    (x,) = promote_inexact(x)
    _real_only("dawsn", x)
    function = native(backend_for(x), "dawsn")
    if function is not None:
        return function(x)
    ax = pnp.abs(x)
    one = pnp.ones_like(x)
    first = ax < 3.25
    second = (ax >= 3.25) & (ax < 6.25)
    third = ax >= 6.25
    r1 = pnp.where(first, ax, one)
    value_1 = r1 * _polyval(_DAWSN_AN, r1 * r1) / _polyval(_DAWSN_AD, r1 * r1)
    r2 = pnp.where(second, ax, one)
    t2 = 1.0 / (r2 * r2)
    value_2 = (0.5 / r2) * (1.0 + t2 * _polyval(_DAWSN_BN, t2) / _polyval(_DAWSN_BD, t2))
    r3 = pnp.where(third & pnp.isfinite(ax), ax, one)
    t3 = 1.0 / (r3 * r3)
    value_3 = (0.5 / r3) * (1.0 + t3 * _polyval(_DAWSN_CN, t3) / _polyval(_DAWSN_CD, t3))
    value_3 = pnp.where(pnp.isinf(ax), pnp.zeros_like(value_3), value_3)
    value = pnp.where(first, value_1, pnp.where(second, value_2, value_3))
    return pnp.sign(x) * value


_EULER_GAMMA = 0.5772156649015329
_SERIES_TERMS = 250  # JAX's cap on the number of terms of both series


def _masked_series(first_term: Array, ratio: Any, eps: float) -> Array:
    """``1 + sum_k term_k`` with ``term_{k+1} = term_k * ratio(k)``, stopping per element at JAX's criterion
    ``|term| / |sum| <= eps`` (later terms are masked). A ``fori_loop`` with a static trip count: one compiled loop
    under ``jit`` and reverse-differentiable (JAX's ``while_loop`` is not; JAX attaches derivative series instead)."""
    from portax._src.lax_control import fori_loop

    def step(k: Any, state: tuple[Array, Array, Array]) -> tuple[Array, Array, Array]:
        total, term, done = state  # JAX's loop: while k < 250 and |term| / |sum| > eps: sum += term; ...
        done = done | (pnp.abs(term) <= eps * pnp.abs(total))
        total = pnp.where(done, total, total + term)
        term = pnp.where(done, term, term * ratio(k))  # frozen once done: a diverging tail would give NaN gradients
        return total, term, done

    start = (pnp.ones_like(first_term), first_term, pnp.zeros_like(first_term, dtype=bool))
    return fori_loop(1, _SERIES_TERMS, step, start)[0]


def hyp1f1(a: Any, b: Any, x: Any) -> Array:
    """The confluent hypergeometric function ``1F1(a; b; x) = sum_k (a)_k / (b)_k x**k / k!``
    (``jax.scipy.special.hyp1f1``; real inputs; ``1`` at ``a = b = 0`` as JAX).

    Raises:
        ValueError: complex input (as JAX).

    Example:
        >>> import portax.scipy.special as pss
        >>> round(float(pss.hyp1f1(1.0, 2.0, 1.0)), 5)
        1.71828
    """
    a, b, x = promote_inexact(a, b, x)
    _real_only("hyp1f1", x)
    function = native(backend_for(a, b, x), "hyp1f1")
    if function is not None:
        return function(a, b, x)
    a, b, x = pnp.broadcast_arrays(a, b, x)
    eps = _eps(x.dtype)
    near = pnp.abs(x) < 100
    one = pnp.ones_like(x)
    x_near = pnp.where(near, x, one)
    series = _masked_series(a / b * x_near, lambda k: (a + k) / (b + k) * x_near / (k + 1), eps)
    x_far = pnp.where(near, 100 * one, x)
    asymptotic = _masked_series((b - a) * (1 - a) / x_far, lambda k: (b - a + k) * (1 - a + k) / (k + 1) / x_far, eps)
    asymptotic = gamma(b) / gamma(a) * pnp.exp(x_far) * x_far ** (a - b) * asymptotic
    value = pnp.where(near, series, asymptotic)
    value = pnp.where((b == 0) & (a != 0), pnp.full_like(value, pnp.inf), value)
    value = pnp.where((a == b) & (a != 0), pnp.exp(x), value)
    return pnp.where(a == 0, one, value)


_BIG = 1.44115188075855872e17


def _expn_series(n: Array, x: Array, eps: float) -> Array:
    """Cephes' power series of ``E_n`` for ``0 < x <= 1`` (``psi(n) - log x`` is the harmonic sum JAX loops over)."""
    from portax._src.lax_control import fori_loop

    zero, one = pnp.zeros_like(x), pnp.ones_like(x)
    psi = digamma(n) - pnp.log(x)
    z = -x
    n1 = pnp.where(n == 1, 2 * one, n)

    def step(k: Any, state: tuple[Array, Array, Array, Array]) -> tuple[Array, Array, Array, Array]:
        answer, yk, pk, done = state
        yk = yk * z / k
        pk = pk + 1
        new = answer + pnp.where(pk != 0, yk / pnp.where(pk != 0, pk, one), zero)
        answer = pnp.where(done, answer, new)
        done = done | ((pnp.abs(yk / pnp.where(answer != 0, answer, one)) <= eps) & (answer != 0))
        return answer, yk, pk, done

    start = (pnp.where(n == 1, zero, one / (one - n1)), one, one - n, pnp.zeros_like(x, dtype=bool))
    answer = fori_loop(1, 40, step, start)[0]  # float64 needs fewer than 30 terms on (0, 1]
    return z ** (n - 1) * psi / pnp.exp(gammaln(n)) - answer


def _expn_fraction(n: Array, x: Array, eps: float, terms: int) -> Array:
    """Cephes' continued fraction of ``E_n`` for ``x > 1``, with its rescaling of large partial terms."""
    from portax._src.lax_control import fori_loop

    one = pnp.ones_like(x)

    def step(k: Any, state: tuple[Array, ...]) -> tuple[Array, ...]:
        answer, pkm2, qkm2, pkm1, qkm1, done = state
        odd = (k % 2) == 1
        yk = pnp.where(odd, one, x)
        xk = pnp.where(odd, n + (k - 1) / 2, k / 2 * one)
        pk = pkm1 * yk + pkm2 * xk
        qk = qkm1 * yk + qkm2 * xk
        nonzero = qk != 0
        r = pk / pnp.where(nonzero, qk, one)
        change = pnp.abs((answer - r) / pnp.where(r != 0, r, one))
        answer = pnp.where(done | ~nonzero, answer, r)
        done = done | (nonzero & (change <= eps))
        big = pnp.abs(pk) > _BIG
        pkm2, pkm1, qkm2, qkm1 = (pnp.where(big, v / _BIG, v) for v in (pkm1, pk, qkm1, qk))
        return answer, pkm2, qkm2, pkm1, qkm1, done

    start = (one / (x + n), one, x, one, x + n, pnp.zeros_like(x, dtype=bool))
    return fori_loop(2, terms + 2, step, start)[0] * pnp.exp(-x)


def expn(n: Any, x: Any) -> Array:
    """The generalized exponential integral ``E_n(x) = integral_1^inf exp(-x t) / t**n dt``
    (``jax.scipy.special.expn``; NaN for ``n < 0`` or ``x < 0``).

    Raises:
        ValueError: complex input (as JAX).

    Example:
        >>> import portax.scipy.special as pss
        >>> round(float(pss.expn(2, 1.0)), 5)
        0.1485
    """
    n, x = promote_inexact(n, x)
    _real_only("expn", x)
    function = native(backend_for(n, x), "expn")
    if function is not None:
        return function(n, x)
    n, x = pnp.broadcast_arrays(n, x)
    eps = _eps(x.dtype)
    one = pnp.ones_like(x)
    small = (x > 0) & (x <= 1)
    series = _expn_series(pnp.where(n >= 1, n, one), pnp.where(small, x, 0.5 * one), eps)
    far = x > 1
    fraction = _expn_fraction(n, pnp.where(far & pnp.isfinite(x), x, 2 * one), eps, 60 if eps > 1e-10 else 200)
    fraction = pnp.where(pnp.isinf(x), pnp.zeros_like(fraction), fraction)
    large_x = x + n  # n >= 5000: Cephes' asymptotic expansion in n
    yk = one / (large_x * large_x)
    large = yk * n * (6 * x * x - 8 * n * x + n * n)
    large = yk * (large + n * (n - 2 * x))
    large = yk * (large + n)
    large = (large + one) * pnp.exp(-x) / large_x
    # jnp.piecewise's order (a later condition wins), as JAX's expn
    nan = pnp.full_like(x, pnp.nan)
    value = pnp.where((n < 0) | (x < 0), nan, series)
    value = pnp.where((x == 0) & (n < 2), pnp.full_like(value, pnp.inf), value)
    value = pnp.where((x == 0) & (n >= 2), one / pnp.where(n == 1, 2 * n, n), value)
    value = pnp.where((n == 0) & (x >= 0), pnp.exp(-x) / x, value)
    value = pnp.where(n >= 5000, large, value)
    value = pnp.where(far, fraction, value)
    return pnp.where(pnp.isnan(x) | pnp.isnan(n), nan, value)


# -- sici: Cephes' rational approximations (misc/sici.c), as JAX's _sici_series/_sici_asympt ------------------
_SICI_SN = (
    -8.391678279103039e-11,
    4.625917144270128e-08,
    -9.757593038436328e-06,
    0.0009769454381704354,
    -0.04134703162294066,
    1.0,
)
_SICI_SD = (
    2.0326926619595193e-12,
    1.279978911799433e-09,
    4.418278428012189e-07,
    9.964121220438756e-05,
    0.01420852393261499,
    1.0,
)
_SICI_CN = (
    2.0252400238910228e-11,
    -1.3524950491579076e-08,
    3.593250514199931e-06,
    -0.0004740072068734079,
    0.028915965260755523,
    -1.0,
)
_SICI_CD = (
    4.077460400618806e-12,
    3.067809975818878e-09,
    1.2321035568588342e-06,
    0.00031744202477503275,
    0.051002805623644606,
    4.0,
)
_SICI_FN4 = (
    4.236128628922166,
    5.4593771716181285,
    1.6208328770153833,
    0.16700661183132304,
    0.006810201324725182,
    0.00010893658065032867,
    5.489002234213736e-07,
)
_SICI_FD4 = (
    1.0,
    8.16496634205391,
    7.308288225055645,
    1.867922579501842,
    0.1787920529631499,
    0.007017106683227897,
    0.00011003435715391573,
    5.489002527562557e-07,
)
_SICI_GN4 = (
    0.08710016989731142,
    0.6113791099522193,
    0.3971802963923375,
    0.07485277376284691,
    0.005388686814621773,
    0.00016199979459893403,
    1.9796387414096365e-06,
    7.825790407440903e-09,
)
_SICI_GD4 = (
    1.0,
    1.6440220241335535,
    0.666296701268988,
    0.09887717612776888,
    0.006223963454417684,
    0.0001732210814741771,
    2.0265918208634397e-06,
    7.825792189335346e-09,
)
_SICI_FN8 = (
    0.4558808734704653,
    0.7137152741001467,
    0.16030015822231947,
    0.01160642294081244,
    0.00034955644244785906,
    4.8621543082645475e-06,
    3.200927900910049e-08,
    9.41779576128513e-11,
    9.70507110881952e-14,
)
_SICI_FD8 = (
    1.0,
    0.9174636118736841,
    0.17868554533207454,
    0.012225359477197129,
    0.00035869648188185157,
    4.924350643178815e-06,
    3.21956939101046e-08,
    9.437205903502767e-11,
    9.70507110881952e-14,
)
_SICI_GN8 = (
    0.6973599534432762,
    0.33041097930563207,
    0.03848787676499743,
    0.001717182390523479,
    3.4894116550227946e-05,
    3.471311670841167e-07,
    1.7040445278204452e-09,
    3.859459254302766e-12,
    3.1404009894636335e-15,
)
_SICI_GD8 = (
    1.0,
    1.6854889881101165,
    0.48785225869530496,
    0.04679131942596258,
    0.0019028442667439953,
    3.684755044425611e-05,
    3.5704322344374083e-07,
    1.7269374896631615e-09,
    3.878301660239547e-12,
    3.1404009894636335e-15,
)


def sici(x: Any) -> tuple[Array, Array]:
    """The sine and cosine integrals ``(Si(x), Ci(x))`` (``jax.scipy.special.sici``; ``Ci`` NaN below 0 as JAX).

    Raises:
        ValueError: complex input (as JAX).

    Example:
        >>> import portax.scipy.special as pss
        >>> si, ci = pss.sici(1.0)
        >>> round(float(si), 5), round(float(ci), 5)
        (0.94608, 0.3374)
    """
    (x,) = promote_inexact(x)
    if pnp.iscomplexobj(x):
        raise ValueError(f"Argument `x` to sici must be real-valued. Got dtype {x.dtype}.")
    function = native(backend_for(x), "sici")
    if function is not None:
        return function(x)
    ax = pnp.abs(x)
    one = pnp.ones_like(x)
    near = ax <= 4
    middle = (ax > 4) & (ax <= 1e9)
    s = pnp.where(near & (ax > 0), ax, one)  # the series on (0, 4]
    t = s * s
    si_series = s * _polyval(_SICI_SN, t) / _polyval(_SICI_SD, t)
    ci_series = _EULER_GAMMA + pnp.log(s) + t * _polyval(_SICI_CN, t) / _polyval(_SICI_CD, t)
    si_series = pnp.where(ax == 0, pnp.zeros_like(x), si_series)
    ci_series = pnp.where(ax == 0, pnp.full_like(x, -pnp.inf), ci_series)
    m = pnp.where(middle, ax, 5 * one)  # the asymptotic fractions on (4, 1e9]
    z = 1.0 / (m * m)
    below_8 = m < 8.0
    f = pnp.where(below_8, _polyval(_SICI_FN4, z) / (m * _polyval(_SICI_FD4, z)),
                  _polyval(_SICI_FN8, z) / (m * _polyval(_SICI_FD8, z)))
    g = pnp.where(below_8, z * _polyval(_SICI_GN4, z) / _polyval(_SICI_GD4, z),
                  z * _polyval(_SICI_GN8, z) / _polyval(_SICI_GD8, z))
    sin_m, cos_m = pnp.sin(m), pnp.cos(m)
    si_middle = math.pi / 2 - f * cos_m - g * sin_m
    ci_middle = f * sin_m - g * cos_m
    big = pnp.where(near | middle | pnp.isinf(ax), 2e9 * one, ax)  # beyond 1e9: the leading terms
    si_far = pnp.where(pnp.isinf(ax), pnp.full_like(x, math.pi / 2), math.pi / 2 - pnp.cos(big) / big)
    ci_far = pnp.where(pnp.isinf(ax), pnp.zeros_like(x), pnp.sin(big) / big)
    si = pnp.where(near, si_series, pnp.where(middle, si_middle, si_far))
    ci = pnp.where(near, ci_series, pnp.where(middle, ci_middle, ci_far))
    return pnp.sign(x) * si, pnp.where(pnp.isneginf(x), pnp.full_like(ci, pnp.nan), ci)


# -- owens_t: JAX's Gauss quadrature of T(h, a) on [0, 1] in a (jax/_src/scipy/special.py, 0.10) -----------------

_OWENS_T_QUADRATURE_PTS = (
    0.0035082039676451715, 0.031279042338030754,
    0.085266826283219451,  0.16245071730812277,
    0.25851196049125435,   0.36807553840697534,
    0.48501092905604697,   0.60277514152618577,
    0.71477884217753227,   0.81475510988760099,
    0.89711029755948966,   0.95723808085944262,
    0.99178832974629704,
)

_OWENS_T_QUADRATURE_WTS = (
    0.018831438115323503, 0.018567086243977649,
    0.018042093461223386, 0.017263829606398753,
    0.016243219975989857, 0.014994592034116705,
    0.013535474469662088, 0.011886351605820165,
    0.010070377242777432, 0.0081130545742299587,
    0.0060419009528470239, 0.0038862217010742058,
    0.0016793031084546090,
)


def owens_t(h: Any, a: Any) -> Array:
    """Owen's T function ``T(h, a) = 1/(2 pi) integral_0^a exp(-h**2 (1 + x**2) / 2) / (1 + x**2) dx``
    (``jax.scipy.special.owens_t``; JAX's Gauss quadrature with its exact cases and the reciprocal identity).

    Example:
        >>> import portax.scipy.special as pss
        >>> round(float(pss.owens_t(0.5, 1.0)), 5)
        0.10667
    """
    h, a = promote_inexact(h, a)
    function = native(backend_for(h, a), "owens_t")
    if function is not None:
        return function(h, a)
    from portax._src.scipy.special import erf, erfc

    h, a = pnp.broadcast_arrays(h, a)
    h_abs, a_abs = pnp.abs(h), pnp.abs(a)
    root_2 = math.sqrt(2)
    h_normed = h_abs / root_2
    inner = a_abs <= 1.0
    modified_a = pnp.where(inner, a_abs, 1.0 / pnp.where(a_abs > 0, a_abs, pnp.ones_like(a_abs)))
    modified_h = pnp.where(inner, h_abs, a_abs * h_abs)
    with creating_on(backend_for(h)):
        points = pnp.asarray(_OWENS_T_QUADRATURE_PTS, dtype=h.dtype)
        weights = pnp.asarray(_OWENS_T_QUADRATURE_WTS, dtype=h.dtype)
    r = pnp.square(modified_a)[..., None] * points
    integrand = pnp.exp(-0.5 * pnp.square(modified_h)[..., None] * (1.0 + r)) / (1.0 + r)
    result = modified_a * pnp.sum(integrand * weights, axis=-1)
    result = pnp.where(modified_h == 0.0, pnp.arctan(modified_a) / (2 * math.pi), result)
    result = pnp.where(modified_a == 1.0,
                       0.125 * erfc(-modified_h / root_2) * erfc(modified_h / root_2), result)
    norm_h, norm_ah = erfc(h_normed), erfc(a_abs * h_normed)
    outer = pnp.where(a_abs * h_abs <= 0.67, 0.25 - 0.25 * erf(h_normed) * erf(a_abs * h_normed) - result,
                      0.25 * (norm_h + norm_ah - norm_h * norm_ah) - result)
    result = pnp.sign(a) * pnp.where(a_abs > 1.0, outer, result)
    return pnp.where(pnp.isnan(a) | pnp.isnan(h), pnp.full_like(result, pnp.nan), result)


def bessel_jn(z: Any, *, v: int, n_iter: int = 50) -> Array:
    """Bessel functions of the first kind of orders ``0..v`` at real ``z``: an array ``(v + 1, *z.shape)``
    (``jax.scipy.special.bessel_jn``; Zhang and Jin's backward recurrence over ``n_iter`` steps, as JAX).

    Raises:
        TypeError: ``v`` not an int. ValueError: complex ``z``.

    Example:
        >>> import portax.scipy.special as pss
        >>> [round(float(j), 5) for j in pss.bessel_jn(6.0, v=2)]
        [0.15065, -0.27668, -0.24287]
    """
    import operator

    (z,) = promote_inexact(z)
    if pnp.iscomplexobj(z):
        raise ValueError("complex input not supported.")
    v = operator.index(v)
    n_iter = int(n_iter)
    function = native(backend_for(z), "bessel_jn")
    if function is not None:
        return function(z, v=v, n_iter=n_iter)
    f0, f1 = pnp.zeros_like(z), pnp.full_like(z, 1e-16)
    normalizer = pnp.zeros_like(z)
    values: list[Array] = [None] * (n_iter + 1)  # type: ignore[list-item]
    for k in range(n_iter, -1, -1):  # JAX's reversed scan: f_k = 2 (k + 1) f_(k+1) / z - f_(k+2)
        f = 2.0 * (k + 1.0) * f1 / z - f0
        if k % 2 == 0:
            normalizer = normalizer + 2.0 * f
        f0, f1 = f1, f
        values[k] = f
    return pnp.stack(values[: v + 1], axis=0) / (normalizer - values[0])


# -- fresnel: Cephes' fresnl (single and double precision coefficients), as JAX's (jax/_src/third_party) --------

_FRESNEL_SN_32 = (
    1.6476294637887e-09,
    -1.522754752581096e-07,
    8.4247488085024e-06,
    -0.0003120693124703272,
    0.007244727626597022,
    -0.09228055941124598,
    0.5235987735681432,
)
_FRESNEL_CN_32 = (
    1.416802502367354e-08,
    -1.157231412229871e-06,
    5.387223446683264e-05,
    -0.001604381798862293,
    0.02818489036795073,
    -0.2467398198317899,
    0.9999999760004487,
)
_FRESNEL_FN_32 = (
    -1903009855649.792,
    135594238805.0252,
    -4158143148.511033,
    73438484.63587323,
    -873235.6681548485,
    8560.51546627547,
    -103.2877601091159,
    2.999401847870011,
)
_FRESNEL_GN_32 = (
    -186084399762.465,
    12783506733.93208,
    -377938771.3202229,
    6492611.570598858,
    -77877.89623358162,
    860.2931494734327,
    -14.93439396592284,
    0.9999841934744914,
)
_FRESNEL_SN_64 = (
    -2991.8191940101983,
    708840.0452577386,
    -62974148.62058625,
    2548908805.7337637,
    -44297951805.96978,
    318016297876.5678,
)
_FRESNEL_SD_64 = (
    1.0,
    281.3762688899943,
    45584.78108065326,
    5173438.887700964,
    419320245.8981112,
    22441179564.534092,
    607366389490.0846,
)
_FRESNEL_CN_64 = (
    -4.9884311457357354e-08,
    9.504280628298596e-06,
    -0.0006451914356839651,
    0.018884331939670384,
    -0.20552590095501388,
    1.0,
)
_FRESNEL_CD_64 = (
    3.99982968972496e-12,
    9.154392157746574e-10,
    1.2500186247959882e-07,
    1.2226278902417902e-05,
    0.0008680295429417843,
    0.04121420907221998,
    1.0,
)
_FRESNEL_FN_64 = (
    0.4215435550436775,
    0.1434079197807589,
    0.011522095507358577,
    0.000345017939782574,
    4.6361374928786735e-06,
    3.055689837902576e-08,
    1.0230451416490724e-10,
    1.7201074326816183e-13,
    1.3428327623306275e-16,
    3.763297112699879e-20,
)
_FRESNEL_FD_64 = (
    1.0,
    0.7515863983533789,
    0.11688892585919138,
    0.0064405152650885865,
    0.00015593440916415301,
    1.8462756734893055e-06,
    1.1269922476399903e-08,
    3.6014002958937136e-11,
    5.887545336215784e-14,
    4.5200143407412973e-17,
    1.2544323709001127e-20,
)
_FRESNEL_GN_64 = (
    0.5044420736433832,
    0.1971028335255234,
    0.018764858409257526,
    0.0006840793809153931,
    1.1513882611188428e-05,
    9.828524436884223e-08,
    4.4534441586175015e-10,
    1.0826804113902088e-12,
    1.375554606332618e-15,
    8.363544356306774e-19,
    1.8695871016278324e-22,
)
_FRESNEL_GD_64 = (
    1.0,
    1.4749575992512833,
    0.33774898912002,
    0.02536037414203388,
    0.0008146791071843061,
    1.2754507566772912e-05,
    1.0431458965757199e-07,
    4.6068072814652043e-10,
    1.1027321506624028e-12,
    1.3879653125957886e-15,
    8.391588162831187e-19,
    1.8695871016278324e-22,
)


def _sin_cos_pi_half_square(x: Array) -> tuple[Array, Array]:
    """``sin(pi x**2 / 2)`` and ``cos(pi x**2 / 2)`` with the argument reduced exactly modulo 2 (SciPy's sinpi/cospi)."""
    x = pnp.abs(x)
    s = pnp.fmod(x, 2.0)
    r = pnp.fmod(s * (x - s / 2), 2.0)
    sin_pi = pnp.where(r < 0.5, pnp.sin(math.pi * r),
                       pnp.where(r > 1.5, pnp.sin(math.pi * (r - 2.0)), -pnp.sin(math.pi * (r - 1.0))))
    cos_pi = pnp.where(r == 0.5, pnp.zeros_like(r),
                       pnp.where(r < 1.0, -pnp.sin(math.pi * (r - 0.5)), pnp.sin(math.pi * (r - 1.5))))
    return sin_pi, cos_pi


def fresnel(x: Any) -> tuple[Array, Array]:
    """The Fresnel integrals ``(S(x), C(x))`` of ``sin``/``cos(pi t**2 / 2)`` from 0 to ``x``
    (``jax.scipy.special.fresnel``; Cephes' single- or double-precision approximations by dtype, as JAX).

    Raises:
        NotImplementedError: complex input (as JAX).

    Example:
        >>> import portax.scipy.special as pss
        >>> s, c = pss.fresnel(1.0)
        >>> round(float(s), 5), round(float(c), 5)
        (0.43826, 0.77989)
    """
    (x,) = promote_inexact(x)
    if pnp.iscomplexobj(x):
        raise NotImplementedError("Support for complex-valued inputs is not implemented yet.")
    function = native(backend_for(x), "fresnel")
    if function is not None:
        return function(x)
    original = x.dtype
    single = _eps(original) > 1e-10
    if single and str(original).rsplit(".", 1)[-1] != "float32":
        x = pnp.astype(x, pnp.float32)  # half precision: Cephes' coefficients need float32 (as JAX)
    ax = pnp.abs(x)
    x2 = ax * ax
    small = x2 < 2.5625
    large = ax > 36974.0
    one = pnp.ones_like(ax)
    xs = pnp.where(small, ax, one)
    t = xs * xs * xs * xs
    if single:
        s_small = xs * xs * xs * _polyval(_FRESNEL_SN_32, t)
        c_small = xs * _polyval(_FRESNEL_CN_32, t)
    else:
        s_small = xs * xs * xs * _polyval(_FRESNEL_SN_64, t) / _polyval(_FRESNEL_SD_64, t)
        c_small = xs * _polyval(_FRESNEL_CN_64, t) / _polyval(_FRESNEL_CD_64, t)
    xo = pnp.where(small | pnp.isinf(ax), 2 * one, ax)
    sin_pi, cos_pi = _sin_cos_pi_half_square(xo)
    if single:
        s_large = c_large = 0.5 * one
    else:
        c_large = 0.5 + 1 / (math.pi * xo) * sin_pi
        s_large = 0.5 - 1 / (math.pi * xo) * cos_pi
    t = math.pi * xo * xo
    u = 1.0 / (t * t)
    t = 1.0 / t
    if single:
        f = 1.0 - u * _polyval(_FRESNEL_FN_32, u)
        g = t * _polyval(_FRESNEL_GN_32, u)
    else:
        f = 1.0 - u * _polyval(_FRESNEL_FN_64, u) / _polyval(_FRESNEL_FD_64, u)
        g = t * _polyval(_FRESNEL_GN_64, u) / _polyval(_FRESNEL_GD_64, u)
    t = math.pi * xo
    c_other = 0.5 + (f * sin_pi - g * cos_pi) / t
    s_other = 0.5 - (f * cos_pi + g * sin_pi) / t
    infinite = pnp.isinf(ax)
    half = 0.5 * one
    s = pnp.where(infinite, half, pnp.where(small, s_small, pnp.where(large, s_large, s_other)))
    c = pnp.where(infinite, half, pnp.where(small, c_small, pnp.where(large, c_large, c_other)))
    negative = x < 0
    s, c = pnp.where(negative, -s, s), pnp.where(negative, -c, c)
    return pnp.astype(s, original), pnp.astype(c, original)


# -- wofz: Weideman's N=32 rational approximation of the Faddeeva function, as JAX's ----------------------------

_WOFZ_L = 4.7568284600108841
_WOFZ_C = (
    -1.3034426067909105e-12, 3.7411838373738471e-12, 8.030427700497756e-12, -2.1543593557490879e-11,
    -5.5442449963237932e-11, 1.165824698850374e-10, 4.1537441121999766e-10, -5.2310202114920615e-10,
    -3.2080151339721323e-09, 8.1248864216535907e-10, 2.3797556530014025e-08, 2.2930438438915445e-08,
    -1.4813078929137642e-07, -4.1840763750512053e-07, 4.2558331397138446e-07, 4.4015317312832251e-06,
    6.8210319443575151e-06, -2.1409619201999998e-05, -0.00013075449254579421, -0.00024532980270038237,
    0.00039259136070109705, 0.0045195411053493093, 0.019006155784845501, 0.057304403529837282,
    0.14060716226893755, 0.29544451071508743, 0.54601397206393376, 0.9019254893648001,
    1.3455441692345449, 1.8256696296324815, 2.2635372999002676, 2.5722534081245696,
)


def wofz(z: Any) -> Array:
    """The Faddeeva function ``w(z) = exp(-z**2) erfc(-i z)`` (``jax.scipy.special.wofz``; complex result,
    Weideman's rational approximation in the upper half plane and the reflection below, as JAX).

    Example:
        >>> import portax.scipy.special as pss
        >>> w = pss.wofz(1.0 + 1.0j)
        >>> round(float(w.real), 5), round(float(w.imag), 5)
        (0.30474, 0.20822)
    """
    (z,) = promote_inexact(z)
    if not pnp.iscomplexobj(z):
        z = pnp.astype(z, pnp.result_type(z, 1j))
    function = native(backend_for(z), "wofz")
    if function is not None:
        return function(z)
    upper = pnp.imag(z) >= 0
    flipped = pnp.where(upper, z, -z)
    iz = 1j * flipped
    denominator = _WOFZ_L - iz
    ratio = (_WOFZ_L + iz) / denominator
    w_upper = 2 * _polyval(_WOFZ_C, ratio) / (denominator * denominator) + (1 / math.sqrt(math.pi)) / denominator
    return pnp.where(upper, w_upper, 2 * pnp.exp(-z * z) - w_upper)
