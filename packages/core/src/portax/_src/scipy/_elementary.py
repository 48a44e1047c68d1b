"""Elementary special functions every layer of portax builds on: the backends' native kernels and dtype promotion.

``portax.scipy.special`` re-exports them; ``portax.lax``'s special functions (``lgamma``, ``digamma``, ``igamma``,
``betainc``, ...) import them from here, so ``lax`` sits below ``scipy.special`` as in JAX (``jax.scipy.special``
calls ``jax.lax``, never the reverse).
"""

from __future__ import annotations

from typing import Any

import portax.numpy as pnp
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


def native_unary(name: str, doc: str) -> Any:
    public = f"portax.scipy.special.{name}"

    def function(x: Any) -> Array:
        (x,) = promote_inexact(x)
        return required(backend_for(x), name, public)(x)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"{doc} (``jax.scipy.special.{name}``); native kernel on every backend."
    return function


erf = native_unary("erf", "The error function")
erfc = native_unary("erfc", "The complementary error function ``1 - erf(x)``")
erfinv = native_unary("erfinv", "The inverse error function")
expit = native_unary("expit", "The logistic sigmoid ``1 / (1 + exp(-x))``")
logit = native_unary("logit", "The log-odds ``log(p / (1 - p))``")
gammaln = native_unary("gammaln", "The log of the absolute value of the gamma function")
digamma = native_unary("digamma", "The digamma function (derivative of ``gammaln``)")
ndtr = native_unary("ndtr", "The standard normal CDF")
ndtri = native_unary("ndtri", "The inverse of the standard normal CDF")
i0e = native_unary("i0e", "The exponentially scaled modified Bessel function of order 0, ``exp(-|x|) I0(x)``")
i1e = native_unary("i1e", "The exponentially scaled modified Bessel function of order 1, ``exp(-|x|) I1(x)``")


def betaln(a: Any, b: Any) -> Array:
    """``log |B(a, b)|``, the log of the beta function (``jax.scipy.special.betaln``)."""
    a, b = promote_inexact(a, b)
    function = native(backend_for(a, b), "betaln")
    if function is not None:
        return function(a, b)
    return gammaln(a) + gammaln(b) - gammaln(a + b)
