"""portax.nn activations against real JAX (jax.nn, an independent implementation) and NumPy, on every backend."""

from __future__ import annotations

import numpy as np
import portax
import portax.nn as pnn
import pytest
from helpers import as_backend, to_numpy

jax = pytest.importorskip("jax")
jnn = jax.nn

X = np.array([-1e4, -6.5, -3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 5.9, 6.0, 7.5, 1e4], np.float32)
EDGE = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0], np.float32)

ELEMENTWISE = ["relu", "relu6", "silu", "swish", "sigmoid", "log_sigmoid", "softplus", "soft_sign", "elu", "celu",
               "selu", "leaky_relu", "hard_tanh"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_matches_jax(xp, name):
    for values in (X, EDGE):
        out = getattr(pnn, name)(as_backend(xp, values))
        assert portax.backend_of(out) is portax.current_backend()
        assert to_numpy(out).dtype == np.float32
        np.testing.assert_allclose(to_numpy(out), np.asarray(getattr(jnn, name)(values)), rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("approximate", [True, False])
def test_gelu(xp, approximate):
    out = pnn.gelu(as_backend(xp, X), approximate=approximate)
    np.testing.assert_allclose(to_numpy(out), np.asarray(jnn.gelu(X, approximate=approximate)), rtol=2e-6, atol=1e-6)


@pytest.mark.parametrize("name", [*ELEMENTWISE, "gelu"])
def test_gradients_match_jax_including_kinks(backend, name):
    # The kinks (0 for relu, 0 and 6 for relu6, +-1 for hard_tanh) carry JAX's conventions.
    points = np.array([-2.0, -1.0, -0.3, 0.0, 0.7, 1.0, 6.0, 8.0], np.float32)
    expected = np.asarray(jax.vmap(jax.grad(getattr(jnn, name)))(points))
    got = portax.vmap(portax.grad(getattr(pnn, name)))(as_backend(portax.numpy, points))
    np.testing.assert_allclose(to_numpy(got), expected, rtol=1e-5, atol=1e-7)


def test_relu_grad_at_zero_is_jax_value(backend):
    assert float(to_numpy(portax.grad(pnn.relu)(0.0))) == float(jax.grad(jnn.relu)(0.0)) == 0.0


def test_softmax_family_huge_logits(xp):
    logits = np.array([[0.0, 1000.0], [-1000.0, 1000.0], [1.0, 2.0]], np.float32)
    x = as_backend(xp, logits)
    softmax = to_numpy(pnn.softmax(x))
    assert np.all(np.isfinite(softmax))
    np.testing.assert_allclose(softmax, np.asarray(jnn.softmax(logits)), rtol=1e-6, atol=1e-30)
    np.testing.assert_allclose(to_numpy(pnn.log_softmax(x)), np.asarray(jnn.log_softmax(logits)), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(pnn.logsumexp(x, axis=-1)), np.asarray(jnn.logsumexp(logits, axis=-1)), rtol=1e-6)


@pytest.mark.parametrize("axis", [0, -1, (0, 1), None])
def test_softmax_axes_and_where(xp, axis):
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 4)).astype(np.float32) * 5
    where = rng.random((3, 4)) > 0.3
    x, mask = as_backend(xp, logits), as_backend(xp, where)
    for name in ("softmax", "log_softmax"):
        np.testing.assert_allclose(to_numpy(getattr(pnn, name)(x, axis=axis)),
                                   np.asarray(getattr(jnn, name)(logits, axis=axis)), rtol=2e-6, atol=1e-7)
        np.testing.assert_allclose(to_numpy(getattr(pnn, name)(x, axis=axis, where=mask)),
                                   np.asarray(getattr(jnn, name)(logits, axis=axis, where=where)), rtol=2e-6, atol=1e-7)


def test_softmax_and_log_softmax_gradients(backend):
    logits = np.array([[0.0, 1000.0, -3.0], [0.5, -0.5, 2.0]], np.float32)
    weights = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0]], np.float32)
    for name in ("softmax", "log_softmax"):
        def loss_jax(z, name=name):
            return (getattr(jnn, name)(z) * weights).sum()

        def loss(z, name=name):
            return portax.numpy.sum(getattr(pnn, name)(z) * as_backend(portax.numpy, weights))

        got = to_numpy(portax.grad(loss)(as_backend(portax.numpy, logits)))
        np.testing.assert_allclose(got, np.asarray(jax.grad(loss_jax)(logits)), rtol=1e-5, atol=1e-6)


