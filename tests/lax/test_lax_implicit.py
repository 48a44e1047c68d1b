"""``portax.lax.custom_root`` and ``custom_linear_solve`` against real ``jax.lax`` 0.10 and the implicit function
theorem, on every backend: values, gradients with respect to closed-over values (through solvers that use
``while_loop``, which is not reverse-differentiable itself), ``jvp``, ``vmap`` and ``jit``, and JAX's errors."""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import to_numpy

RNG = np.random.default_rng(16)


def _binary_search(lax, numpy):
    """JAX's own custom_root example (tests/custom_root_test.py): bisection with a while_loop."""

    def search(func, x0, low=0.0, high=100.0):
        del x0

        def cond(state):
            low, high = state
            midpoint = 0.5 * (low + high)
            return (low < midpoint) & (midpoint < high)

        def body(state):
            low, high = state
            midpoint = 0.5 * (low + high)
            update_upper = func(midpoint) > 0
            return numpy.where(update_upper, low, midpoint), numpy.where(update_upper, midpoint, high)

        solution, _ = lax.while_loop(cond, body, (numpy.asarray(low), numpy.asarray(high)))
        return solution

    return search


def _sqrt_cubed(lax, numpy):
    def f(x):
        return lax.custom_root(lambda y: y ** 2 - x ** 3, 1.0, _binary_search(lax, numpy), lambda g, y: y / g(1.0))

    return f


SLOW = pytest.mark.slow  # torch compiles of while_loop programs, seconds each (the suite's time budget)


@pytest.mark.parametrize("mode", ["eager", "grad", "jit", pytest.param("jit_grad", marks=SLOW), "jvp", "vmap",
                                  pytest.param("vmap_grad", marks=SLOW), "grad_grad"])
def test_custom_root_scalar_matches_jax_and_calculus(mode, xp, jax_reference):
    jax, jnp = jax_reference

    def run(t, lax, numpy, x):
        f = _sqrt_cubed(lax, numpy)
        return {
            "eager": f,
            "grad": t.grad(f),
            "jit": t.jit(f),
            "jit_grad": t.jit(t.grad(f)),
            "jvp": lambda v: t.jvp(f, (v,), (numpy.ones_like(v),))[1],
            "vmap": t.vmap(f),
            "vmap_grad": t.vmap(t.grad(f)),
            "grad_grad": t.grad(t.grad(f)),
        }[mode](x)

    x = np.asarray([2.0, 3.0], np.float32) if mode.startswith("vmap") else np.float32(2.0)
    got = to_numpy(run(portax, portax.lax, xp, xp.asarray(x)))
    want = np.asarray(run(jax, jax.lax, jnp, jnp.asarray(x)))
    analytic = {"eager": x ** 1.5, "jit": x ** 1.5, "vmap": x ** 1.5, "grad_grad": 0.75 * x ** -0.5}.get(
        mode, 1.5 * x ** 0.5)
    np.testing.assert_allclose(got, want, rtol=2e-4)
    np.testing.assert_allclose(got, analytic, rtol=2e-4)


def _newton(lax, numpy, t):
    def solve(f, x0):
        def body(_, x):
            jac = t.jacfwd(f)(x)
            return x - numpy.linalg.solve(jac, f(x))

        return lax.fori_loop(0, 12, body, x0)

    return solve


@pytest.mark.parametrize("mode", [pytest.param("eager", marks=SLOW), "grad", pytest.param("vmap", marks=SLOW)])
def test_custom_root_vector_with_aux_matches_jax(mode, xp, jax_reference):
    # Root of A x + x**3 / 3 - b (well conditioned), differentiated with respect to A and b closed over by f.
    jax, jnp = jax_reference
    a = (np.eye(3) * 3 + RNG.standard_normal((3, 3)) * 0.3).astype(np.float32)
    b = RNG.standard_normal(3).astype(np.float32)

    def program(t, lax, numpy):
        def solve(f, x0):
            x = _newton(lax, numpy, t)(f, x0)
            return x, numpy.abs(f(x)).max()

        def root(a, b):
            f = lambda x: a @ x + x ** 3 / 3 - b  # noqa: E731
            x, residual = lax.custom_root(f, numpy.zeros(3), solve,
                                          lambda g, y: numpy.linalg.solve(t.jacfwd(g)(y), y), has_aux=True)
            return (x ** 2).sum() + 0.0 * residual

        if mode == "grad":
            return t.grad(root, argnums=(0, 1))
        if mode == "vmap":
            return t.vmap(root, in_axes=(None, 0))
        return root

    bs = np.stack([b, -b]) if mode == "vmap" else b
    got = program(portax, portax.lax, xp)(xp.asarray(a), xp.asarray(bs))
    want = program(jax, jax.lax, jnp)(jnp.asarray(a), jnp.asarray(bs))
    for g, w in zip(portax.tree.leaves(got), jax.tree.leaves(want), strict=True):
        np.testing.assert_allclose(to_numpy(g), np.asarray(w), rtol=1e-3, atol=1e-4)


def test_custom_root_structure_errors_match_jax(xp, jax_reference):
    jax, jnp = jax_reference

    def call(lax, numpy):
        return lax.custom_root(lambda x: (x, x), numpy.ones(2), lambda f, x: x, lambda g, y: y)

    with pytest.raises(TypeError) as theirs:
        call(jax.lax, jnp)
    with pytest.raises(TypeError) as ours:
        call(portax.lax, xp)
    assert "f() output pytree structure must match initial_guess" in str(theirs.value)
    assert "f() output pytree structure must match initial_guess" in str(ours.value)


