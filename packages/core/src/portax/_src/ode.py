"""``jax.experimental.ode.odeint``: adaptive Dormand-Prince integration with the adjoint gradient, written once.

The same algorithm as JAX 0.10's ``jax/experimental/ode.py`` (Hairer-Norsett-Wanner initial step, Dopri5 tableau,
4th-order dense-output interpolation at the requested times, the error-ratio step control, and the reverse pass of
Chen et al. 2018, Appendix C: the augmented system integrated backwards between observation times), over
``portax.numpy``, ``portax.lax.while_loop``/``scan`` and ``portax.custom_vjp``, so it runs and differentiates on every
backend.

Difference from JAX's: JAX converts closures of ``func`` (``closure_convert``) so closed-over traced values get
gradients; portax does not, so pass differentiated parameters through ``*args``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import portax.numpy as jnp
from portax._src import tree as tree_util
from portax._src.lax_control import scan, while_loop
from portax._src.transforms import _backend_for, custom_vjp, jit, vjp

# The Dormand-Prince 5(4) tableau (as Python floats: no arrays to build per step).
_ALPHA = (1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0)
_BETA = (
    (1 / 5,),
    (3 / 40, 9 / 40),
    (44 / 45, -56 / 15, 32 / 9),
    (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
    (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
    (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84),
)
_C_SOL = (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0)
_C_ERROR = (
    35 / 384 - 1951 / 21600,
    0.0,
    500 / 1113 - 22642 / 50085,
    125 / 192 - 451 / 720,
    -2187 / 6784 - -12231 / 42400,
    11 / 84 - 649 / 6300,
    -1.0 / 60.0,
)
_C_MID = (
    6025192743 / 30085553152 / 2,
    0.0,
    51252292925 / 65400821598 / 2,
    -2691868925 / 45128329728 / 2,
    187940372067 / 1594534317056 / 2,
    -1776094331 / 19743644256 / 2,
    11237099 / 235043384 / 2,
)


def _combine(weights: tuple[float, ...], ks: list[Any]) -> Any:
    """``sum(w * k)`` over the non-zero weights (``jnp.dot(weights, k)`` in JAX's)."""
    total = None
    for weight, k in zip(weights, ks, strict=False):
        if weight != 0.0:
            total = weight * k if total is None else total + weight * k
    return total


def _runge_kutta_step(func: Callable[..., Any], y0: Any, f0: Any, t0: Any, dt: Any) -> tuple[Any, Any, Any, list]:
    dt_y = jnp.astype(dt, y0.dtype)
    ks = [f0]
    for alpha, beta in zip(_ALPHA, _BETA, strict=True):
        ks.append(func(y0 + dt_y * _combine(beta, ks), t0 + dt * alpha))
    y1 = dt_y * _combine(_C_SOL, ks) + y0
    y1_error = dt_y * _combine(_C_ERROR, ks)
    return y1, ks[-1], y1_error, ks


def _interp_fit_dopri(y0: Any, y1: Any, ks: list[Any], dt: Any) -> Any:
    """The coefficients of the 4th-order polynomial through the step (highest power first)."""
    dt = jnp.astype(dt, y0.dtype)
    y_mid = y0 + dt * _combine(_C_MID, ks)
    dy0, dy1 = ks[0], ks[-1]
    a = -2.0 * dt * dy0 + 2.0 * dt * dy1 - 8.0 * y0 - 8.0 * y1 + 16.0 * y_mid
    b = 5.0 * dt * dy0 - 3.0 * dt * dy1 + 18.0 * y0 + 14.0 * y1 - 32.0 * y_mid
    c = -4.0 * dt * dy0 + dt * dy1 - 11.0 * y0 - 5.0 * y1 + 16.0 * y_mid
    return jnp.stack([a, b, c, dt * dy0, y0])


def _polyval_rows(coefficients: Any, x: Any) -> Any:
    """Horner's rule over the leading axis of ``coefficients`` (JAX's ``jnp.polyval`` with 2-D coefficients)."""
    value = coefficients[0]
    for row in range(1, coefficients.shape[0]):
        value = value * x + coefficients[row]
    return value


def _initial_step_size(
    fun: Callable[..., Any], t0: Any, y0: Any, order: int, rtol: float, atol: float, f0: Any
) -> Any:
    # E. Hairer, S. P. Norsett, G. Wanner, Solving Ordinary Differential Equations I: Nonstiff Problems, Sec. II.4.
    scale = atol + jnp.abs(y0) * rtol
    d0 = jnp.linalg.norm(y0 / scale)
    d1 = jnp.linalg.norm(f0 / scale)
    h0 = jnp.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / d1)
    y1 = y0 + jnp.astype(h0, y0.dtype) * f0
    f1 = fun(y1, t0 + h0)
    d2 = jnp.linalg.norm((f1 - f0) / scale) / h0
    h1 = jnp.where(
        (d1 <= 1e-15) & (d2 <= 1e-15),
        jnp.maximum(1e-6, h0 * 1e-3),
        (0.01 / jnp.maximum(d1, d2)) ** (1.0 / (order + 1.0)),
    )
    return jnp.minimum(100.0 * h0, h1)


