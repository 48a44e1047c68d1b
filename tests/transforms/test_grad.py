"""grad, value_and_grad, jacfwd/jacrev/hessian, jvp/vjp/linearize, stop_gradient: every backend, one test each."""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import assert_native
from portax.errors import TransformTypeError
from transform_util import assert_close, finite_difference_grad, npy


def test_grad_of_python_float_matches_analytic(xp):
    # The seed's first example: grad(f)(2.0) with f = sin(x) + x**2.
    slope = portax.grad(lambda x: xp.sin(x) + x**2)(2.0)
    assert_native(slope)
    assert_close(slope, np.float32(np.cos(2.0) + 4.0))
    assert npy(slope).dtype == np.float32


def test_grad_of_numpy_array_matches_finite_differences(xp):
    x = np.array([0.3, -1.2, 2.0], dtype=np.float32)
    g = portax.grad(lambda v: xp.sum(xp.tanh(v) * v**2))(x)
    expected = finite_difference_grad(lambda v: np.sum(np.tanh(v) * v**2), x)
    assert_close(g, expected.astype(np.float32), rtol=1e-4, atol=1e-5)


def test_grad_matches_real_jax(xp, jax_reference):
    jax, jnp = jax_reference
    x = np.linspace(-1, 1, 5, dtype=np.float32)

    def f(np_like):
        return lambda v: np_like.sum(np_like.exp(np_like.sin(v)) / (1.0 + v**2))

    assert_close(portax.grad(f(xp))(xp.asarray(x)), jax.grad(f(jnp))(x))


def test_grad_argnums_tuple_gives_tuple(xp):
    f = lambda a, b, c: xp.sum(a * b) + c  # noqa: E731
    a, b = xp.asarray([1.0, 2.0]), xp.asarray([3.0, 4.0])
    ga, gc = portax.grad(f, argnums=(0, 2))(a, b, 5.0)
    assert_close((ga, gc), (np.array([3.0, 4.0], np.float32), np.float32(1.0)))


def test_grad_negative_argnums(xp):
    g = portax.grad(lambda a, b: xp.sum(a * b**2), argnums=-1)(xp.asarray([1.0, 2.0]), xp.asarray([3.0, 4.0]))
    assert_close(g, np.array([6.0, 16.0], np.float32))


def test_grad_has_aux(xp):
    g, aux = portax.grad(lambda x: (xp.sum(x**2), {"half": x / 2}), has_aux=True)(xp.asarray([1.0, 3.0]))
    assert_close(g, np.array([2.0, 6.0], np.float32))
    assert_close(aux, {"half": np.array([0.5, 1.5], np.float32)})


def test_value_and_grad(xp):
    value, g = portax.value_and_grad(lambda x: xp.sum(x**3))(xp.asarray([1.0, 2.0]))
    assert_close((value, g), (np.float32(9.0), np.array([3.0, 12.0], np.float32)))


def test_value_and_grad_has_aux_layout(xp):
    (value, aux), g = portax.value_and_grad(lambda x: (xp.sum(x), x * 2), has_aux=True)(xp.asarray([1.0, 2.0]))
    assert_close((value, aux, g), (np.float32(3.0), np.array([2.0, 4.0], np.float32), np.ones(2, np.float32)))


def test_grad_of_pytree_arguments(xp):
    # The seed's pytree example: params = {'weights': ones(5), 'bias': 0.0}.
    params = {"weights": xp.ones((5,)), "bias": 0.0}
    x = xp.asarray([1.0, 2.0, 3.0, 4.0, 5.0])
    grads = portax.grad(lambda p, x: xp.dot(x, p["weights"]) + p["bias"])(params, x)
    assert_close(grads, {"bias": np.float32(1.0), "weights": np.arange(1, 6, dtype=np.float32)})
    assert_native(grads["weights"])


def test_grad_of_tuple_and_list_pytrees(xp):
    g = portax.grad(lambda t: xp.sum(t[0] * t[1][0]) + t[1][1])((xp.asarray([2.0]), [xp.asarray([5.0]), 1.0]))
    assert_close(g, (np.array([5.0], np.float32), [np.array([2.0], np.float32), np.float32(1.0)]))


def test_grad_non_scalar_output_raises(xp):
    with pytest.raises(TransformTypeError, match="scalar-output"):
        portax.grad(lambda x: x * 2)(xp.asarray([1.0, 2.0]))


def test_grad_integer_input_raises(xp):
    with pytest.raises(TransformTypeError, match="int"):
        portax.grad(lambda x: x * 2.0)(3)
    with pytest.raises(TransformTypeError, match="int32"):
        portax.grad(lambda x: xp.sum(x * 2.0))(np.array([1, 2], dtype=np.int32))


