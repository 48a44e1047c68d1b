"""``portax.checkpoint`` outside ``grad`` and under higher-order forward mode, against real JAX (issue 13).

Found on torch: arrays created inside came from the default backend, an in-place body changed the caller's tensor,
``grad(checkpoint(f))`` with in-place ops raised torch's "leaf Variable" error, and ``jacfwd(jacfwd(checkpoint(f)))``
was silently 0 (JAX 12).
"""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import to_numpy


def test_checkpoint_creates_arrays_on_the_arguments_backend(backend_name, xp):
    other = [name for name in portax.backends() if name != backend_name]
    x = xp.ones(3)
    with portax.use_backend(other[0] if other else backend_name):  # the default is another backend
        out = portax.checkpoint(lambda v: portax.numpy.zeros(3) + v)(x)
    assert type(out) is type(x)
    np.testing.assert_array_equal(to_numpy(out), np.ones(3))


def _inplace_body(v):
    v *= 2.0
    return (v * v).sum()


def test_checkpoint_does_not_change_the_callers_array(xp):
    x = xp.ones(3)
    out = portax.checkpoint(_inplace_body)(x)
    np.testing.assert_allclose(to_numpy(out), 12.0)
    np.testing.assert_array_equal(to_numpy(x), np.ones(3))


@pytest.mark.parametrize("transform", ["grad", "jit_grad"])
def test_grad_of_checkpoint_with_inplace_body(transform, xp, jax_reference):
    jax, jnp = jax_reference

    def body(v, np_like):
        v = v * 1.0
        v *= 2.0  # JAX rebinds; torch writes in place into a non-leaf
        return np_like.sum(v * v)

    def make(t, np_like):
        g = t.grad(t.checkpoint(lambda v: body(v, np_like)))
        return t.jit(g) if transform == "jit_grad" else g

    x = np.array([1.0, -2.0, 0.5], dtype=np.float32)
    ours = make(portax, xp)(xp.asarray(x))
    theirs = make(jax, jnp)(jnp.asarray(x))
    np.testing.assert_allclose(to_numpy(ours), np.asarray(theirs), rtol=1e-6)
    # and a body that updates its own argument in place, differentiated
    ours = portax.grad(portax.checkpoint(_inplace_body))(xp.asarray(x))
    np.testing.assert_allclose(to_numpy(ours), 8.0 * x, rtol=1e-6)


@pytest.mark.parametrize(
    "composition",
    ["jacfwd_jacfwd", "jvp_jvp", "hessian", "grad_grad", "jacrev_jacfwd", "jacfwd_jacrev"],
)
def test_higher_order_derivatives_through_checkpoint(composition, xp, jax_reference):
    jax, jnp = jax_reference

    def make(t):
        f = t.checkpoint(lambda v: v**3)
        if composition == "jvp_jvp":
            inner = lambda p: t.jvp(f, (p,), (p * 0 + 1,))[1]  # noqa: E731
            return lambda p: t.jvp(inner, (p,), (p * 0 + 1,))[1]
        outer, inner = {
            "jacfwd_jacfwd": (t.jacfwd, t.jacfwd),
            "hessian": (t.hessian, None),
            "grad_grad": (t.grad, t.grad),
            "jacrev_jacfwd": (t.jacrev, t.jacfwd),
            "jacfwd_jacrev": (t.jacfwd, t.jacrev),
        }[composition]
        return outer(f) if inner is None else outer(inner(f))

    ours = make(portax)(xp.asarray(np.float32(2.0)))
    theirs = make(jax)(jnp.asarray(np.float32(2.0)))
    np.testing.assert_allclose(to_numpy(ours), np.asarray(theirs), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(ours), 12.0, rtol=1e-6)