def _mean_error_ratio(error_estimate: Any, rtol: float, atol: float, y0: Any, y1: Any) -> Any:
    err_tol = atol + rtol * jnp.maximum(jnp.abs(y0), jnp.abs(y1))
    err_ratio = error_estimate / err_tol
    return jnp.sqrt(jnp.mean(jnp.abs(err_ratio) ** 2))


def _optimal_step_size(
    last_step: Any, mean_error_ratio: Any, safety: float = 0.9, ifactor: float = 10.0, dfactor: float = 0.2,
    order: float = 5.0,
) -> Any:
    dfactor_ = jnp.where(mean_error_ratio < 1, 1.0, dfactor)
    factor = jnp.minimum(ifactor, jnp.maximum(mean_error_ratio ** (-1.0 / order) * safety, dfactor_))
    return jnp.where(mean_error_ratio == 0, last_step * ifactor, last_step * factor)


def odeint(
    func: Callable[..., Any],
    y0: Any,
    t: Any,
    *args: Any,
    rtol: float = 1.4e-8,
    atol: float = 1.4e-8,
    mxstep: float = math.inf,
    hmax: float = math.inf,
) -> Any:
    """Integrate ``dy/dt = func(y, t, *args)`` from ``y0`` at ``t[0]``, reporting ``y`` at the times ``t``
    (``jax.experimental.ode.odeint``).

    Adaptive-step Dormand-Prince; reverse-mode derivatives with respect to ``y0``, ``t`` and ``args`` by the adjoint
    method (another integration, backwards), so memory does not grow with the number of steps.

    Args:
        func: the time derivative, ``func(y, t, *args)``, with the structure of ``y0``.
        y0: the initial state, an array or pytree of arrays.
        t: strictly increasing float times, e.g. ``jnp.linspace(0.0, 10.0, 101)``.
        *args: extra arrays (pytrees) for ``func``; differentiate through these, not through closures.
        rtol, atol: relative and absolute local error tolerances.
        mxstep: the most steps per interval between two times of ``t``.
        hmax: the largest step.

    Returns:
        ``y`` at each time: ``y0``'s structure with a leading axis of length ``len(t)``.

    Raises:
        TypeError: ``t`` is not floating point, or an element of ``args`` is not an array or scalar.

    Example:
        >>> import portax.numpy as jnp
        >>> ys = odeint(lambda y, t: -y, jnp.asarray(1.0), jnp.asarray([0.0, 1.0]))
        >>> round(float(ys[1]), 5)
        0.36788
    """
    for arg in tree_util.leaves(args):
        if not (hasattr(arg, "dtype") or isinstance(arg, (bool, int, float, complex))):
            raise TypeError(f"The contents of odeint *args must be arrays or scalars, but got {arg}.")
    t = jnp.asarray(t)
    if not jnp.isdtype(t.dtype, "real floating"):
        raise TypeError(f"t must be an array of floats, but got {t}.")
    args = tuple(tree_util.map(jnp.asarray, args))
    flat_y0, unravel = _ravel(y0)
    flat_func = _FlatFunction(func, unravel)
    backend = _backend_for((flat_y0, t, args))
    # compiled once per func and tolerances where the engine compiles custom rules (JAX's odeint is jitted the same
    # way); elsewhere (torch, where jit runs custom rules uncompiled) the loops run as they are
    solve = _odeint_jitted if "custom_rules_jit" in backend.capabilities else _odeint
    out = solve(flat_func, rtol, atol, mxstep, hmax, flat_y0, t, *args)
    return unravel(out, batched=True)


