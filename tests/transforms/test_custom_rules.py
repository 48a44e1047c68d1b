"""custom_vjp, custom_jvp and checkpoint under grad, vmap and jit, on every backend."""

from __future__ import annotations

import warnings

import numpy as np
import portax
import pytest
from portax.errors import UnsupportedError
from transform_util import assert_close


def make_clip_gradient(xp):
    @portax.custom_vjp
    def clip_gradient(lo, hi, x):
        return x

    def fwd(lo, hi, x):
        return x, (lo, hi)

    def bwd(res, g):
        lo, hi = res
        return (None, None, xp.clip(g, lo, hi))

    clip_gradient.defvjp(fwd, bwd)
    return clip_gradient


def make_log1pexp(xp):
    # JAX's docs example: a numerically stable derivative 1 - 1/(1 + e^x).
    @portax.custom_jvp
    def log1pexp(x):
        return xp.log(1.0 + xp.exp(x))

    @log1pexp.defjvp
    def log1pexp_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return log1pexp(x), t * (1.0 - 1.0 / (1.0 + xp.exp(x)))

    return log1pexp


def test_custom_vjp_rule_is_used_by_grad(xp):
    clip_gradient = make_clip_gradient(xp)
    g = portax.grad(lambda x: xp.sum(3.0 * clip_gradient(-1.0, 1.0, x)))(xp.asarray([2.0, 0.5]))
    assert_close(g, np.array([1.0, 1.0], np.float32))


def test_custom_vjp_forward_value(xp):
    clip_gradient = make_clip_gradient(xp)
    assert_close(clip_gradient(-1.0, 1.0, xp.asarray([2.0])), np.array([2.0], np.float32))


def test_custom_vjp_residuals_and_pytrees(xp):
    @portax.custom_vjp
    def f(p):
        return {"out": xp.sin(p["a"]) * p["b"]}

    def fwd(p):
        return f(p), (xp.cos(p["a"]), p["b"], xp.sin(p["a"]))

    def bwd(res, g):
        cos_a, b, sin_a = res
        return ({"a": 10.0 * cos_a * b * g["out"], "b": sin_a * g["out"]},)

    f.defvjp(fwd, bwd)
    a, b = np.array([0.3, 0.7], np.float32), np.array([2.0, 3.0], np.float32)
    g = portax.grad(lambda p: xp.sum(f(p)["out"]))({"a": xp.asarray(a), "b": xp.asarray(b)})
    assert_close(g, {"a": 10.0 * np.cos(a) * b, "b": np.sin(a)})


def test_custom_vjp_nondiff_argnums(xp):
    from functools import partial

    @partial(portax.custom_vjp, nondiff_argnums=(0,))
    def scale(factor, x):
        return x * factor

    scale.defvjp(lambda factor, x: (x * factor, None), lambda factor, res, g: (g * factor * 100.0,))
    g = portax.grad(lambda x: xp.sum(scale(2.0, x)))(xp.asarray([1.0]))
    assert_close(g, np.array([200.0], np.float32))


def test_grad_of_custom_vjp_under_vmap(xp):
    clip_gradient = make_clip_gradient(xp)
    per_example = portax.vmap(portax.grad(lambda x: xp.sum(5.0 * clip_gradient(-2.0, 2.0, x) * x)))
    x = np.array([[0.1, 1.0], [-0.3, 0.2]], np.float32)
    # d/dx [c(x) * x] with c's cotangent clipped: g_c = clip(5x, -2, 2), g_direct = 5 c(x) = 5x
    expected = np.clip(5 * x, -2, 2) + 5 * x
    assert_close(per_example(xp.asarray(x)), expected)


def test_custom_vjp_under_jit_of_grad(xp):
    clip_gradient = make_clip_gradient(xp)
    f = portax.jit(portax.grad(lambda x: xp.sum(3.0 * clip_gradient(-1.0, 1.0, x))))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # torch: the custom rule makes this jit entry run uncompiled (warned)
        g = f(xp.asarray([2.0, 0.5]))
        g2 = f(xp.asarray([2.0, 0.5]))
    fallbacks = [w for w in caught if issubclass(w.category, portax.errors.CompileFallbackWarning)]
    assert len(fallbacks) <= 1 and all("custom" in str(w.message) for w in fallbacks)
    # The rule survives (pytorch#193279: compiled torch.func transforms would silently drop it and give 3.0).
    assert_close((g, g2), (np.array([1.0, 1.0], np.float32),) * 2)


def test_custom_jvp_rule_used_by_jvp_and_grad(xp):
    log1pexp = make_log1pexp(xp)
    x = np.array([0.0, 2.0, 50.0], np.float32)
    expected = 1.0 - 1.0 / (1.0 + np.exp(x.astype(np.float64)))
    _, tangent = portax.jvp(log1pexp, (xp.asarray(x),), (xp.ones((3,)),))
    assert_close(tangent, expected.astype(np.float32))
    g = portax.grad(lambda v: xp.sum(log1pexp(v)))(xp.asarray(x))
    assert_close(g, expected.astype(np.float32))  # 1.0 at x=50, where the naive derivative gives nan


