"""Compositions of transformations on every backend: the rows of docs/composition-matrix.md.

Each case is marked ``composition(<outer>, ..., <inner>)`` (outermost first, as written: ``jit(grad(f))`` is
``composition("jit", "grad")``); ``tools/composition_matrix.py`` runs every test carrying that marker — here and in
the rest of the suite — and tabulates pass/fail per backend. References are analytic derivatives, never the backend
under test. Cases whose features are still landing (``portax.lax`` control flow, collectives, ``pmap``) skip with
the reason until they exist; a row of skips shows as "not available" in the matrix.
"""

from __future__ import annotations

import numpy as np
import portax
import portax.numpy as jnp
import pytest
from helpers import to_numpy

composition = pytest.mark.composition

X = np.array([0.5, 1.0, 1.5], np.float32)
V = np.array([1.0, -2.0, 0.5], np.float32)


def g(s):
    """A scalar function: g(s) = sin(s) * s."""
    return jnp.sin(s) * s


def dg(s):
    return np.cos(s) * s + np.sin(s)


def d2g(s):
    return -np.sin(s) * s + 2 * np.cos(s)


def f(x):
    """A vector-to-scalar function: f(x) = sum(g(x)); its gradient is dg(x), its Hessian diag(d2g(x))."""
    return jnp.sum(g(x))


def _lax(name: str):
    function = getattr(portax.lax, name, None)
    if function is None:
        pytest.skip(f"portax.lax.{name} is not available yet")
    return function


def _custom_vjp_sin():
    """sin with a custom reverse rule that returns 2*cos (so a test can tell the rule was used)."""

    @portax.custom_vjp
    def sin(x):
        return jnp.sin(x)

    sin.defvjp(lambda x: (jnp.sin(x), x), lambda x, ct: (2 * jnp.cos(x) * ct,))
    return sin


def _custom_jvp_sin():
    @portax.custom_jvp
    def sin(x):
        return jnp.sin(x)

    sin.defjvps(lambda t, ans, x: 2 * jnp.cos(x) * t)
    return sin


# -- each case: () -> (actual, expected) ---------------------------------------------------------------------------


def case_grad():
    return portax.grad(f)(jnp.asarray(X)), dg(X)


def case_jit_grad():
    return portax.jit(portax.grad(f))(jnp.asarray(X)), dg(X)


def case_grad_jit():
    return portax.grad(portax.jit(f))(jnp.asarray(X)), dg(X)


def case_vmap_grad():
    return portax.vmap(portax.grad(g))(jnp.asarray(X)), dg(X)


def case_grad_vmap():
    return portax.grad(lambda x: jnp.sum(portax.vmap(g)(x)))(jnp.asarray(X)), dg(X)


def case_jit_vmap():
    return portax.jit(portax.vmap(g))(jnp.asarray(X)), np.sin(X) * X


def case_vmap_jit():
    return portax.vmap(portax.jit(g))(jnp.asarray(X)), np.sin(X) * X


def case_jit_vmap_grad():
    return portax.jit(portax.vmap(portax.grad(g)))(jnp.asarray(X)), dg(X)


def case_vmap_vmap():
    xs = np.stack([X, 2 * X])
    return portax.vmap(portax.vmap(g))(jnp.asarray(xs)), np.sin(xs) * xs


def case_grad_grad():
    return portax.vmap(portax.grad(portax.grad(g)))(jnp.asarray(X)), d2g(X)


def case_jacfwd_jacrev():
    return portax.jacfwd(portax.jacrev(f))(jnp.asarray(X)), np.diag(d2g(X))


def case_jit_hessian():
    return portax.jit(portax.hessian(f))(jnp.asarray(X)), np.diag(d2g(X))


def case_jvp_grad():
    _, tangent = portax.jvp(portax.grad(f), (jnp.asarray(X),), (jnp.asarray(V),))
    return tangent, d2g(X) * V


def case_vmap_jacrev():
    xs = np.stack([X, 2 * X])
    jacobian = portax.vmap(portax.jacrev(lambda x: jnp.sin(x) * x))(jnp.asarray(xs))
    return jacobian, np.stack([np.diag(dg(row)) for row in xs])


def case_vjp_vmap():
    _, pullback = portax.vjp(portax.vmap(g), jnp.asarray(X))
    (cotangent,) = pullback(jnp.asarray(V))
    return cotangent, dg(X) * V


def case_grad_checkpoint():
    return portax.grad(portax.checkpoint(f))(jnp.asarray(X)), dg(X)


def case_jit_grad_checkpoint():
    return portax.jit(portax.grad(portax.checkpoint(f)))(jnp.asarray(X)), dg(X)


