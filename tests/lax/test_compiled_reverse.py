"""Reverse mode through loops and custom rules under ``jit``, compiled on every backend: no
``CompileFallbackWarning``, the numbers of real JAX, and a custom rule's deliberately different gradient is what comes
out (torch: reverse mode built by autograd in the compiled graph, ``portax_torch/_reverse_in_graph.py``)."""

from __future__ import annotations

import warnings

import numpy as np
import portax
import pytest
from lax_util import assert_same

STEPS = 20  # above every unrolling limit: a real loop in the compiled program
S0 = np.array([1.0, 0.5], np.float32)
XS = np.linspace(-1.0, 1.0, STEPS * 2, dtype=np.float32).reshape(STEPS, 2)


def build_loop(construct: str, steps: int = STEPS):
    """``(t, lax, np_like) -> loss(s, xs)``: an Euler-like recurrence over ``steps`` as ``construct``."""

    def build(t, lax, np_like):
        def step(s, x):
            return s + 0.1 * np_like.stack([s[1], -0.5 * np_like.sin(s[0])]) + 0.01 * x

        def loss(s, xs):
            if construct == "fori_loop":
                final = lax.fori_loop(0, steps, lambda i, c: step(c, xs[i]), s)
                return (final**2).sum()
            if construct == "scan":
                final, ys = lax.scan(lambda c, x: (step(c, x), c[0] * x[1]), s, xs)
                return (final**2).sum() + 0.5 * ys.sum()
            ys = lax.map(lambda x: step(s, x), xs)  # lax.map
            return (ys**2).sum()

        return loss

    return build


COMPOSITIONS = {
    "jit_grad": lambda t, f: t.jit(t.grad(f, argnums=(0, 1))),
    "jit_value_and_grad": lambda t, f: t.jit(t.value_and_grad(f)),
    "jit_vjp": lambda t, f: t.jit(lambda s, xs: t.vjp(lambda a: f(a, xs), s)[1](t.numpy.asarray(2.0))),
    "jit_jacrev": lambda t, f: t.jit(t.jacrev(lambda s, xs: t.numpy.stack([f(s, xs), f(2.0 * s, xs)]))),
}