def test_grad_argnums_out_of_range_raises(xp):
    with pytest.raises(TransformTypeError, match="argnums"):
        portax.grad(lambda x: x, argnums=1)(1.0)
    with pytest.raises(TransformTypeError, match="argnums"):
        portax.grad(lambda x: x, argnums=())(1.0)


def test_grad_errors_are_also_typeerror(xp):
    # Ported code catching JAX's TypeError keeps working.
    with pytest.raises(TypeError):
        portax.grad(lambda x: x * 2)(xp.asarray([1.0, 2.0]))


def test_jacfwd_and_jacrev_agree_with_analytic(xp):
    x = xp.asarray([1.0, 2.0, 3.0])
    f = lambda v: xp.sin(v) * v[0]  # noqa: E731
    xn = npy(x)
    expected = np.diag(np.cos(xn) * xn[0])
    expected[:, 0] += np.sin(xn)
    assert_close(portax.jacfwd(f)(x), expected.astype(np.float32))
    assert_close(portax.jacrev(f)(x), expected.astype(np.float32))
    assert_close(portax.jacobian(f)(x), expected.astype(np.float32))


def test_jacrev_pytree_nesting_matches_jax(xp, jax_reference):
    jax, jnp = jax_reference
    params = {"a": np.array([1.0, 2.0], np.float32), "b": np.float32(3.0)}

    def f(np_like):
        return lambda p: {"y": p["a"] * p["b"], "z": np_like.sum(p["a"]) ** 2}

    expected = jax.jacrev(f(jnp))(params)
    assert_close(portax.jacrev(f(xp))({k: xp.asarray(v) for k, v in params.items()}), expected)
    assert_close(portax.jacfwd(f(xp))({k: xp.asarray(v) for k, v in params.items()}), expected)


def test_hessian_of_mse_loss_matches_analytic(xp):
    # The seed's loss(params, x, y) = mean((x @ params - y)**2): Hessian 2/n X^T X.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 3)).astype(np.float32)
    y = rng.normal(size=8).astype(np.float32)
    loss = lambda p, x, y: xp.mean((xp.dot(x, p) - y) ** 2)  # noqa: E731
    H = portax.hessian(loss)(xp.asarray(np.ones(3, np.float32)), xp.asarray(X), xp.asarray(y))
    assert_close(H, (2 / 8 * X.T @ X).astype(np.float32), rtol=1e-4)


def test_hessian_on_pytrees_matches_jax(xp, jax_reference):
    jax, jnp = jax_reference
    p = {"w": np.array([0.5, -1.0], np.float32), "b": np.float32(0.2)}

    def f(np_like):
        return lambda p: np_like.sum(np_like.tanh(p["w"] * p["b"])) + p["b"] ** 3

    expected = jax.hessian(f(jnp))(p)
    assert_close(portax.hessian(f(xp))({k: xp.asarray(v) for k, v in p.items()}), expected, rtol=1e-4)


def test_jvp_matches_analytic(xp):
    out, tangent = portax.jvp(lambda x: xp.sin(x), (xp.asarray([0.0, 1.0]),), (xp.asarray([1.0, 2.0]),))
    assert_close(
        (out, tangent), (np.sin([0.0, 1.0]).astype(np.float32), (np.cos([0.0, 1.0]) * [1, 2]).astype(np.float32))
    )


def test_jvp_requires_matching_tuples(xp):
    with pytest.raises(TransformTypeError):
        portax.jvp(lambda x: x, xp.asarray([1.0]), xp.asarray([1.0]))


def test_vjp_pullback_returns_tuple(xp):
    out, pullback = portax.vjp(lambda a, b: a * b, xp.asarray([1.0, 2.0]), xp.asarray([3.0, 4.0]))
    ga, gb = pullback(xp.asarray([1.0, 10.0]))
    assert_close((out, ga, gb), (np.array([3.0, 8.0]), np.array([3.0, 40.0]), np.array([1.0, 20.0])))


def test_vjp_pullback_is_a_pytree_jit_takes_and_returns(xp, backend_name):
    """As in JAX (the vjp-objects tutorial's ``jit(fwd)``/``jit(bwd)``), a jitted function takes a pullback; on JAX
    it also returns one (torch's compiler cannot return functorch's pullback: docs/porting-jax.md, corpus table)."""
    def layer(w, x):
        return xp.tanh(x @ w)

    w, x = xp.ones((3, 3)), xp.ones((2, 3))
    expected = (1 - np.tanh(3.0) ** 2) * 2.0  # d sum(tanh(x @ w)) / dw, each entry: two rows of ones
    y, pullback = portax.vjp(layer, w, x)
    dw, _ = portax.jit(lambda f, c: f(c))(pullback, xp.ones_like(y))
    assert_close(dw, np.full((3, 3), expected, np.float32), rtol=1e-5)
    if backend_name == "torch":
        return
    y, pullback = portax.jit(lambda w, x: portax.vjp(layer, w, x))(w, x)
    assert_close(pullback(xp.ones_like(y))[0], np.full((3, 3), expected, np.float32), rtol=1e-5)