def case_grad_custom_vjp():
    sin = _custom_vjp_sin()
    return portax.grad(lambda x: jnp.sum(sin(x)))(jnp.asarray(X)), 2 * np.cos(X)


def case_jit_grad_custom_vjp():
    sin = _custom_vjp_sin()
    return portax.jit(portax.grad(lambda x: jnp.sum(sin(x))))(jnp.asarray(X)), 2 * np.cos(X)


def case_vmap_grad_custom_vjp():
    sin = _custom_vjp_sin()
    return portax.vmap(portax.grad(sin))(jnp.asarray(X)), 2 * np.cos(X)


def case_jvp_custom_jvp():
    sin = _custom_jvp_sin()
    _, tangent = portax.jvp(sin, (jnp.asarray(X),), (jnp.asarray(V),))
    return tangent, 2 * np.cos(X) * V


def case_vmap_grad_custom_jvp():
    sin = _custom_jvp_sin()
    return portax.vmap(portax.grad(sin))(jnp.asarray(X)), 2 * np.cos(X)


def case_vmap_random():
    import portax.random as random

    keys = random.split(random.key(0), 3)
    batched = portax.vmap(lambda key: random.normal(key, (2,)))(keys)
    one_by_one = np.stack([to_numpy(random.normal(keys[i], (2,))) for i in range(3)])
    return batched, one_by_one


def case_jit_random():
    import portax.random as random

    key = random.key(42)
    return portax.jit(lambda key: random.uniform(key, (4,)))(key), to_numpy(random.uniform(key, (4,)))


def case_vmap_cond():
    cond = _lax("cond")
    mapped = portax.vmap(lambda s: cond(s > 1.0, jnp.sin, jnp.cos, s))(jnp.asarray(X))
    return mapped, np.where(X > 1.0, np.sin(X), np.cos(X))


def case_grad_cond():
    cond = _lax("cond")
    gradient = portax.vmap(portax.grad(lambda s: cond(s > 1.0, g, jnp.cos, s)))(jnp.asarray(X))
    return gradient, np.where(X > 1.0, dg(X), -np.sin(X))


def case_jit_cond():
    cond = _lax("cond")
    return portax.jit(lambda s: cond(s > 1.0, jnp.sin, jnp.cos, s))(jnp.asarray(1.5)), np.sin(np.float32(1.5))


def _cumulative(x):
    scan = _lax("scan")
    _, ys = scan(lambda carry, xi: (carry + g(xi), carry + g(xi)), jnp.asarray(0.0), x)
    return ys


def case_grad_scan():
    return portax.grad(lambda x: jnp.sum(_cumulative(x)))(jnp.asarray(X)), dg(X) * np.array([3.0, 2.0, 1.0])


def case_jit_scan():
    return portax.jit(_cumulative)(jnp.asarray(X)), np.cumsum(np.sin(X) * X)


def case_vmap_scan():
    xs = np.stack([X, 2 * X])
    return portax.vmap(_cumulative)(jnp.asarray(xs)), np.cumsum(np.sin(xs) * xs, axis=1)


def _power_by_loop(s):
    fori_loop = _lax("fori_loop")
    return fori_loop(0, 3, lambda i, value: value * s, jnp.ones_like(s))


def case_grad_fori_loop():
    return portax.vmap(portax.grad(_power_by_loop))(jnp.asarray(X)), 3 * X**2


def case_jit_grad_fori_loop():
    return portax.jit(portax.vmap(portax.grad(_power_by_loop)))(jnp.asarray(X)), 3 * X**2


def case_vmap_while_loop():
    while_loop = _lax("while_loop")
    doubled = portax.vmap(lambda s: while_loop(lambda v: v < 10.0, lambda v: 2 * v, s))(jnp.asarray(X))
    expected = X.copy()
    for i in range(len(expected)):
        while expected[i] < 10.0:
            expected[i] *= 2
    return doubled, expected


def case_vmap_psum():
    psum = _lax("psum")
    return portax.vmap(lambda s: s / psum(s, "i"), axis_name="i")(jnp.asarray(X)), X / X.sum()


def case_grad_vmap_psum():
    psum = _lax("psum")

    def loss(x):
        return jnp.sum(portax.vmap(lambda s: g(s) * psum(s, "i"), axis_name="i")(x))

    # d/dx_j sum_i g(x_i) * S with S = sum(x): dg(x_j) * S + sum(g(x))
    return portax.grad(loss)(jnp.asarray(X)), dg(X) * X.sum() + (np.sin(X) * X).sum()


def case_pmap_grad():
    pmap = getattr(portax, "pmap", None)
    if pmap is None:
        pytest.skip("portax.pmap is not available yet")
    n = portax.local_device_count()
    xs = np.linspace(0.5, 1.5, n).astype(np.float32)
    return pmap(portax.grad(g))(jnp.asarray(xs)), dg(xs)