def test_glu_standardize(xp):
    rng = np.random.default_rng(1)
    values = rng.normal(size=(4, 6)).astype(np.float32)
    x = as_backend(xp, values)
    np.testing.assert_allclose(to_numpy(pnn.glu(x)), np.asarray(jnn.glu(values)), rtol=2e-6)
    np.testing.assert_allclose(to_numpy(pnn.glu(x, axis=0)), np.asarray(jnn.glu(values, axis=0)), rtol=2e-6)
    for algorithm in ("fast", "stable"):
        np.testing.assert_allclose(to_numpy(pnn.standardize(x, algorithm=algorithm)),
                                   np.asarray(jnn.standardize(values, algorithm=algorithm)), rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="even"):
        pnn.glu(as_backend(xp, values[:, :5]))
    with pytest.raises(ValueError, match="algorithm"):
        pnn.standardize(x, algorithm="exact")


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_one_hot(xp, axis):
    labels = np.array([[0, 2, 5], [1, -1, 3]], np.int32)  # 5 and -1 are out of range: all-zero rows, as JAX
    out = pnn.one_hot(as_backend(xp, labels), 4, axis=axis)
    assert to_numpy(out).dtype == np.float32
    np.testing.assert_array_equal(to_numpy(out), np.asarray(jnn.one_hot(labels, 4, axis=axis)))
    as_int = pnn.one_hot(as_backend(xp, labels), 4, dtype=xp.int32)
    np.testing.assert_array_equal(to_numpy(as_int), np.asarray(jnn.one_hot(labels, 4, dtype=np.int32)))
    with pytest.raises(TypeError, match="static"):
        pnn.one_hot(as_backend(xp, labels), as_backend(xp, np.int32(4)))


def test_jit_and_vmap(xp):
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(5, 3)).astype(np.float32)
    labels = np.array([0, 2, 1, 1, 0], np.int32)

    def loss(z, y):
        return -portax.numpy.mean(portax.numpy.sum(pnn.log_softmax(z) * pnn.one_hot(y, 3), axis=-1))

    def loss_jax(z, y):
        return -(jnn.log_softmax(z) * jnn.one_hot(y, 3)).sum(-1).mean()

    z, y = as_backend(xp, logits), as_backend(xp, labels)
    assert float(to_numpy(portax.jit(loss)(z, y))) == pytest.approx(float(loss_jax(logits, labels)), rel=1e-6)
    got = portax.jit(portax.grad(loss))(z, y)
    np.testing.assert_allclose(to_numpy(got), np.asarray(jax.grad(loss_jax)(logits, labels)), rtol=1e-5, atol=1e-7)
    rows = portax.vmap(lambda r: pnn.softmax(pnn.gelu(r)))(z)
    np.testing.assert_allclose(to_numpy(rows), np.asarray(jnn.softmax(jnn.gelu(logits))), rtol=2e-6)
    jitted = portax.jit(lambda v: pnn.relu(v) + pnn.silu(v) + pnn.softplus(v) + pnn.elu(v))(z)
    np.testing.assert_allclose(to_numpy(jitted), np.asarray(jnn.relu(logits) + jnn.silu(logits) + jnn.softplus(logits)
                                                            + jnn.elu(logits)), rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_softmax_family_edge_rows_equal_jax(xp, name):
    # +-inf and NaN rows: the native fast paths (torch.softmax, ...) must give JAX's NaN/inf pattern exactly.
    rows = np.array([[np.inf, 0], [-np.inf, -np.inf], [np.nan, 0], [-np.inf, 0], [np.inf, np.inf]], np.float32)
    got = to_numpy(getattr(pnn, name)(as_backend(xp, rows), axis=-1))
    np.testing.assert_array_equal(got, np.asarray(getattr(jnn, name)(rows, axis=-1)))