def test_vjp_has_aux(xp):
    out, pullback, aux = portax.vjp(lambda x: (x * 2, x + 1), xp.asarray([1.0]), has_aux=True)
    assert_close((out, pullback(xp.asarray([1.0]))[0], aux), (np.array([2.0]), np.array([2.0]), np.array([2.0])))


def test_linearize(xp):
    out, f_jvp = portax.linearize(lambda x: x**3, xp.asarray([2.0]))
    assert_close((out, f_jvp(xp.asarray([1.0]))), (np.array([8.0]), np.array([12.0])))


def test_complex_gradient_follows_jax_convention(xp, jax_reference):
    # torch returns the conjugate of JAX's convention (abs(z)**2 at 1+2j: torch 2+4j, JAX 2-4j).
    jax, jnp = jax_reference
    z = np.array([1 + 2j], dtype=np.complex64)
    expected = jax.grad(lambda z: jnp.sum(jnp.abs(z) ** 2))(z)
    actual = portax.grad(lambda z: xp.sum(xp.abs(z) ** 2))(xp.asarray(z))
    assert_close(actual, expected)
    np.testing.assert_allclose(npy(actual), [2 - 4j], rtol=1e-6)


def test_complex_vjp_follows_jax_convention(xp, jax_reference):
    jax, jnp = jax_reference
    z, c = np.array([1 + 2j], np.complex64), np.array([0.5 - 3j], np.complex64)
    _, expected_pullback = jax.vjp(lambda z: z * c, z)
    _, pullback = portax.vjp(lambda z: z * xp.asarray(c), xp.asarray(z))
    ct = np.array([2 + 1j], np.complex64)
    assert_close(pullback(xp.asarray(ct)), expected_pullback(ct))


def test_stop_gradient(xp):
    g = portax.grad(lambda x: xp.sum(x * portax.lax.stop_gradient(x)))(xp.asarray([3.0]))
    assert_close(g, np.array([3.0], np.float32))
    assert portax.stop_gradient is portax.lax.stop_gradient


def test_inplace_update_does_not_change_caller_tensor(xp):
    # The seed's ODE loss does `state += ...`; on torch that would write into the caller's tensor.
    x = xp.asarray([1.0, 2.0])

    def f(state):
        state += 1.0
        return xp.sum(state**2)

    g = portax.grad(f)(x)
    assert_close(g, np.array([4.0, 6.0], np.float32))
    assert_close(x, np.array([1.0, 2.0], np.float32))
    portax.value_and_grad(f)(x)
    portax.jacrev(f)(x)
    portax.jvp(f, (x,), (xp.ones_like(x),))
    assert_close(x, np.array([1.0, 2.0], np.float32))


def test_grad_built_once_per_function_and_arguments(xp):
    # grad(loss) written inside a step is built once per (function, argnums, ...); a wrapper made with
    # functools.wraps (which copies the function's __dict__) and other argnums get their own.
    import functools

    def f(a, b):
        return xp.sum(a**2 * b)

    a, b = xp.asarray([1.0, 2.0]), xp.asarray([3.0, 4.0])
    assert portax.grad(f) is portax.grad(f)
    assert portax.grad(f, argnums=1) is not portax.grad(f)
    assert_close(portax.grad(f)(a, b), np.array([6.0, 16.0], np.float32))
    assert_close(portax.grad(f, argnums=1)(a, b), np.array([1.0, 4.0], np.float32))
    assert_close(portax.value_and_grad(f)(a, b)[1], np.array([6.0, 16.0], np.float32))

    @functools.wraps(f)
    def tripled(a, b):
        return 3.0 * f(a, b)

    assert_close(portax.grad(tripled)(a, b), np.array([18.0, 48.0], np.float32))
    assert_close(portax.grad(f)(a, b), np.array([6.0, 16.0], np.float32))


def test_creation_inside_grad_uses_executing_backend(backend, xp):
    seen = []

    def f(x):
        z = xp.zeros(2)
        seen.append(portax.backend_of(z))
        return xp.sum(x + z)

    other = [name for name in portax.backends() if name != backend.name]
    with portax.use_backend(other[0] if other else backend.name):
        portax.grad(f)(as_native(backend, [1.0, 2.0]))
    assert seen[0] is backend


def as_native(backend, values):
    with portax.use_backend(backend):
        import portax.numpy as pnp

        return pnp.asarray(np.asarray(values, dtype=np.float32))