# -- custom_linear_solve ---------------------------------------------------------------------------------------------


def _jacobi(lax, numpy, diagonal_of):
    """A matrix-free Jacobi iteration with a while_loop (not reverse-differentiable itself, as in JAX)."""

    def solve(matvec, b):
        diagonal = diagonal_of()

        def cond(state):
            x, k = state
            return (k < 60) & (numpy.abs(matvec(x) - b).max() > 1e-6)

        def body(state):
            x, k = state
            return x + (b - matvec(x)) / diagonal, k + 1

        return lax.while_loop(cond, body, (numpy.zeros_like(b), 0))[0]

    return solve


@pytest.mark.parametrize(("symmetric", "mode"), [
    (True, "eager"), (True, "grad_b"), (True, "grad_matrix"), (True, "vmap"), (False, "grad_b"), (False, "grad_matrix"),
    pytest.param(True, "jit_grad", marks=SLOW), pytest.param(False, "jit_grad", marks=SLOW),
    pytest.param(False, "vmap", marks=SLOW), pytest.param(False, "eager", marks=SLOW),
])
def test_custom_linear_solve_matches_jax(symmetric, mode, xp, jax_reference):
    jax, jnp = jax_reference
    base = RNG.standard_normal((4, 4)).astype(np.float32) * 0.3
    a = (base @ base.T if symmetric else base) + 4 * np.eye(4, dtype=np.float32)
    b = RNG.standard_normal(4).astype(np.float32)

    def program(t, lax, numpy):
        def solution(a, b):
            # `* 1.0`: a copy, not a view of `a` (torch's compiled while_loop refuses closed-over tensors that
            # alias each other; a limitation of portax's torch while_loop under jit, not of custom_linear_solve)
            solve = _jacobi(lax, numpy, lambda: numpy.diagonal(a) * 1.0)
            transpose = None if symmetric else _jacobi(lax, numpy, lambda: numpy.diagonal(a) * 1.0)
            x = lax.custom_linear_solve(lambda v: a @ v, b, solve, transpose, symmetric=symmetric)
            return x

        def loss(a, b):
            return (solution(a, b) * numpy.arange(1.0, 5.0)).sum()

        return {
            "eager": solution,
            "grad_b": t.grad(loss, argnums=1),
            "grad_matrix": t.grad(loss, argnums=0),
            "jit_grad": t.jit(t.grad(loss, argnums=(0, 1))),
            "vmap": t.vmap(solution, in_axes=(None, 0)),
        }[mode]

    bs = np.stack([b, 2 * b]) if mode == "vmap" else b
    got = program(portax, portax.lax, xp)(xp.asarray(a), xp.asarray(bs))
    want = program(jax, jax.lax, jnp)(jnp.asarray(a), jnp.asarray(bs))
    for g, w in zip(portax.tree.leaves(got), jax.tree.leaves(want), strict=True):
        np.testing.assert_allclose(to_numpy(g), np.asarray(w), rtol=1e-4, atol=1e-5)
    if mode == "grad_b":  # the implicit derivative: A^{-T} c
        np.testing.assert_allclose(to_numpy(got), np.linalg.solve(a.T, np.arange(1.0, 5.0)), rtol=1e-4)


def test_custom_linear_solve_reverse_mode_needs_transpose_solve(xp, jax_reference):
    jax, jnp = jax_reference
    a = np.array([[3.0, 1.0], [0.5, 2.0]], np.float32)

    def loss(lax, numpy):
        def f(b):
            solve = lambda matvec, rhs: numpy.linalg.solve(numpy.asarray(a), rhs)  # noqa: E731
            return lax.custom_linear_solve(lambda v: numpy.asarray(a) @ v, b, solve).sum()
        return f

    np.testing.assert_allclose(to_numpy(loss(portax.lax, xp)(xp.ones(2))), np.asarray(loss(jax.lax, jnp)(jnp.ones(2))),
                               rtol=1e-5)
    with pytest.raises(TypeError) as theirs:
        jax.grad(loss(jax.lax, jnp))(jnp.ones(2))
    with pytest.raises(TypeError) as ours:
        portax.grad(loss(portax.lax, xp))(xp.ones(2))
    assert str(ours.value) == str(theirs.value)


def test_custom_linear_solve_pytree_and_aux(xp, jax_reference):
    jax, jnp = jax_reference
    scale = np.array([2.0, 4.0], np.float32)

    def run(t, lax, numpy):
        def f(b0, b1):
            def matvec(v):
                return {"u": v["u"] * numpy.asarray(scale), "w": v["w"] * 5.0}

            def solve(matvec, rhs):
                return {"u": rhs["u"] / numpy.asarray(scale), "w": rhs["w"] / 5.0}, numpy.asarray(1.0)

            x, aux = lax.custom_linear_solve(matvec, {"u": b0, "w": b1}, solve, symmetric=True, has_aux=True)
            return (x["u"] ** 2).sum() + x["w"] * aux
        return t.value_and_grad(f, argnums=(0, 1))

    got = run(portax, portax.lax, xp)(xp.asarray(np.array([1.0, 2.0], np.float32)), xp.asarray(np.float32(3.0)))
    want = run(jax, jax.lax, jnp)(jnp.asarray([1.0, 2.0]), jnp.asarray(3.0))
    for g, w in zip(portax.tree.leaves(got), jax.tree.leaves(want), strict=True):
        np.testing.assert_allclose(to_numpy(g), np.asarray(w), rtol=1e-5)
