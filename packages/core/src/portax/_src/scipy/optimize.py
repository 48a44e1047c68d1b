"""``portax.scipy.optimize``: JAX's ``minimize`` with BFGS and its Wolfe line search, written once over portax.

A line-by-line port of jax/_src/scipy/optimize/{minimize,bfgs,line_search}.py (0.10): the same iterates, the same
counters and status codes, so results agree with JAX to float rounding. The loops are ``portax.lax.while_loop``
(a real loop under ``jit`` on JAX; on torch eagerly a Python loop, compiled where torch's ``while_loop`` allows).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import portax.numpy as pnp
from portax._src import lax_control, transforms
from portax._src.scipy._native import backend_for, creating_on
from portax._src.scipy.special import promote_inexact

Array = Any


class OptimizeResults(NamedTuple):
    """The result of :func:`minimize` (``jax.scipy.optimize.OptimizeResults``).

    Attributes:
        x: the solution. success: whether it converged. status: 0 converged, 1 ``maxiter`` reached, 2 + the line
        search's status when the line search failed. fun, jac: the objective and its gradient at ``x``.
        hess_inv: the inverse Hessian estimate. nfev, njev, nit: evaluations of ``fun`` and its gradient, iterations.
    """

    x: Array
    success: Any
    status: Any
    fun: Array
    jac: Array
    hess_inv: Array | None
    nfev: Any
    njev: Any
    nit: Any


def minimize(fun: Callable[..., Any], x0: Any, args: tuple = (), *, method: str, tol: float | None = None,
             options: Mapping[str, Any] | None = None) -> OptimizeResults:
    """Minimize a scalar function of one 1-d array (``jax.scipy.optimize.minimize``; ``method="BFGS"``).

    Args:
        fun: ``fun(x, *args)`` returning a real scalar; differentiable with ``portax.grad``.
        x0: the initial guess, a 1-d array.
        args: extra positional arguments of ``fun`` (a tuple).
        method: ``"BFGS"`` (case-insensitive).
        tol: accepted and ignored, as in JAX (use ``options={"gtol": ...}``).
        options: ``maxiter`` (default ``200 * x0.size``), ``norm`` (default inf), ``gtol`` (default 1e-5),
            ``line_search_maxiter`` (default 10).

    Returns:
        :class:`OptimizeResults`.

    Raises:
        TypeError: ``args`` is not a tuple. ValueError: an unknown ``method``.

    Example:
        >>> import portax.numpy as pnp
        >>> from portax.scipy.optimize import minimize
        >>> result = minimize(lambda x: pnp.sum((x - 3.0) ** 2), pnp.zeros(2), method="BFGS")
        >>> [round(float(v), 4) for v in result.x]
        [3.0, 3.0]
    """
    if options is None:
        options = {}
    if not isinstance(args, tuple):
        raise TypeError(f"args argument to portax.scipy.optimize.minimize must be a tuple, got {args}")
    if method.lower() != "bfgs":
        raise ValueError(f"Method {method} not recognized")

    def fun_with_args(x: Any) -> Any:
        return fun(x, *args)

    results = _minimize_bfgs(fun_with_args, x0, **options)
    return OptimizeResults(x=results.x_k, success=results.converged & pnp.logical_not(results.failed),
                           status=results.status, fun=results.f_k, jac=results.g_k, hess_inv=results.H_k,
                           nfev=results.nfev, njev=results.ngev, nit=results.k)


# -- BFGS (jax/_src/scipy/optimize/bfgs.py) --------------------------------------------------------------------------


class _BFGSResults(NamedTuple):
    converged: Any
    failed: Any
    k: Any
    nfev: Any
    ngev: Any
    nhev: Any
    x_k: Any
    f_k: Any
    g_k: Any
    H_k: Any  # noqa: N815 (JAX's field name)
    old_old_fval: Any
    status: Any
    line_search_status: Any


def _norm(x: Any, order: Any) -> Any:
    if order == pnp.inf:
        return pnp.max(pnp.abs(x))
    return pnp.linalg.norm(x, ord=order)


def _minimize_bfgs(fun: Callable, x0: Any, maxiter: int | None = None, norm: Any = float("inf"), gtol: float = 1e-5,
                   line_search_maxiter: int = 10) -> _BFGSResults:
    (x0,) = promote_inexact(x0)
    if x0.ndim != 1:
        raise ValueError(f"minimize: x0 must be a 1-d array, got shape {tuple(x0.shape)}; ravel it first")
    if maxiter is None:
        maxiter = x0.shape[0] * 200
    d = x0.shape[0]
    with creating_on(backend_for(x0)):
        eye = pnp.eye(d, dtype=x0.dtype)
        f_0, g_0 = transforms.value_and_grad(fun)(x0)
        int32, false = pnp.int32, pnp.asarray(False)
        state = _BFGSResults(
            converged=_norm(g_0, norm) < gtol, failed=false, k=pnp.asarray(0, dtype=int32),
            nfev=pnp.asarray(1, dtype=int32), ngev=pnp.asarray(1, dtype=int32), nhev=pnp.asarray(0, dtype=int32),
            x_k=x0, f_k=f_0, g_k=g_0, H_k=eye, old_old_fval=f_0 + pnp.linalg.norm(g_0) / 2,
            status=pnp.asarray(0, dtype=int32), line_search_status=pnp.asarray(0, dtype=int32),
        )

        def cond_fun(state: _BFGSResults) -> Any:
            return pnp.logical_not(state.converged) & pnp.logical_not(state.failed) & (state.k < maxiter)

        def body_fun(state: _BFGSResults) -> _BFGSResults:
            p_k = -(state.H_k @ state.g_k)
            search = line_search(fun, state.x_k, p_k, old_fval=state.f_k, old_old_fval=state.old_old_fval,
                                 gfk=state.g_k, maxiter=line_search_maxiter)
            state = state._replace(nfev=state.nfev + search.nfev, ngev=state.ngev + search.ngev,
                                   failed=search.failed, line_search_status=search.status)
            s_k = search.a_k * p_k
            x_kp1 = state.x_k + s_k
            g_kp1 = search.g_k
            y_k = g_kp1 - state.g_k
            rho_k = 1 / pnp.sum(y_k * s_k)
            w = eye - rho_k * (s_k[:, None] * y_k[None, :])
            # JAX's einsum("ij,jk,lk", w, H, w) as matmuls: a row-major result, as torch's while_loop carry needs
            h_kp1 = (w @ state.H_k) @ w.T + rho_k * s_k[:, None] * s_k[None, :]
            h_kp1 = pnp.where(pnp.isfinite(rho_k), h_kp1, state.H_k)
            return state._replace(converged=_norm(g_kp1, norm) < gtol, k=state.k + 1, x_k=x_kp1, f_k=search.f_k,
                                  g_k=g_kp1, H_k=h_kp1, old_old_fval=state.f_k)

        state = lax_control.while_loop(cond_fun, body_fun, state)
        status = pnp.where(state.converged, 0, pnp.where(state.k == maxiter, 1,
                                                         pnp.where(state.failed, 2 + state.line_search_status, -1)))
        return state._replace(status=pnp.astype(status, pnp.int32))


# -- the Wolfe line search (jax/_src/scipy/optimize/line_search.py) ------------------------------------------------


def _cubicmin(a: Any, fa: Any, fpa: Any, b: Any, fb: Any, c: Any, fc: Any) -> Any:
    db, dc = b - a, c - a
    denom = (db * dc) ** 2 * (db - dc)
    first, second = fb - fa - fpa * db, fc - fa - fpa * dc
    big_a = (dc**2 * first - db**2 * second) / denom
    big_b = (-(dc**3) * first + db**3 * second) / denom
    radical = big_b * big_b - 3.0 * big_a * fpa
    return a + (-big_b + pnp.sqrt(radical)) / (3.0 * big_a)


def _quadmin(a: Any, fa: Any, fpa: Any, b: Any, fb: Any) -> Any:
    db = b - a
    big_b = (fb - fa - fpa * db) / (db**2)
    return a - fpa / (2.0 * big_b)


def _replace(bit: Any, original: NamedTuple, new: dict, keys: Any = None) -> dict:
    keys = new.keys() if keys is None else keys
    old = original._asdict()
    return {key: pnp.where(bit, new[key], old[key]) for key in keys}


class _ZoomState(NamedTuple):
    done: Any
    failed: Any
    j: Any
    a_lo: Any
    phi_lo: Any
    dphi_lo: Any
    a_hi: Any
    phi_hi: Any
    dphi_hi: Any
    a_rec: Any
    phi_rec: Any
    a_star: Any
    phi_star: Any
    dphi_star: Any
    g_star: Any
    nfev: Any
    ngev: Any


def _zoom(restricted: Callable, wolfe_one: Callable, wolfe_two: Callable, a_lo: Any, phi_lo: Any, dphi_lo: Any,
          a_hi: Any, phi_hi: Any, dphi_hi: Any, g_0: Any, pass_through: Any) -> _ZoomState:
    zero, false = pnp.zeros((), dtype=pnp.int32), pnp.asarray(False)
    state = _ZoomState(done=false, failed=false, j=zero, a_lo=a_lo, phi_lo=phi_lo, dphi_lo=dphi_lo, a_hi=a_hi,
                       phi_hi=phi_hi, dphi_hi=dphi_hi, a_rec=(a_lo + a_hi) / 2.0, phi_rec=(phi_lo + phi_hi) / 2.0,
                       a_star=pnp.ones_like(a_lo), phi_star=phi_lo, dphi_star=dphi_lo, g_star=g_0, nfev=zero,
                       ngev=zero)
    delta1, delta2 = 0.2, 0.1
    threshold = 1e-5 if pnp.finfo(a_lo.dtype).bits < 64 else 1e-10

    def body(state: _ZoomState) -> _ZoomState:
        dalpha = state.a_hi - state.a_lo
        a = pnp.minimum(state.a_hi, state.a_lo)
        b = pnp.maximum(state.a_hi, state.a_lo)
        cchk, qchk = delta1 * dalpha, delta2 * dalpha
        state = state._replace(failed=state.failed | (dalpha <= threshold))
        a_j_cubic = _cubicmin(state.a_lo, state.phi_lo, state.dphi_lo, state.a_hi, state.phi_hi, state.a_rec,
                              state.phi_rec)
        use_cubic = (state.j > 0) & (a_j_cubic > a + cchk) & (a_j_cubic < b - cchk)
        a_j_quad = _quadmin(state.a_lo, state.phi_lo, state.dphi_lo, state.a_hi, state.phi_hi)
        use_quad = (~use_cubic) & (a_j_quad > a + qchk) & (a_j_quad < b - qchk)
        use_bisection = (~use_cubic) & (~use_quad)
        a_j = pnp.where(use_cubic, a_j_cubic, state.a_rec)
        a_j = pnp.where(use_quad, a_j_quad, a_j)
        a_j = pnp.where(use_bisection, (state.a_lo + state.a_hi) / 2.0, a_j)
        phi_j, dphi_j, g_j = restricted(a_j)
        state = state._replace(nfev=state.nfev + 1, ngev=state.ngev + 1)
        hi_to_j = wolfe_one(a_j, phi_j) | (phi_j >= state.phi_lo)
        star_to_j = wolfe_two(dphi_j) & (~hi_to_j)
        hi_to_lo = (dphi_j * (state.a_hi - state.a_lo) >= 0.0) & (~hi_to_j) & (~star_to_j)
        lo_to_j = (~hi_to_j) & (~star_to_j)
        state = state._replace(**_replace(hi_to_j, state, dict(a_hi=a_j, phi_hi=phi_j, dphi_hi=dphi_j,
                                                               a_rec=state.a_hi, phi_rec=state.phi_hi)))
        state = state._replace(done=star_to_j | state.done, **_replace(
            star_to_j, state, dict(a_star=a_j, phi_star=phi_j, dphi_star=dphi_j, g_star=g_j)))
        state = state._replace(**_replace(hi_to_lo, state, dict(a_hi=state.a_lo, phi_hi=state.phi_lo,
                                                                dphi_hi=state.dphi_lo, a_rec=state.a_hi,
                                                                phi_rec=state.phi_hi)))
        state = state._replace(**_replace(lo_to_j & ~hi_to_lo, state, dict(a_rec=state.a_lo,
                                                                           phi_rec=state.phi_lo)))
        state = state._replace(**_replace(lo_to_j, state, dict(a_lo=a_j, phi_lo=phi_j, dphi_lo=dphi_j)))
        state = state._replace(j=state.j + 1)
        return state._replace(failed=state.failed | (state.j >= 30))

    return lax_control.while_loop(lambda s: (~s.done) & (~pass_through) & (~s.failed), body, state)


class _LineSearchState(NamedTuple):
    done: Any
    failed: Any
    i: Any
    a_i1: Any
    phi_i1: Any
    dphi_i1: Any
    nfev: Any
    ngev: Any
    a_star: Any
    phi_star: Any
    dphi_star: Any
    g_star: Any


class _LineSearchResults(NamedTuple):
    failed: Any
    nit: Any
    nfev: Any
    ngev: Any
    k: Any
    a_k: Any
    f_k: Any
    g_k: Any
    status: Any


def line_search(f: Callable, xk: Any, pk: Any, old_fval: Any = None, old_old_fval: Any = None, gfk: Any = None,
                c1: float = 1e-4, c2: float = 0.9, maxiter: int = 20) -> _LineSearchResults:
    """Inexact line search satisfying the strong Wolfe conditions (Nocedal & Wright, Algorithm 3.5), as JAX's."""
    xk, pk = promote_inexact(xk, pk)

    def restricted(t: Any) -> tuple:
        phi, g = transforms.value_and_grad(f)(xk + t * pk)
        return phi, pnp.real(pnp.sum(g * pk)), g

    first_call = old_fval is None or gfk is None
    if first_call:
        phi_0, dphi_0, gfk = restricted(pnp.zeros((), dtype=pk.dtype))
    else:
        phi_0, dphi_0 = old_fval, pnp.real(pnp.sum(gfk * pk))
    if old_old_fval is not None:
        candidate = 1.01 * 2 * (phi_0 - old_old_fval) / dphi_0
        start_value = pnp.where(candidate > 1, pnp.ones_like(candidate), candidate)
    else:
        start_value = pnp.ones_like(phi_0)

    def wolfe_one(a_i: Any, phi_i: Any) -> Any:
        return phi_i > phi_0 + c1 * a_i * dphi_0

    def wolfe_two(dphi_i: Any) -> Any:
        return pnp.abs(dphi_i) <= -c2 * dphi_0

    count = pnp.asarray(1 if first_call else 0, dtype=pnp.int32)
    state = _LineSearchState(done=pnp.asarray(False), failed=pnp.asarray(False), i=pnp.asarray(1, dtype=pnp.int32),
                             a_i1=pnp.zeros_like(phi_0), phi_i1=phi_0, dphi_i1=dphi_0, nfev=count, ngev=count,
                             a_star=pnp.zeros_like(phi_0), phi_star=phi_0, dphi_star=dphi_0, g_star=gfk)

    def body(state: _LineSearchState) -> _LineSearchState:
        a_i = pnp.where(state.i == 1, start_value, state.a_i1 * 2.0)
        phi_i, dphi_i, g_i = restricted(a_i)
        state = state._replace(nfev=state.nfev + 1, ngev=state.ngev + 1)
        star_to_zoom1 = wolfe_one(a_i, phi_i) | ((phi_i >= state.phi_i1) & (state.i > 1))
        star_to_i = wolfe_two(dphi_i) & (~star_to_zoom1)
        star_to_zoom2 = (dphi_i >= 0.0) & (~star_to_zoom1) & (~star_to_i)
        zoom1 = _zoom(restricted, wolfe_one, wolfe_two, state.a_i1, state.phi_i1, state.dphi_i1, a_i, phi_i, dphi_i,
                      gfk, ~star_to_zoom1)
        state = state._replace(nfev=state.nfev + zoom1.nfev, ngev=state.ngev + zoom1.ngev)
        zoom2 = _zoom(restricted, wolfe_one, wolfe_two, a_i, phi_i, dphi_i, state.a_i1, state.phi_i1, state.dphi_i1,
                      gfk, ~star_to_zoom2)
        state = state._replace(nfev=state.nfev + zoom2.nfev, ngev=state.ngev + zoom2.ngev)
        keys = ["a_star", "phi_star", "dphi_star", "g_star"]
        state = state._replace(done=star_to_zoom1 | state.done, failed=(star_to_zoom1 & zoom1.failed) | state.failed,
                               **_replace(star_to_zoom1, state, zoom1._asdict(), keys=keys))
        state = state._replace(done=star_to_i | state.done, **_replace(
            star_to_i, state, dict(a_star=a_i, phi_star=phi_i, dphi_star=dphi_i, g_star=g_i)))
        state = state._replace(done=star_to_zoom2 | state.done, failed=(star_to_zoom2 & zoom2.failed) | state.failed,
                               **_replace(star_to_zoom2, state, zoom2._asdict(), keys=keys))
        return state._replace(i=state.i + 1, a_i1=a_i, phi_i1=phi_i, dphi_i1=dphi_i)

    state = lax_control.while_loop(lambda s: (~s.done) & (s.i <= maxiter) & (~s.failed), body, state)
    status = pnp.where(state.failed, 1, pnp.where(state.i > maxiter, 3, 0))
    alpha_k = state.a_star
    if pnp.finfo(alpha_k.dtype).bits != 64:
        alpha_k = pnp.where(pnp.abs(alpha_k) < 1e-8, pnp.sign(alpha_k) * 1e-8, alpha_k)
    return _LineSearchResults(failed=state.failed | (~state.done), nit=state.i - 1, nfev=state.nfev,
                              ngev=state.ngev, k=state.i, a_k=alpha_k, f_k=state.phi_star, g_k=state.g_star,
                              status=pnp.astype(status, pnp.int32))
