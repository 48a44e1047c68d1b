"""Corrections that do not depend on the engine, written once over a namespace and bound by each backend.

As array-api-compat's ``common/_aliases.py`` does, each function here takes the engine's namespace ``xp`` (anything
with ``real``, ``imag``, ``where``, ``isinf``, ``isnan``, ``isfinite``, ``copysign``, ``zeros_like``, ``abs``,
``all``) and a backend binds it once at import (``portax_jax/elementwise.py``, ``portax_torch/elementwise.py``):

- the IEEE special values of complex elementary functions (C99 Annex G, which the array API standard 2024.12
  adopts) where jax.numpy 0.10 or torch 2.13 give other values: :func:`complex_special_values`;
- ``isclose``/``allclose``/``array_equal`` with jax.numpy's formula: :func:`isclose_over`, :func:`array_equal_over`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

_NAN = math.nan
_INF = math.inf

#: ``(mask, real, imag)``: where ``mask`` holds, the result is ``real + imag j``.
Case = tuple[Any, Any, Any]


def _nonfinite(xp: Any, v: Any) -> Any:
    return xp.isinf(v) | xp.isnan(v)


# The standard's "Special Cases" that jax.numpy 0.10 or torch 2.13 get wrong, extended by the symmetries the standard
# states (f(conj(z)) == conj(f(z)), odd/even functions) so both signs behave alike. ``zero`` is a real zero array of
# the shape of the input (``zero + value`` broadcasts a constant).


def _exp_cases(xp: Any, re: Any, im: Any, zero: Any) -> list[Case]:
    return [
        (xp.isnan(re) & (im != 0), zero + _NAN, zero + _NAN),  # exp(NaN + yj), y != 0 (torch: NaN + 0j for some y)
        ((re == -_INF) & _nonfinite(xp, im), zero, zero),
        ((re == _INF) & _nonfinite(xp, im), zero + _INF, zero + _NAN),
    ]


def _sinh_cases(xp: Any, re: Any, im: Any, zero: Any) -> list[Case]:
    return [
        (xp.isnan(re) & (im != 0), zero + _NAN, zero + _NAN),
        ((re == 0) & _nonfinite(xp, im), re, zero + _NAN),
        (xp.isinf(re) & _nonfinite(xp, im), re, zero + _NAN),
    ]


def _cosh_cases(xp: Any, re: Any, im: Any, zero: Any) -> list[Case]:
    return [
        (xp.isnan(re) & (im != 0), zero + _NAN, zero + _NAN),
        ((re == 0) & _nonfinite(xp, im), zero + _NAN, zero),
        (xp.isinf(re) & _nonfinite(xp, im), zero + _INF, zero + _NAN),
    ]


def _tanh_cases(xp: Any, re: Any, im: Any, zero: Any) -> list[Case]:
    return [
        ((re == 0) & _nonfinite(xp, im), re, zero + _NAN),
        # tanh(+inf + yj) = 1 + 0j for finite y > 0 (torch: 1 - 0j for some y); the conjugate for y < 0.
        (xp.isinf(re) & xp.isfinite(im), xp.copysign(zero + 1, re), xp.copysign(zero, im)),
    ]


def _log_cases(xp: Any, re: Any, im: Any, zero: Any) -> list[Case]:
    return [((xp.isinf(re) & xp.isnan(im)) | (xp.isnan(re) & xp.isinf(im)), zero + _INF, zero + _NAN)]


def _sqrt_cases(xp: Any, re: Any, im: Any, zero: Any) -> list[Case]:
    return [
        ((re == -_INF) & xp.isnan(im), zero + _NAN, zero + _INF),
        ((re == _INF) & xp.isnan(im), zero + _INF, zero + _NAN),
    ]


def _acos_cases(xp: Any, re: Any, im: Any, zero: Any) -> list[Case]:
    return [
        ((re == 0) & (im == 0), zero + math.pi / 2, -im),  # acos(+-0 + 0j) = pi/2 - 0j (torch: pi/2 + 0j)
        ((re == 0) & xp.isnan(im), zero + math.pi / 2, zero + _NAN),
    ]


def _acosh_cases(xp: Any, re: Any, im: Any, zero: Any) -> list[Case]:
    return [
        (xp.isfinite(re) & xp.isnan(im), zero + _NAN, zero + _NAN),
        ((re == 0) & xp.isnan(im), zero + _NAN, zero + math.pi / 2),
    ]


def _asinh_cases(xp: Any, re: Any, im: Any, zero: Any) -> list[Case]:
    return [(xp.isnan(re) & (im == 0), zero + _NAN, im)]


def _atanh_cases(xp: Any, re: Any, im: Any, zero: Any) -> list[Case]:
    return [
        (xp.isfinite(re) & xp.isnan(im), zero + _NAN, zero + _NAN),
        ((re == 0) & xp.isnan(im), re, zero + _NAN),
        (xp.isinf(re) & xp.isnan(im), xp.copysign(zero, re), zero + _NAN),
        (xp.isnan(re) & (xp.isfinite(im) | xp.isnan(im)), zero + _NAN, zero + _NAN),
    ]


#: The special-value cases of each function, by its array API name.
COMPLEX_SPECIAL_CASES: dict[str, Callable[[Any, Any, Any, Any], list[Case]]] = {
    "exp": _exp_cases,
    "sinh": _sinh_cases,
    "cosh": _cosh_cases,
    "tanh": _tanh_cases,
    "log": _log_cases,
    "sqrt": _sqrt_cases,
    "acos": _acos_cases,
    "acosh": _acosh_cases,
    "asinh": _asinh_cases,
    "atanh": _atanh_cases,
}


def select_cases(xp: Any, make_complex: Callable[[Any, Any], Any], out: Any, cases: list[Case]) -> Any:
    """``out`` with each ``(mask, real, imag)`` case written where ``mask`` holds (later cases win).

    ``make_complex(re, im)`` must keep the signs of zeros and infinities (``re + 1j * im`` would turn
    ``inf * 1j`` into ``nan + inf j``): ``jax.lax.complex``, ``torch.complex``.
    """
    re_out, im_out = xp.real(out), xp.imag(out)
    for mask, re, im in cases:
        re_out = xp.where(mask, re, re_out)
        im_out = xp.where(mask, im, im_out)
    return make_complex(re_out, im_out)


def complex_special_values(
    xp: Any, make_complex: Callable[[Any, Any], Any], name: str, base: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """``base`` (the engine's complex ``name``) with the standard's special values, for complex arrays only.

    Args:
        xp: the engine's namespace (see the module docstring).
        make_complex: builds ``re + im j`` keeping signed zeros and infinities.
        name: the function's array API name: a key of :data:`COMPLEX_SPECIAL_CASES`, or ``"expm1"``/``"log1p"``.
        base: the engine's function of that name.

    Returns:
        A function of one complex array; the caller sends real input to ``base`` itself (and may compile this one).

    Example:
        >>> import numpy as np
        >>> exp = complex_special_values(np, lambda re, im: re + 1j * im, "exp", np.exp)
        >>> complex(exp(np.array(complex(-np.inf, np.inf))))
        0j
    """
    if name == "expm1":
        exp = complex_special_values(xp, make_complex, "exp", xp.exp)

        def expm1(z: Any) -> Any:
            # For non-finite input expm1(z) is exp(z) - 1 taken apart (expm1(+inf+0j) = inf+0j, expm1(-inf+nanj) =
            # -1+0j, expm1(NaN+0j) = NaN+0j); torch's complex expm1 gives NaNs there.
            re, im = xp.real(z), xp.imag(z)
            e = exp(z)
            special = _nonfinite(xp, re) | _nonfinite(xp, im)
            out = select_cases(xp, make_complex, base(z), [(special, xp.real(e) - 1, xp.imag(e))])
            zero = xp.zeros_like(re)
            return select_cases(xp, make_complex, out, [((re == 0) & (im == 0), zero, im)])  # expm1(-0+0j) = 0+0j

        return expm1
    if name == "log1p":
        log = complex_special_values(xp, make_complex, "log", xp.log)

        def log1p(z: Any) -> Any:
            # For non-finite input log1p(z) is log(1 + z) with the 1 added to the real part only (log1p(2 + inf j) =
            # inf + pi/2 j, log1p(-inf + nan j) = inf + nan j); torch's complex log1p gives NaNs there.
            re, im = xp.real(z), xp.imag(z)
            shifted = log(make_complex(re + 1, im))
            special = _nonfinite(xp, re) | _nonfinite(xp, im)
            return select_cases(xp, make_complex, base(z), [(special, xp.real(shifted), xp.imag(shifted))])

        return log1p
    cases = COMPLEX_SPECIAL_CASES[name]

    def fixed(z: Any) -> Any:
        re, im = xp.real(z), xp.imag(z)
        return select_cases(xp, make_complex, base(z), cases(xp, re, im, xp.zeros_like(re)))

    fixed.__name__ = name
    return fixed


def isclose_over(xp: Any, a: Any, b: Any, rtol: Any, atol: Any, equal_nan: bool) -> Any:
    """jax.numpy's ``isclose`` on two arrays of one inexact dtype: ``|a - b| <= atol + rtol * |b|`` where both are
    finite, ``a == b`` elsewhere (so infinities of one sign are close), NaNs close to each other when ``equal_nan``.

    ``rtol``/``atol`` are arrays of the real dtype of ``a`` (the caller converts them)."""
    finite = xp.isfinite(a) & xp.isfinite(b)
    close = xp.abs(a - b) <= atol + rtol * xp.abs(b)
    out = xp.where(finite, close, a == b)
    if equal_nan:
        out = out | (xp.isnan(a) & xp.isnan(b))
    return out


def array_equal_over(xp: Any, a1: Any, a2: Any, equal_nan: bool, inexact: bool) -> Any:
    """Whether arrays ``a1`` and ``a2`` (already of one dtype and shape) hold equal values (jax.numpy's rule:
    NaNs equal each other when ``equal_nan`` and the dtype is inexact)."""
    eq = a1 == a2
    if equal_nan and inexact:
        eq = eq | (xp.isnan(a1) & xp.isnan(a2))
    return xp.all(eq)