CASES = [
    pytest.param(case_grad, marks=composition("grad"), id="grad"),
    pytest.param(case_jit_grad, marks=composition("jit", "grad"), id="jit-grad"),
    pytest.param(case_grad_jit, marks=composition("grad", "jit"), id="grad-jit"),
    pytest.param(case_vmap_grad, marks=composition("vmap", "grad"), id="vmap-grad"),
    pytest.param(case_grad_vmap, marks=composition("grad", "vmap"), id="grad-vmap"),
    pytest.param(case_jit_vmap, marks=composition("jit", "vmap"), id="jit-vmap"),
    pytest.param(case_vmap_jit, marks=composition("vmap", "jit"), id="vmap-jit"),
    pytest.param(case_jit_vmap_grad, marks=composition("jit", "vmap", "grad"), id="jit-vmap-grad"),
    pytest.param(case_vmap_vmap, marks=composition("vmap", "vmap"), id="vmap-vmap"),
    pytest.param(case_grad_grad, marks=composition("vmap", "grad", "grad"), id="vmap-grad-grad"),
    pytest.param(case_jacfwd_jacrev, marks=composition("jacfwd", "jacrev"), id="jacfwd-jacrev"),
    pytest.param(case_jit_hessian, marks=composition("jit", "hessian"), id="jit-hessian"),
    pytest.param(case_jvp_grad, marks=composition("jvp", "grad"), id="jvp-grad"),
    pytest.param(case_vmap_jacrev, marks=composition("vmap", "jacrev"), id="vmap-jacrev"),
    pytest.param(case_vjp_vmap, marks=composition("vjp", "vmap"), id="vjp-vmap"),
    pytest.param(case_grad_checkpoint, marks=composition("grad", "checkpoint"), id="grad-checkpoint"),
    pytest.param(case_jit_grad_checkpoint, marks=composition("jit", "grad", "checkpoint"), id="jit-grad-checkpoint"),
    pytest.param(case_grad_custom_vjp, marks=composition("grad", "custom_vjp"), id="grad-custom_vjp"),
    pytest.param(case_jit_grad_custom_vjp, marks=composition("jit", "grad", "custom_vjp"), id="jit-grad-custom_vjp"),
    pytest.param(case_vmap_grad_custom_vjp, marks=composition("vmap", "grad", "custom_vjp"), id="vmap-grad-custom_vjp"),
    pytest.param(case_jvp_custom_jvp, marks=composition("jvp", "custom_jvp"), id="jvp-custom_jvp"),
    pytest.param(case_vmap_grad_custom_jvp, marks=composition("vmap", "grad", "custom_jvp"), id="vmap-grad-custom_jvp"),
    pytest.param(case_vmap_random, marks=composition("vmap", "random.normal"), id="vmap-random"),
    pytest.param(case_jit_random, marks=composition("jit", "random.uniform"), id="jit-random"),
    pytest.param(case_vmap_cond, marks=composition("vmap", "cond"), id="vmap-cond"),
    pytest.param(case_grad_cond, marks=composition("vmap", "grad", "cond"), id="vmap-grad-cond"),
    pytest.param(case_jit_cond, marks=composition("jit", "cond"), id="jit-cond"),
    pytest.param(case_grad_scan, marks=composition("grad", "scan"), id="grad-scan"),
    pytest.param(case_jit_scan, marks=composition("jit", "scan"), id="jit-scan"),
    pytest.param(case_vmap_scan, marks=composition("vmap", "scan"), id="vmap-scan"),
    pytest.param(case_grad_fori_loop, marks=composition("vmap", "grad", "fori_loop"), id="vmap-grad-fori_loop"),
    pytest.param(
        case_jit_grad_fori_loop, marks=composition("jit", "vmap", "grad", "fori_loop"), id="jit-vmap-grad-fori_loop"
    ),
    pytest.param(case_vmap_while_loop, marks=composition("vmap", "while_loop"), id="vmap-while_loop"),
    pytest.param(case_vmap_psum, marks=composition("vmap", "psum"), id="vmap-psum"),
    pytest.param(case_grad_vmap_psum, marks=composition("grad", "vmap", "psum"), id="grad-vmap-psum"),
    pytest.param(case_pmap_grad, marks=composition("pmap", "grad"), id="pmap-grad"),
]


@pytest.mark.parametrize("case", CASES)
def test_composition(case, backend):
    actual, expected = case()
    assert type(actual).__module__.partition(".")[0] in backend.array_modules, f"not a native array: {type(actual)}"
    np.testing.assert_allclose(to_numpy(actual), np.asarray(expected, np.float32), rtol=2e-5, atol=2e-6)
