"""Control-flow errors: the kind JAX raises (TypeError / ValueError), on every backend, before or instead of a silent
difference (torch.cond accepts branches of different shapes silently)."""

from __future__ import annotations

import numpy as np
import portax
import pytest
from portax import lax


@pytest.mark.parametrize(
    ("true_out", "false_out"),
    [
        (lambda xp: xp.zeros(2), lambda xp: xp.zeros(3)),  # shapes
        (lambda xp: xp.zeros(2), lambda xp: xp.zeros(2, dtype=xp.int32)),  # dtypes
        (lambda xp: (xp.zeros(2), xp.zeros(2)), lambda xp: xp.zeros(2)),  # structures
    ],
)
@pytest.mark.parametrize("pred", [True, False])
@pytest.mark.parametrize("mode", ["eager", "jit", "vmap"])
def test_cond_branch_mismatch_is_a_type_error(true_out, false_out, pred, mode, xp, jax_reference):
    """Raised whichever branch is taken (JAX checks both), eagerly, under jit and with a batched predicate."""
    jax, jnp = jax_reference
    with pytest.raises(TypeError):
        jax.lax.cond(pred, lambda: true_out(jnp), lambda: false_out(jnp))
    program = lambda p: lax.cond(p, lambda: true_out(xp), lambda: false_out(xp))  # noqa: E731
    if mode == "jit":
        program = portax.jit(program)
    if mode == "vmap":
        with pytest.raises(TypeError):
            portax.vmap(program)(xp.asarray([pred, not pred]))
        return
    with pytest.raises(TypeError):
        program(xp.asarray(pred))


def test_switch_branch_mismatch_and_index_errors(xp):
    with pytest.raises(TypeError):
        lax.switch(0, [lambda: xp.zeros(2), lambda: xp.zeros(3)])
    with pytest.raises(TypeError, match="integer"):
        lax.switch(xp.asarray(1.0), [lambda: xp.zeros(2)])
    with pytest.raises(TypeError, match="scalar"):
        lax.switch(xp.asarray([1]), [lambda: xp.zeros(2)])
    with pytest.raises(ValueError, match="Empty branch"):
        lax.switch(0, [])


def test_cond_argument_errors(xp):
    with pytest.raises(TypeError, match="Pred must be a scalar"):
        lax.cond(xp.asarray([True, False]), lambda: 1.0, lambda: 2.0)
    with pytest.raises(TypeError, match="callable"):
        lax.cond(True, 1.0, lambda: 2.0)
    with pytest.raises(TypeError, match="operand"):
        lax.cond(True, lambda a: a, lambda a: a, 1.0, operand=2.0)


@pytest.mark.parametrize("mode", ["grad", "jit_grad", "vjp"])
def test_while_loop_reverse_mode_is_a_value_error(mode, xp, jax_reference):
    """JAX: ValueError "Reverse-mode differentiation does not work for lax.while_loop ..."; the same on torch."""
    jax, _ = jax_reference

    def make(t):
        return lambda x: t.lax.while_loop(lambda c: c < 10.0, lambda c: c * x, x * 1.0)

    def differentiate(t, x):
        if mode == "grad":
            return t.grad(make(t))(x)
        if mode == "jit_grad":
            return t.jit(t.grad(make(t)))(x)
        return t.vjp(make(t), x)[1](x)

    with pytest.raises(ValueError, match="Reverse-mode differentiation does not work for lax.while_loop"):
        differentiate(jax, 1.5)
    with pytest.raises(ValueError, match="Reverse-mode differentiation does not work for lax.while_loop"):
        differentiate(portax, xp.asarray(1.5))


def test_carry_type_changes(xp):
    with pytest.raises(TypeError, match="carry"):
        lax.scan(lambda c, x: (xp.astype(c, xp.int32), x), xp.asarray(1.0), xp.ones(3))
    with pytest.raises(TypeError, match="carry"):
        lax.while_loop(lambda c: c < 10.0, lambda c: xp.astype(c * 2, xp.int32), xp.asarray(1.0))


def test_scan_length_errors(xp):
    with pytest.raises(ValueError, match="no values to scan over"):
        lax.scan(lambda c, x: (c, x), xp.asarray(1.0), None)
    with pytest.raises(ValueError, match="different leading axis sizes"):
        lax.scan(lambda c, x: (c, x), xp.asarray(1.0), (xp.ones(3), xp.ones(2)))
    with pytest.raises(ValueError, match="disagrees"):
        lax.scan(lambda c, x: (c, x), xp.asarray(1.0), xp.ones(3), length=4)


def test_select_errors(xp):
    with pytest.raises(TypeError, match="same shapes"):
        lax.select(xp.asarray(True), xp.ones(2), xp.ones(3))
    with pytest.raises(TypeError, match="boolean"):
        lax.select(xp.ones(2), xp.ones(2), xp.ones(2))


def test_capability_declared(backend):
    assert "control_flow" in backend.capabilities
    assert backend.lax is not None
    np.testing.assert_allclose(float(lax.cond(True, lambda: 1.0, lambda: 2.0)), 1.0)


class _NoControlFlowBackend(portax.Backend):
    """A plugin without the ``control_flow`` capability (``lax`` is None)."""

    name = "fake-no-control-flow"
    distribution = "portax-fake-no-control-flow"
    priority = -100
    array_modules = ("never_imported_engine",)

    @property
    def array_types(self):
        return (type("NeverCreatedArray", (), {}),)

    @property
    def numpy(self):
        import types

        return types.SimpleNamespace(asarray=lambda value, dtype=None, **kwargs: np.asarray(value, np.float32))

    @property
    def dtypes(self):
        return {"float32": np.float32}

    @property
    def capabilities(self):
        return frozenset({"numpy"})

    def devices(self):
        return ["cpu"]


def test_missing_capability_raises_unsupported_before_any_work(monkeypatch):
    from portax._src import registry

    monkeypatch.setattr(registry, "_classes", dict(registry._backend_classes()))
    monkeypatch.setattr(registry, "_instances", dict(registry._instances))
    portax.register_backend(_NoControlFlowBackend)
    ran = []
    try:
        with portax.use_backend("fake-no-control-flow"):
            for call in (
                lambda: lax.cond(True, lambda: ran.append(1), lambda: ran.append(0)),
                lambda: lax.scan(lambda c, x: (ran.append(1), c), 0.0, None, length=2),
                lambda: lax.while_loop(lambda c: ran.append(1), lambda c: c, 0.0),
                lambda: lax.fori_loop(0, 2, lambda i, c: ran.append(1), 0.0),
                lambda: lax.switch(0, [lambda: ran.append(1)]),
            ):
                with pytest.raises(portax.errors.UnsupportedError, match="fake-no-control-flow"):
                    call()
    finally:
        registry._invalidate()
    assert ran == []