def test_custom_jvp_under_vmap_and_jit(xp):
    log1pexp = make_log1pexp(xp)
    x = np.array([[0.0, 1.0], [2.0, 50.0]], np.float32)
    expected = 1.0 - 1.0 / (1.0 + np.exp(x.astype(np.float64)))
    per_row = portax.vmap(portax.grad(lambda v: xp.sum(log1pexp(v))))
    assert_close(per_row(xp.asarray(x)), expected.astype(np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_close(portax.jit(per_row)(xp.asarray(x)), expected.astype(np.float32))


def test_custom_jvp_hessian(xp, jax_reference):
    jax, jnp = jax_reference

    def make(np_like, api):
        @api.custom_jvp
        def f(x):
            return np_like.sin(x)

        @f.defjvp
        def f_jvp(primals, tangents):
            (x,), (t,) = primals, tangents
            return f(x), 2.0 * np_like.cos(x) * t

        return lambda v: np_like.sum(f(v) * v)

    x = np.array([0.4, 1.3], np.float32)
    assert_close(portax.hessian(make(xp, portax))(xp.asarray(x)), jax.hessian(make(jnp, jax))(x), rtol=1e-4)


def test_custom_jvp_defjvps(xp):
    @portax.custom_jvp
    def f(x, y):
        return x * y

    f.defjvps(lambda t, ans, x, y: 7.0 * t, None)
    g = portax.grad(lambda x, y: xp.sum(f(x, y)), argnums=(0, 1))(xp.asarray([1.0]), xp.asarray([2.0]))
    assert_close(g, (np.array([7.0], np.float32), np.array([0.0], np.float32)))


def test_custom_vjp_without_rule_raises(xp):
    f = portax.custom_vjp(lambda x: x)
    with pytest.raises(AttributeError, match="defvjp"):
        f(xp.asarray([1.0]))


def test_checkpoint_under_grad(xp):
    def block(x):
        return xp.sin(xp.sin(x)) * x

    x = np.array([0.2, 1.1], np.float32)
    g = portax.grad(lambda v: xp.sum(portax.checkpoint(block)(v)))(xp.asarray(x))
    expected = np.cos(np.sin(x)) * np.cos(x) * x + np.sin(np.sin(x))
    assert_close(g, expected)
    assert portax.remat is portax.checkpoint


def test_checkpoint_under_vmap_of_grad(xp):
    block = portax.checkpoint(lambda w, x: xp.tanh(w * x))
    per_example = portax.vmap(portax.grad(lambda w, x: xp.sum(block(w, x))), in_axes=(None, 0))
    w = np.array([0.5, -0.5], np.float32)
    X = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 1.0]], np.float32)
    assert_close(per_example(xp.asarray(w), xp.asarray(X)), X * (1 - np.tanh(w * X) ** 2))


def test_checkpoint_second_order(xp, jax_reference):
    jax, jnp = jax_reference
    x = np.array([0.3, 0.9], np.float32)

    def f(np_like, api):
        return lambda v: np_like.sum(api.checkpoint(lambda u: np_like.sin(u) * u**2)(v))

    assert_close(portax.hessian(f(xp, portax))(xp.asarray(x)), jax.hessian(f(jnp, jax))(x), rtol=1e-4)


def test_checkpoint_policies(xp, backend):
    f = lambda x: xp.sum(xp.sin(x) ** 2)  # noqa: E731
    x = xp.asarray([0.5])
    expected = np.float32(2 * np.sin(0.5) * np.cos(0.5))
    for policy in (portax.checkpoint_policies.nothing_saveable, portax.checkpoint_policies.everything_saveable):
        assert_close(portax.grad(portax.checkpoint(f, policy=policy))(x), np.array([expected]))
    dots = portax.checkpoint(f, policy=portax.checkpoint_policies.dots_saveable)
    if "checkpoint_policy" in backend.capabilities:
        assert_close(portax.grad(dots)(x), np.array([expected]))
    else:
        with pytest.raises(UnsupportedError, match="policy"):
            dots(x)


def test_checkpoint_under_jit_of_grad_compiles(xp):
    block = portax.checkpoint(lambda x: xp.sin(xp.sin(x)))
    f = portax.jit(portax.grad(lambda x: xp.sum(block(x))))
    x = np.array([0.2, 1.1], np.float32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = f(xp.asarray(x))
    assert not [w for w in caught if issubclass(w.category, portax.errors.CompileFallbackWarning)]
    assert_close(g, np.cos(np.sin(x)) * np.cos(x))
