"""vmap: axes, pytrees, sizes, nesting, errors, and its compositions with grad, on every backend."""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import assert_native
from portax.errors import BatchingError, ConcretizationError
from transform_util import assert_close


def test_vmap_matches_loop(xp):
    X = np.arange(12, dtype=np.float32).reshape(4, 3)
    params = np.array([1.0, -1.0, 0.5], np.float32)
    # The seed's batch_model = vmap(model, in_axes=(None, 0)).
    batch_model = portax.vmap(lambda p, x: xp.dot(p, x), in_axes=(None, 0))
    out = batch_model(xp.asarray(params), xp.asarray(X))
    assert_native(out)
    assert_close(out, X @ params)


def test_vmap_pytree_in_axes(xp):
    a = np.arange(6, dtype=np.float32).reshape(3, 2)
    args = {"a": xp.asarray(a), "b": xp.asarray(np.arange(3, dtype=np.float32))}
    out = portax.vmap(lambda d: d["a"] * d["b"], in_axes=({"a": 1, "b": None},))(args)
    assert_close(out, a.T * np.arange(3, dtype=np.float32))


def test_vmap_negative_axes(xp):
    x = xp.asarray(np.arange(6, dtype=np.float32).reshape(2, 3))
    out = portax.vmap(lambda v: xp.sum(v), in_axes=-1)(x)
    assert_close(out, np.arange(6, dtype=np.float32).reshape(2, 3).sum(0))


def test_vmap_out_axes(xp):
    x = xp.asarray(np.arange(6, dtype=np.float32).reshape(2, 3))
    out = portax.vmap(lambda v: v * 2, out_axes=1)(x)
    assert_close(out, (np.arange(6, dtype=np.float32).reshape(2, 3) * 2).T)
    out = portax.vmap(lambda v: v * 2, out_axes=-1)(x)
    assert_close(out, (np.arange(6, dtype=np.float32).reshape(2, 3) * 2).T)


def test_vmap_pytree_out_axes_with_none(xp):
    x = xp.asarray(np.arange(3, dtype=np.float32))
    c = xp.asarray(np.float32(7.0))
    mapped, const = portax.vmap(lambda v, c: (v + 1, c), in_axes=(0, None), out_axes=(0, None))(x, c)
    assert_close((mapped, const), (np.arange(1, 4, dtype=np.float32), np.float32(7.0)))


def test_vmap_out_axes_none_on_mapped_output_raises(xp):
    with pytest.raises((BatchingError, ValueError)):
        portax.vmap(lambda v: v + 1, out_axes=None)(xp.asarray([1.0, 2.0]))


def test_vmap_nested(xp):
    a = np.arange(3, dtype=np.float32)
    b = np.arange(4, dtype=np.float32)
    outer = portax.vmap(portax.vmap(lambda x, y: x * y, in_axes=(None, 0)), in_axes=(0, None))
    assert_close(outer(xp.asarray(a), xp.asarray(b)), np.outer(a, b))


def test_vmap_axis_size_without_mapped_arguments(xp):
    out = portax.vmap(lambda c: c * 2, in_axes=None, axis_size=3)(xp.asarray([1.0, 2.0]))
    assert_close(out, np.tile(np.array([2.0, 4.0], np.float32), (3, 1)))


def test_vmap_kwargs_are_mapped_over_axis_0(xp):
    out = portax.vmap(lambda x, *, scale: x * scale)(xp.asarray([1.0, 2.0]), scale=xp.asarray([3.0, 4.0]))
    assert_close(out, np.array([3.0, 8.0], np.float32))


def test_vmap_inconsistent_sizes_names_arguments(xp):
    with pytest.raises(BatchingError, match=r"argument 0 \('x'\).*size 3.*argument 1 \('y'\).*size 4"):
        portax.vmap(lambda x, y: x + y)(xp.ones((3,)), xp.ones((4,)))


def test_vmap_axis_beyond_rank_raises(xp):
    with pytest.raises(BatchingError, match="rank"):
        portax.vmap(lambda x: x, in_axes=1)(xp.ones((3,)))


def test_vmap_in_axes_length_mismatch_raises(xp):
    with pytest.raises(BatchingError, match="entries"):
        portax.vmap(lambda x, y: x, in_axes=(0,))(xp.ones((3,)), xp.ones((3,)))


def test_vmap_all_none_without_axis_size_raises(xp):
    with pytest.raises(BatchingError, match="non-None"):
        portax.vmap(lambda x: x, in_axes=None)(xp.ones((3,)))


def test_vmap_data_dependent_branch_raises_concretization_error(xp):
    def f(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(ConcretizationError):
        portax.vmap(f)(xp.asarray([1.0, -1.0]))


def test_vmap_axis_name_is_accepted(xp):
    out = portax.vmap(lambda x: x * 2, axis_name="batch")(xp.asarray([1.0, 2.0]))
    assert_close(out, np.array([2.0, 4.0], np.float32))


def test_vmap_inplace_update_does_not_change_caller(xp):
    x = xp.asarray([1.0, 2.0])

    def f(v):
        v += 1.0
        return v

    assert_close(portax.vmap(f)(x), np.array([2.0, 3.0], np.float32))
    assert_close(x, np.array([1.0, 2.0], np.float32))


def test_per_example_gradients_vmap_of_grad(xp):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 3)).astype(np.float32)
    y = rng.normal(size=5).astype(np.float32)
    w = np.array([0.1, 0.2, -0.3], np.float32)
    loss = lambda w, x, y: (xp.dot(x, w) - y) ** 2  # noqa: E731
    grads = portax.vmap(portax.grad(loss), in_axes=(None, 0, 0))(xp.asarray(w), xp.asarray(X), xp.asarray(y))
    expected = 2 * (X @ w - y)[:, None] * X
    assert_close(grads, expected, rtol=1e-5)


def test_grad_of_vmap(xp):
    x = np.array([0.5, 1.0, 2.0], np.float32)
    g = portax.grad(lambda v: xp.sum(portax.vmap(lambda s: xp.sin(s) * s)(v)))(xp.asarray(x))
    assert_close(g, np.cos(x) * x + np.sin(x))


def test_vmap_of_jacrev_matches_jax(xp, jax_reference):
    jax, jnp = jax_reference
    x = np.arange(6, dtype=np.float32).reshape(2, 3) / 6

    def f(np_like):
        return lambda v: np_like.tanh(v) * np_like.sum(v)

    assert_close(portax.vmap(portax.jacrev(f(xp)))(xp.asarray(x)), jax.vmap(jax.jacrev(f(jnp)))(x))