def _compiled(fn, *args):
    """``fn(*args)``, failing on a CompileFallbackWarning (the jit entry would have run uncompiled)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", portax.errors.CompileFallbackWarning)
        return fn(*args)


#: One construct per composition in the default run (each torch case compiles twice: the torch.func trace that
#: stops at the loop, then the autograd one, seconds on a loaded machine); the rest of the product is marked slow.
FAST = {("jit_grad", "fori_loop"), ("jit_value_and_grad", "scan"), ("jit_vjp", "map"), ("jit_jacrev", "scan")}


@pytest.mark.parametrize(
    ("composition", "construct"),
    [
        pytest.param(
            c,
            k,
            marks=[pytest.mark.composition("jit", c.removeprefix("jit_"), k)]
            + ([] if (c, k) in FAST else [pytest.mark.slow]),
            id=f"{c}-{k}",
        )
        for c in sorted(COMPOSITIONS)
        for k in ("fori_loop", "scan", "map")
    ],
)
def test_reverse_mode_through_a_loop_compiles(composition, construct, xp, jax_reference):
    jax, jnp = jax_reference
    build = build_loop(construct)
    compose = COMPOSITIONS[composition]
    ours = _compiled(compose(portax, build(portax, portax.lax, xp)), xp.asarray(S0), xp.asarray(XS))
    theirs = compose(jax, build(jax, jax.lax, jnp))(jnp.asarray(S0), jnp.asarray(XS))
    assert_same(portax.tree.map(np.asarray, ours), jax.tree.map(np.asarray, theirs), rtol=1e-4)


@pytest.mark.composition("jit", "vmap", "grad", "fori_loop")
def test_vmap_of_grad_through_a_short_loop_compiles(xp, jax_reference):
    """jit(vmap(grad)) of a loop within the unrolling limit (16 steps under a transform) compiles on torch."""
    jax, jnp = jax_reference
    build = build_loop("fori_loop", steps=8)
    batch = np.stack([S0, 2.0 * S0, -S0])
    ours = _compiled(
        portax.jit(portax.vmap(portax.grad(build(portax, portax.lax, xp)), in_axes=(0, None))),
        xp.asarray(batch),
        xp.asarray(XS),
    )
    theirs = jax.jit(jax.vmap(jax.grad(build(jax, jax.lax, jnp)), in_axes=(0, None)))(jnp.asarray(batch), XS)
    assert_same(np.asarray(ours), np.asarray(theirs), rtol=1e-4)


@pytest.mark.composition("jit", "vmap", "grad", "scan")
def test_vmap_of_grad_through_a_long_loop_names_the_construct_when_uncompiled(backend_name, xp, jax_reference):
    """torch's loop operators have no torch.func vmap rule inside a compiled graph: jit(vmap(grad)) of a long loop
    runs uncompiled on torch with a warning naming the construct, and still gives JAX's numbers."""
    jax, jnp = jax_reference
    build = build_loop("scan")
    batch = np.stack([S0, -S0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", portax.errors.CompileFallbackWarning)
        ours = portax.jit(portax.vmap(portax.grad(build(portax, portax.lax, xp)), in_axes=(0, None)))(
            xp.asarray(batch), xp.asarray(XS)
        )
    fallbacks = [str(w.message) for w in caught if issubclass(w.category, portax.errors.CompileFallbackWarning)]
    assert len(fallbacks) == (1 if backend_name == "torch" else 0)
    assert all("lax.scan" in message for message in fallbacks)
    theirs = jax.vmap(jax.grad(build(jax, jax.lax, jnp)), in_axes=(0, None))(jnp.asarray(batch), XS)
    assert_same(np.asarray(ours), np.asarray(theirs), rtol=1e-4)


def build_loop_then_cond(t, lax, np_like):
    """The demo's ``_loop_loss`` (examples/workflows.py): a loop, then ``lax.cond`` on the loop's result."""

    def loss(s):
        s = lax.fori_loop(0, STEPS, lambda i, c: c + np_like.stack([c[1], -0.5 * c[0]]) * 0.01, s)
        return lax.cond(s[0] > 0, lambda c: c[0] ** 2, lambda c: -c[0], s)

    return loss


@pytest.mark.composition("jit", "fori_loop", "cond")
def test_cond_after_a_loop_compiles_with_and_without_grad(xp, jax_reference):
    """jit and jit(grad) of a loop followed by lax.cond (the demo's workflow) compile on torch: they ran uncompiled
    ("Failed to trace builtin operator": the cond's output structure came from optree, whose unflatten reads
    str(spec)). Both branches: the second call reuses the compiled graph."""
    jax, jnp = jax_reference
    ours_f = build_loop_then_cond(portax, portax.lax, xp)
    theirs_f = build_loop_then_cond(jax, jax.lax, jnp)
    for compose in (lambda t, f: t.jit(f), lambda t, f: t.jit(t.grad(f))):
        ours, theirs = compose(portax, ours_f), compose(jax, theirs_f)
        for s0 in (S0, -S0):
            assert_same(np.asarray(_compiled(ours, xp.asarray(s0))), np.asarray(theirs(jnp.asarray(s0))), rtol=1e-5)


def _fallbacks(fn, *args):
    """``(fn(*args), [CompileFallbackWarning messages])``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", portax.errors.CompileFallbackWarning)
        out = fn(*args)
    return out, [str(w.message) for w in caught if issubclass(w.category, portax.errors.CompileFallbackWarning)]


TANGENT = np.array([0.3, -2.0], np.float32)
FORWARD = {
    "jit_jvp": lambda t, f, tangent: t.jit(lambda s, xs: t.jvp(lambda a: f(a, xs), (s,), (tangent,))),
    "jit_jacfwd": lambda t, f, tangent: t.jit(t.jacfwd(f)),
}


@pytest.mark.parametrize(
    "composition",
    [
        pytest.param(
            c,
            # jacfwd here is jacrev's path (the same Jacobian), tested above: slow, to keep the default run short
            marks=[pytest.mark.composition("jit", c.removeprefix("jit_"), "scan")]
            + ([pytest.mark.slow] if c == "jit_jacfwd" else []),
            id=c,
        )
        for c in FORWARD
    ],
)
def test_forward_mode_through_a_loop_compiles(composition, xp, jax_reference):
    """jvp (reverse mode twice: u -> J^T u is linear, its pullback of t is J t) and jacfwd (the same Jacobian by
    reverse mode) through a long loop compile on torch, with JAX's numbers."""
    jax, jnp = jax_reference
    compose = FORWARD[composition]
    build = build_loop("scan")
    ours = _compiled(compose(portax, build(portax, portax.lax, xp), xp.asarray(TANGENT)), xp.asarray(S0), xp.asarray(XS))
    theirs = compose(jax, build(jax, jax.lax, jnp), jnp.asarray(TANGENT))(jnp.asarray(S0), jnp.asarray(XS))
    assert_same(portax.tree.map(np.asarray, ours), jax.tree.map(np.asarray, theirs), rtol=1e-4)


SECOND_ORDER = {
    "jit_jacrev_grad": lambda t, f: t.jit(t.jacrev(t.grad(f))),
    "jit_hessian": lambda t, f: t.jit(t.hessian(f)),
}


@pytest.mark.parametrize(
    "composition",
    [
        pytest.param(
            c,
            marks=[pytest.mark.composition("jit", *c.split("_")[1:], "scan")]
            + ([pytest.mark.slow] if c == "jit_hessian" else []),
            id=c,
        )
        for c in SECOND_ORDER
    ],
)
def test_second_order_through_a_loop_runs_uncompiled_with_jax_numbers(composition, backend_name, xp, jax_reference):
    """Second-order reverse mode through torch's compiled scan is first-order only in torch 2.13: compiled,
    jit(jacrev(grad)) of this scan gave [[1.03, 1.76], [1.76, 7.25]] without an error (JAX [[3.37, 2.86], ...]). On
    torch the jit entry runs uncompiled, with a warning saying why, and gives JAX's numbers."""
    jax, jnp = jax_reference
    compose = SECOND_ORDER[composition]
    build = build_loop("scan")
    ours, fallbacks = _fallbacks(compose(portax, build(portax, portax.lax, xp)), xp.asarray(S0), xp.asarray(XS))
    assert len(fallbacks) == (1 if backend_name == "torch" else 0), fallbacks
    assert all("second-order" in message or "lax.scan" in message for message in fallbacks), fallbacks
    theirs = compose(jax, build(jax, jax.lax, jnp))(jnp.asarray(S0), jnp.asarray(XS))
    assert_same(np.asarray(ours[0] if isinstance(ours, tuple) else ours), np.asarray(theirs[0] if isinstance(theirs, tuple) else theirs), rtol=1e-4)


def test_reverse_mode_through_while_loop_under_jit_is_jax_value_error(xp):
    f = portax.jit(portax.grad(lambda v: portax.lax.while_loop(lambda a: a < 10.0, lambda a: a * v, 1.0)))
    with pytest.raises(ValueError, match="Reverse-mode differentiation does not work for lax.while_loop"):
        f(xp.asarray(2.0))


# -- custom rules: the rule, not the primal's derivative, is what comes out under jit -------------------------------


@pytest.mark.composition("jit", "grad", "custom_vjp")
def test_custom_vjp_rule_is_honoured_compiled(xp):
    @portax.custom_vjp
    def f(x):
        return xp.sin(x)

    f.defvjp(lambda x: (xp.sin(x), x), lambda x, g: (100.0 * g,))  # deliberately not cos(x)
    x = np.array([0.3, 1.2], np.float32)
    grads = _compiled(portax.jit(portax.grad(lambda v: f(v).sum())), xp.asarray(x))
    values = _compiled(portax.jit(lambda v: 2.0 * f(v)), xp.asarray(x))
    assert_same(np.asarray(grads), np.full(2, 100.0, np.float32))
    assert_same(np.asarray(values), 2.0 * np.sin(x))


@pytest.mark.composition("jit", "grad", "fori_loop", "custom_jvp")
def test_custom_jvp_rule_is_honoured_compiled_through_a_loop(xp):
    @portax.custom_jvp
    def f(x):
        return xp.sin(x)

    # Deliberately not cos(x). (A rule that calls f itself, inside a long loop, still runs uncompiled on torch: the
    # scan operator's backward traces the rule under torch.func, docs/control-flow.md.)
    f.defjvp(lambda primals, tangents: (xp.sin(primals[0]), 7.0 * tangents[0]))

    def loss(x):
        return portax.lax.fori_loop(0, STEPS, lambda i, c: c + f(x), xp.zeros_like(x)).sum()

    grads = _compiled(portax.jit(portax.grad(loss)), xp.asarray(np.array([0.3, 1.2], np.float32)))
    assert_same(np.asarray(grads), np.full(2, 7.0 * STEPS, np.float32))


@pytest.mark.composition("jit", "jacfwd", "custom_jvp")
def test_custom_jvp_rule_under_forward_mode_inside_jit(xp):
    """jacfwd and jvp of a custom_jvp function compile with the rule honoured (torch: jvp runs the rule's tangent
    map in plain ops, linear in a zero tangent that carries the input, then reverse mode twice; the rule as an
    autograd.Function gave a zero tangent compiled); jvp of a custom_vjp function is JAX's TypeError, also inside
    jit."""

    @portax.custom_jvp
    def f(x):
        return xp.sin(x)

    f.defjvp(lambda primals, tangents: (xp.sin(primals[0]), 7.0 * tangents[0]))  # deliberately not cos(x)
    x = xp.asarray(np.array([0.3, 1.2], np.float32))
    assert_same(np.asarray(_compiled(portax.jit(portax.jacfwd(f)), x)), 7.0 * np.eye(2, dtype=np.float32))
    primal, tangent = _compiled(portax.jit(lambda v: portax.jvp(f, (v,), (xp.ones_like(v),))), x)
    assert_same(np.asarray(primal), np.sin(np.array([0.3, 1.2], np.float32)))
    assert_same(np.asarray(tangent), np.full(2, 7.0, np.float32))

    @portax.custom_vjp
    def g(v):
        return xp.sin(v)

    g.defvjp(lambda v: (xp.sin(v), v), lambda v, ct: (100.0 * ct,))
    with pytest.raises(TypeError, match="custom_vjp"):
        portax.jit(lambda v: portax.jvp(g, (v,), (xp.ones_like(v),)))(x)


@pytest.mark.composition("jit", "jvp", "custom_jvp")
def test_jvp_through_a_custom_jvp_rule_compiles_with_jax_numbers(xp, jax_reference):
    """jit(jvp) of a function that uses a custom_jvp function twice, whose rule calls the function itself (JAX's
    idiom), and a tuple output: compiled, JAX's primal and tangent."""
    jax, jnp = jax_reference

    def build(t, np_like):
        @t.custom_jvp
        def soft(v):
            return np_like.log1p(np_like.exp(v))

        soft.defjvp(lambda p, d: (soft(p[0]), 3.0 * d[0] / (1.0 + np_like.exp(-p[0]))))  # 3x the true slope

        def fn(v, w):
            y = soft(v * w)
            return (soft(y).sum() * v, y * w)

        return lambda v, w, dv, dw: t.jvp(fn, (v, w), (dv, dw))

    args = [np.array(a, np.float32) for a in ([0.3, -1.2], [2.0, 0.5], [1.0, -0.5], [0.25, 2.0])]
    ours = _compiled(portax.jit(build(portax, xp)), *[xp.asarray(a) for a in args])
    theirs = jax.jit(build(jax, jnp))(*args)
    assert_same(portax.tree.map(np.asarray, ours), jax.tree.map(np.asarray, theirs), rtol=1e-5)


@pytest.mark.composition("jit", "grad", "fori_loop", "checkpoint")
def test_checkpoint_in_a_loop_under_jit_of_grad_compiles(xp, jax_reference):
    jax, jnp = jax_reference

    def build(t, np_like):
        block = t.checkpoint(lambda c: np_like.sin(c) * c)
        return lambda x: t.lax.fori_loop(0, STEPS, lambda i, c: block(c) + 0.1 * x, x).sum()

    x = np.array([0.3, 1.2], np.float32)
    ours = _compiled(portax.jit(portax.grad(build(portax, xp))), xp.asarray(x))
    assert_same(np.asarray(ours), np.asarray(jax.jit(jax.grad(build(jax, jnp)))(x)), rtol=1e-4)


@pytest.mark.inductor
@pytest.mark.slow
def test_ode_jit_grad_1000_steps_with_inductor(xp, jax_reference):
    """The benchmark's case on the real compiler (torch: inductor, ~15-30 s first call on 2 shared cores)."""
    jax, jnp = jax_reference
    build = build_loop("fori_loop", steps=1000)
    xs = np.zeros((1000, 2), np.float32)
    ours = _compiled(portax.jit(portax.grad(build(portax, portax.lax, xp))), xp.asarray(S0), xp.asarray(xs))
    theirs = jax.jit(jax.grad(build(jax, jax.lax, jnp)))(S0, xs)
    assert_same(np.asarray(ours), np.asarray(theirs), rtol=1e-3)


@pytest.mark.composition("jit", "fori_loop")
def test_forward_loop_under_jit_compiles_with_inductor_cpp_wrapper(backend_name, xp, jax_reference, monkeypatch):
    """A jit entry that reaches a real loop compiles (JAX's numbers, no fallback); on torch with inductor it traces
    again so that inductor compiles the loop with its C++ wrapper (a 1000-step Euler loop: 28 -> 4.7 ms per call),
    and a function without a loop keeps the default wrapper. torch.compile is recorded here and run on aot_eager."""
    jax, jnp = jax_reference
    seen: list[dict] = []
    if backend_name == "torch":
        import torch

        real_compile = torch.compile

        def recording(fn, **kwargs):
            seen.append(dict(kwargs.pop("options", None) or {}))
            kwargs.pop("backend", None)
            return real_compile(fn, backend="aot_eager", **kwargs)

        monkeypatch.setattr(torch, "compile", recording)
    options = {"torch": {"backend": "inductor"}}

    def build(lax, np_like):
        return lambda s: lax.fori_loop(0, STEPS, lambda i, c: c + 0.1 * np_like.stack([c[1], -0.5 * c[0]]), s)

    ours = _compiled(portax.jit(build(portax.lax, xp), compile_options=options), xp.asarray(S0))
    assert_same(np.asarray(ours), np.asarray(jax.jit(build(jax.lax, jnp))(S0)), rtol=1e-5)
    plain = _compiled(portax.jit(lambda s: s * 2.0, compile_options=options), xp.asarray(S0))
    assert_same(np.asarray(plain), 2.0 * S0)
    if backend_name == "torch":
        assert [o.get("cpp_wrapper", False) for o in seen] == [False, True, False], seen
