"""``jax.test_util``: automatic derivatives checked against finite differences, on any backend.

As JAX's (``jax._src.public_test_util``, JAX 0.10): each order is checked in one random direction (NumPy's
``RandomState(0)``), by central differences computed on the host, with JAX's default gradient tolerances (scaled by
the array size). The derivatives come from ``portax.jvp``/``portax.vjp`` of the current backend.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from portax._src import tree as tree_util
from portax._src.debug import device_get

EPS = 1e-4

# JAX's ``default_gradient_tolerance`` for the dtypes portax backends have.
_GRADIENT_TOLERANCE: dict[np.dtype, float] = {
    np.dtype(np.float16): 1e-2,
    np.dtype(np.float32): 2e-3,
    np.dtype(np.float64): 1e-5,
    np.dtype(np.complex64): 1e-3,
    np.dtype(np.complex128): 1e-5,
}
Tolerance = float | dict[Any, float] | None


def _tolerance(dtype: np.dtype, tol: Tolerance) -> float:
    if tol is not None and not isinstance(tol, dict):
        return float(tol)
    table = {**_GRADIENT_TOLERANCE, **{np.dtype(k): v for k, v in (tol or {}).items()}}
    if dtype.name == "bfloat16":
        return table.get(dtype, 1e-1)
    return table.get(dtype, 0.0)  # integers and booleans compare exactly


def _host(tree: Any) -> Any:
    return device_get(tree)


def _to_backend(tree: Any) -> Any:
    import portax.numpy as pnp

    return tree_util.map(pnp.asarray, tree)


def _assert_close(actual: Any, expected: Any, atol: Tolerance, rtol: Tolerance, err_msg: str) -> None:
    def close(a: Any, b: Any) -> None:
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape, f"{err_msg}: shapes differ, {a.shape} vs {b.shape}"
        a_tol = max(_tolerance(a.dtype, atol), _tolerance(b.dtype, atol))
        r_tol = max(_tolerance(a.dtype, rtol), _tolerance(b.dtype, rtol))
        upcast = (lambda v: v.astype(np.float32)) if a.dtype.name == "bfloat16" else (lambda v: v)
        with np.errstate(invalid="ignore"):
            np.testing.assert_allclose(
                upcast(a), upcast(b), atol=a_tol * a.size, rtol=r_tol * b.size, err_msg=err_msg
            )

    tree_util.map(close, _host(actual), _host(expected))


def _rand_like(rng: np.random.RandomState, x: Any) -> Any:
    x = np.asarray(x)
    value = np.asarray(rng.randn(*x.shape), dtype=x.dtype)
    if np.issubdtype(x.dtype, np.complexfloating):
        value = value + x.dtype.type(1j) * np.asarray(rng.randn(*x.shape), dtype=x.dtype)
    return value


def _scaled(tree: Any, scale: float) -> Any:
    return tree_util.map(lambda x: np.multiply(x, np.array(scale, dtype=x.dtype), dtype=x.dtype), tree)


def _combine(op: Callable[[Any, Any], Any], xs: Any, ys: Any) -> Any:
    return tree_util.map(lambda x, y: np.asarray(op(x, y), dtype=x.dtype), xs, ys)


def _safe_sub(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):  # inf - inf == 0, as JAX's _safe_subtract
        return np.where(np.equal(x, y), np.array(0, x.dtype), np.subtract(x, y, dtype=x.dtype))


def numerical_jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any], eps: float = EPS) -> Any:
    """The central difference ``(f(x + eps t) - f(x - eps t)) / (2 eps)`` on the host."""
    delta = _scaled(tangents, eps)
    f_pos = _host(f(*_to_backend(_combine(np.add, primals, delta))))
    f_neg = _host(f(*_to_backend(_combine(np.subtract, primals, delta))))
    return _scaled(tree_util.map(_safe_sub, f_pos, f_neg), 0.5 / eps)


def _inner_product(xs: Any, ys: Any) -> Any:
    def contract(x: Any, y: Any) -> Any:
        return np.real(np.dot(np.conj(np.asarray(x)).reshape(-1), np.asarray(y).reshape(-1)))

    return tree_util.reduce(np.add, tree_util.map(contract, _host(xs), _host(ys)))


def check_jvp(
    f: Callable[..., Any],
    f_jvp: Callable[..., Any],
    args: Sequence[Any],
    atol: Tolerance = None,
    rtol: Tolerance = None,
    eps: float = EPS,
    err_msg: str = "",
) -> None:
    """Check ``f_jvp(primals, tangents)`` (usually ``partial(portax.jvp, f)``) against finite differences of ``f``.

    Raises:
        AssertionError: the primal or tangent outputs differ beyond the tolerances.
    """
    args = _host(tuple(args))
    tangent = tree_util.map(functools.partial(_rand_like, np.random.RandomState(0)), args)
    v_out, t_out = f_jvp(_to_backend(args), _to_backend(tangent))
    v_expected = f(*_to_backend(args))
    t_expected = numerical_jvp(f, args, tangent, eps=eps)
    _assert_close(v_out, v_expected, atol, rtol, f"{err_msg} primal" if err_msg else "primal")
    _assert_close(t_out, t_expected, atol, rtol, f"{err_msg} tangent" if err_msg else "tangent")


def check_vjp(
    f: Callable[..., Any],
    f_vjp: Callable[..., Any],
    args: Sequence[Any],
    atol: Tolerance = None,
    rtol: Tolerance = None,
    eps: float = EPS,
    err_msg: str = "",
) -> None:
    """Check ``f_vjp(*primals)`` (usually ``partial(portax.vjp, f)``) against finite differences of ``f``, by the
    projection ``<t, vjp(c)> == <jvp(t), c>`` for random ``t`` and ``c``.

    Raises:
        AssertionError: the primal outputs or the projections differ beyond the tolerances.
    """
    args = _host(tuple(args))
    rand_like = functools.partial(_rand_like, np.random.RandomState(0))
    v_out, vjp_fun = f_vjp(*_to_backend(args))
    _assert_close(v_out, f(*_to_backend(args)), atol, rtol, f"{err_msg} primal" if err_msg else "primal")
    tangent = tree_util.map(rand_like, args)
    tangent_out = numerical_jvp(f, args, tangent, eps=eps)
    cotangent = tree_util.map(rand_like, _host(v_out))
    conj = functools.partial(tree_util.map, np.conj)
    cotangent_out = conj(_host(vjp_fun(_to_backend(conj(cotangent)))))
    _assert_close(
        _inner_product(tangent, cotangent_out),
        _inner_product(tangent_out, cotangent),
        atol,
        rtol,
        f"{err_msg} cotangent projection" if err_msg else "cotangent projection",
    )


def check_grads(
    f: Callable[..., Any],
    args: Sequence[Any],
    order: int,
    modes: Sequence[str] = ("fwd", "rev"),
    atol: Tolerance = None,
    rtol: Tolerance = None,
    eps: float | None = None,
) -> None:
    """Check derivatives of ``f`` at ``args`` up to ``order`` against finite differences (``jax.test_util.check_grads``).

    Args:
        f: the function, called as ``f(*args)``.
        args: the point (a tuple of arrays or pytrees of arrays).
        order: forward and reverse derivatives up to this order are checked.
        modes: ``"fwd"`` (``jvp``) and/or ``"rev"`` (``vjp``).
        atol, rtol: tolerances (a number, or a dict from dtype to number); default JAX's per-dtype ones.
        eps: the finite-difference step (default ``1e-4``).

    Raises:
        AssertionError: a derivative does not match.

    Example:
        >>> import portax.numpy as jnp
        >>> check_grads(jnp.sin, (jnp.asarray(0.5),), order=2)
    """
    from portax._src import transforms as portax  # jvp/vjp, read as portax.jvp/portax.vjp

    eps = eps or EPS
    jvp_check = functools.partial(check_jvp, atol=atol, rtol=rtol, eps=eps)
    vjp_check = functools.partial(check_vjp, atol=atol, rtol=rtol, eps=eps)

    def jvp_of(fun: Callable[..., Any]) -> Callable[..., Any]:
        return lambda primals, tangents: portax.jvp(fun, tuple(primals), tuple(tangents))

    def check(fun: Callable[..., Any], point: tuple, order: int, err_msg: str = "") -> None:
        if "fwd" in modes:
            fwd_msg = f"JVP of {err_msg}" if err_msg else "JVP"
            jvp_check(fun, jvp_of(fun), point, err_msg=fwd_msg)
            if order > 1:
                check(jvp_of(fun), (point, point), order - 1, fwd_msg)
        if "rev" in modes:
            rev_msg = f"VJP of {err_msg}" if err_msg else "VJP"
            vjp_check(fun, functools.partial(portax.vjp, fun), point, err_msg=rev_msg)
            if order > 1:

                def fun_vjp(*primals: Any) -> Any:
                    out, pullback = portax.vjp(fun, *primals)
                    return pullback(out)

                check(fun_vjp, point, order - 1, rev_msg)

    check(f, tuple(args), order)