class _FlatFunction:
    """``func`` on the flat state vector (JAX's ``ravel_first_arg``). Compares equal for the same ``func`` and
    structure, so a backend caching on the rule's static arguments reuses its work."""

    def __init__(self, func: Callable[..., Any], unravel: Any) -> None:
        self.func, self.unravel = func, unravel

    def __call__(self, y_flat: Any, t: Any, *args: Any) -> Any:
        return _ravel(self.func(self.unravel(y_flat), t, *args))[0]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _FlatFunction) and (self.func, self.unravel) == (other.func, other.unravel)

    def __hash__(self) -> int:
        return hash((self.func, self.unravel))


class _Unravel:
    """Flat vector -> the pytree it came from (``jax.flatten_util.ravel_pytree``'s second result)."""

    def __init__(self, treedef: Any, shapes: tuple[tuple[int, ...], ...], dtypes: tuple[Any, ...]) -> None:
        self.treedef, self.shapes, self.dtypes = treedef, shapes, dtypes

    def __call__(self, flat: Any, batched: bool = False) -> Any:
        leaves, offset = [], 0
        lead = tuple(flat.shape[:1]) if batched else ()
        for shape, dtype in zip(self.shapes, self.dtypes, strict=True):
            size = math.prod(shape)
            piece = flat[..., offset : offset + size]
            leaves.append(jnp.astype(jnp.reshape(piece, lead + shape), dtype))
            offset += size
        return tree_util.unflatten(self.treedef, leaves)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Unravel) and (self.treedef, self.shapes) == (other.treedef, other.shapes)

    def __hash__(self) -> int:
        return hash((self.treedef, self.shapes))


def _ravel(tree: Any) -> tuple[Any, _Unravel]:
    leaves, treedef = tree_util.flatten(tree)
    leaves = [jnp.asarray(leaf) for leaf in leaves]
    dtype = jnp.result_type(*leaves) if leaves else jnp.float32
    if not jnp.isdtype(dtype, ("real floating", "complex floating")):
        dtype = jnp.result_type(dtype, jnp.float32)
    shapes = tuple(tuple(leaf.shape) for leaf in leaves)
    flat = (
        jnp.concatenate([jnp.reshape(jnp.astype(leaf, dtype), (-1,)) for leaf in leaves])
        if leaves
        else jnp.zeros((0,), dtype)
    )
    return flat, _Unravel(treedef, shapes, tuple(leaf.dtype for leaf in leaves))


def _odeint_forward(func: Callable[..., Any], rtol: float, atol: float, mxstep: float, hmax: float, y0: Any,
                    ts: Any, *args: Any) -> Any:
    def func_(y: Any, t: Any) -> Any:
        return func(y, t, *args)

    def scan_fun(carry: Any, target_t: Any) -> tuple[Any, Any]:
        def cond_fun(state: Any) -> Any:
            i, _, _, t, dt, _, _ = state
            return (t < target_t) & (i < mxstep) & (dt > 0)

        def body_fun(state: Any) -> Any:
            i, y, f, t, dt, last_t, interp_coeff = state
            next_y, next_f, next_y_error, ks = _runge_kutta_step(func_, y, f, t, dt)
            next_t = t + dt
            error_ratio = _mean_error_ratio(next_y_error, rtol, atol, y, next_y)
            new_interp_coeff = _interp_fit_dopri(y, next_y, ks, dt)
            dt = jnp.clip(_optimal_step_size(dt, error_ratio), 0.0, hmax)
            accept = error_ratio <= 1.0
            new = [next_y, next_f, next_t, t, new_interp_coeff]
            old = [y, f, t, last_t, interp_coeff]
            y, f, t, last_t, interp_coeff = [jnp.where(accept, a, b) for a, b in zip(new, old, strict=True)]
            return [i + 1, y, f, t, dt, last_t, interp_coeff]

        _, *carry = while_loop(cond_fun, body_fun, [jnp.asarray(0), *carry])
        _, _, t, _, last_t, interp_coeff = carry
        relative_output_time = (target_t - last_t) / (t - last_t)
        y_target = _polyval_rows(interp_coeff, jnp.astype(relative_output_time, interp_coeff.dtype))
        return carry, y_target

    f0 = func_(y0, ts[0])
    dt = jnp.clip(_initial_step_size(func_, ts[0], y0, 4, rtol, atol, f0), 0.0, hmax)
    interp_coeff = jnp.stack([y0] * 5)
    init_carry = [y0, f0, ts[0], dt, ts[0], interp_coeff]
    _, ys = scan(scan_fun, init_carry, ts[1:])
    return jnp.concatenate((y0[None], ys))


def _odeint_fwd(func: Callable[..., Any], rtol: float, atol: float, mxstep: float, hmax: float, y0: Any, ts: Any,
                *args: Any) -> tuple[Any, Any]:
    ys = _odeint_forward(func, rtol, atol, mxstep, hmax, y0, ts, *args)
    return ys, (ys, ts, args)


def _odeint_rev(func: Callable[..., Any], rtol: float, atol: float, mxstep: float, hmax: float, res: Any,
                g: Any) -> tuple[Any, ...]:
    ys, ts, args = res

    def aug_dynamics(augmented_state: Any, t: Any, *args: Any) -> Any:
        """The system augmented with vjp_y, vjp_t and vjp_args; ``t`` is negated time (integrated backwards)."""
        y, y_bar, *_ = augmented_state
        y_dot, vjp_fun = vjp(func, y, -t, *args)
        return (-y_dot, *vjp_fun(y_bar))

    def scan_fun(carry: Any, step: Any) -> tuple[Any, Any]:
        y_bar, t0_bar, args_bar = carry
        y_i, t_i, t_previous, g_previous, g_i = step
        # the effect of moving the measurement time (real: t is real even for a complex state)
        t_bar = jnp.real(jnp.sum(func(y_i, t_i, *args) * g_i))
        t0_bar = t0_bar - t_bar
        # run the augmented system backwards to the previous observation
        _, y_bar, t0_bar, args_bar = odeint(
            aug_dynamics,
            (y_i, y_bar, t0_bar, args_bar),
            jnp.stack([-t_i, -t_previous]),
            *args,
            rtol=rtol,
            atol=atol,
            mxstep=mxstep,
            hmax=hmax,
        )
        y_bar, t0_bar, args_bar = tree_util.map(lambda leaf: leaf[1], (y_bar, t0_bar, args_bar))
        y_bar = y_bar + g_previous  # the gradient from the previous output
        return (y_bar, t0_bar, args_bar), t_bar

    # scan from the last interval to the first: slices, not indexing by a traced step (torch)
    steps = tuple(jnp.flip(x, 0) for x in (ys[1:], ts[1:], ts[:-1], g[:-1], g[1:]))
    init_carry = (g[-1], jnp.zeros((), ts.dtype), tree_util.map(jnp.zeros_like, args))
    (y_bar, t0_bar, args_bar), rev_ts_bar = scan(scan_fun, init_carry, steps)
    ts_bar = jnp.concatenate([jnp.reshape(t0_bar, (1,)), jnp.flip(rev_ts_bar, 0)])
    return (y_bar, ts_bar, *args_bar)


_odeint = custom_vjp(_odeint_forward, nondiff_argnums=(0, 1, 2, 3, 4))
_odeint.defvjp(_odeint_fwd, _odeint_rev)


def _odeint_entry(func: Callable[..., Any], rtol: float, atol: float, mxstep: float, hmax: float, y0: Any, ts: Any,
                  *args: Any) -> Any:
    return _odeint(func, rtol, atol, mxstep, hmax, y0, ts, *args)


_odeint_jitted = jit(_odeint_entry, static_argnums=(0, 1, 2, 3, 4))
