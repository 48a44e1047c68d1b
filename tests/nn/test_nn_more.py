"""The rest of jax.nn (mish, hard_*, sparse_*, log1mexp, logmeanexp, dot_product_attention ...) against real JAX."""

from __future__ import annotations

import numpy as np
import portax
import portax.nn as pnn
import pytest
from helpers import as_backend, to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)

jax = pytest.importorskip("jax")
jnn = jax.nn

X = np.array([-1e4, -6.5, -3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 3.0, 5.9, 6.0, 7.5, 1e4], np.float32)
EDGE = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0], np.float32)
ELEMENTWISE = ["mish", "hard_sigmoid", "hard_silu", "hard_swish", "identity", "sparse_plus", "sparse_sigmoid",
               "squareplus", "tanh"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_matches_jax(xp, name):
    for values in (X, EDGE):
        out = getattr(pnn, name)(as_backend(xp, values))
        assert portax.backend_of(out) is portax.current_backend()
        assert to_numpy(out).dtype == np.float32
        np.testing.assert_allclose(to_numpy(out), np.asarray(getattr(jnn, name)(values)), rtol=2e-5, atol=1e-7)


@pytest.mark.parametrize("name", [*ELEMENTWISE, "log1mexp"])
def test_gradients_match_jax_including_kinks(backend, name):
    points = np.array([-3.0, -2.0, -1.0, -0.3, 0.0, 0.7, 0.69314718, 1.0, 3.0, 6.0, 8.0], np.float32)
    if name == "log1mexp":
        points = np.abs(points) + np.float32(1e-3)
    expected = np.asarray(jax.vmap(jax.grad(getattr(jnn, name)))(points))
    got = portax.vmap(portax.grad(getattr(pnn, name)))(as_backend(portax.numpy, points))
    np.testing.assert_allclose(to_numpy(got), expected, rtol=2e-5, atol=1e-6)


def test_identity_keeps_integer_dtype_and_squareplus_b(xp):
    ints = np.array([1, -2, 3], np.int32)
    assert to_numpy(pnn.identity(as_backend(xp, ints))).dtype == np.int32
    np.testing.assert_array_equal(to_numpy(pnn.identity([1.0, 2.0])), [1.0, 2.0])
    got = pnn.squareplus(as_backend(xp, X), b=0.5)
    np.testing.assert_allclose(to_numpy(got), np.asarray(jnn.squareplus(X, b=0.5)), rtol=2e-5)


def test_log1mexp_values_and_gradient_at_zero(backend):
    values = np.array([0.0, 1e-6, 0.1, 0.6931, 0.7, 2.0, 30.0, 100.0, np.inf, -1.0], np.float32)
    got = to_numpy(pnn.log1mexp(as_backend(portax.numpy, values)))
    np.testing.assert_allclose(got, np.asarray(jnn.log1mexp(values)), rtol=2e-6, atol=1e-30)
    assert float(to_numpy(portax.grad(pnn.log1mexp)(0.0))) == float(jax.grad(jnn.log1mexp)(0.0)) == np.inf


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)])
def test_logmeanexp(xp, axis):
    rng = np.random.default_rng(0)
    values = rng.normal(size=(3, 4)).astype(np.float32) * 4
    where = rng.random((3, 4)) > 0.3
    x = as_backend(xp, values)
    for keepdims in (False, True):
        got = pnn.logmeanexp(x, axis=axis, keepdims=keepdims)
        np.testing.assert_allclose(to_numpy(got), np.asarray(jnn.logmeanexp(values, axis=axis, keepdims=keepdims)),
                                   rtol=2e-6, atol=1e-6)
    got = pnn.logmeanexp(x, axis=axis, where=as_backend(xp, where))
    np.testing.assert_allclose(to_numpy(got), np.asarray(jnn.logmeanexp(values, axis=axis, where=where)), rtol=2e-6)


def test_jit_and_vmap_of_new_activations(xp):
    values = np.random.default_rng(1).normal(size=(4, 5)).astype(np.float32) * 3

    def fn(v, nn):
        return nn.mish(v) + nn.hard_silu(v) + nn.sparse_plus(v) + nn.squareplus(v) + nn.log1mexp(nn.relu(v) + 1.0)

    x = as_backend(xp, values)
    expected = np.asarray(fn(values, jnn))
    np.testing.assert_allclose(to_numpy(portax.jit(lambda v: fn(v, pnn))(x)), expected, rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(portax.vmap(lambda v: fn(v, pnn))(x)), expected, rtol=2e-5, atol=1e-6)
    grad = portax.jit(portax.grad(lambda v: portax.numpy.sum(fn(v, pnn))))(x)
    np.testing.assert_allclose(to_numpy(grad), np.asarray(jax.grad(lambda v: fn(v, jnn).sum())(values)),
                               rtol=2e-5, atol=1e-6)


# -- dot_product_attention ----------------------------------------------------------------------------------------

RNG = np.random.default_rng(0)
Q = RNG.normal(size=(2, 5, 4, 8)).astype(np.float32)
K = RNG.normal(size=(2, 6, 2, 8)).astype(np.float32)  # 2 key/value heads for 4 query heads: grouped-query attention
V = RNG.normal(size=(2, 6, 2, 8)).astype(np.float32)
BIAS = RNG.normal(size=(1, 4, 5, 6)).astype(np.float32)
MASK = RNG.random((2, 1, 5, 6)) > 0.3
MASK[0, 0, 1, :] = False  # a fully masked row: JAX averages it (finite), torch's boolean-mask SDPA would give NaN
Q_LENGTHS, KV_LENGTHS = np.array([3, 5], np.int32), np.array([4, 2], np.int32)
CASES = {
    "plain": {},
    "causal": {"is_causal": True},
    "bias": {"bias": BIAS},
    "mask": {"mask": MASK},
    "all": {"bias": BIAS, "mask": MASK, "is_causal": True, "scale": 0.3},
    "window": {"local_window_size": (1, 2)},
    "lengths": {"query_seq_lengths": Q_LENGTHS, "key_value_seq_lengths": KV_LENGTHS},
}


@pytest.mark.parametrize("case", list(CASES))
def test_attention_matches_jax(xp, case):
    options = CASES[case]
    mine = {k: as_backend(xp, v) if isinstance(v, np.ndarray) else v for k, v in options.items()}
    got = to_numpy(pnn.dot_product_attention(as_backend(xp, Q), as_backend(xp, K), as_backend(xp, V), **mine))
    assert got.dtype == np.float32
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, np.asarray(jnn.dot_product_attention(Q, K, V, **options)), rtol=1e-5, atol=2e-6)


def test_attention_residual_and_3d_inputs(xp):
    q, k, v = as_backend(xp, Q), as_backend(xp, K), as_backend(xp, V)
    out, residual = pnn.dot_product_attention(q, k, v, is_causal=True, return_residual=True)
    ref_out, ref_residual = jnn.dot_product_attention(Q, K, V, is_causal=True, return_residual=True)
    np.testing.assert_allclose(to_numpy(out), np.asarray(ref_out), rtol=1e-5, atol=2e-6)
    np.testing.assert_allclose(to_numpy(residual), np.asarray(ref_residual), rtol=1e-5, atol=2e-6)
    got = pnn.dot_product_attention(as_backend(xp, Q[0]), as_backend(xp, K[0]), as_backend(xp, V[0]))
    np.testing.assert_allclose(to_numpy(got), np.asarray(jnn.dot_product_attention(Q[0], K[0], V[0])), rtol=1e-5,
                               atol=2e-6)


def test_attention_errors_as_jax(xp):
    q, k, v = as_backend(xp, Q), as_backend(xp, K), as_backend(xp, V)
    with pytest.raises(ValueError, match="Unsupported implementation"):
        pnn.dot_product_attention(q, k, v, implementation="flash")
    with pytest.raises(ValueError, match="mask dtype"):
        pnn.dot_product_attention(q, k, v, mask=as_backend(xp, MASK.astype(np.float32)))
    with pytest.raises(ValueError, match="multiple of key/value heads"):
        pnn.dot_product_attention(as_backend(xp, Q[:, :, :3]), k, v)
    with pytest.raises(ValueError, match="value shape"):
        pnn.dot_product_attention(q, k, as_backend(xp, V[:, :5]))
    with pytest.raises(portax.errors.UnsupportedError, match="cudnn"):
        pnn.dot_product_attention(q, k, v, implementation="cudnn")


@pytest.mark.filterwarnings("error::portax.errors.CompileFallbackWarning")  # compiled on torch, not run eagerly
def test_attention_grad_jit_vmap(xp):
    def loss(nn, q, k, v, bias):
        return (nn.dot_product_attention(q, k, v, bias, is_causal=True) ** 2).sum()

    def portable(q, k, v, bias):
        return portax.numpy.sum(pnn.dot_product_attention(q, k, v, bias, is_causal=True) ** 2)

    args = (Q, K, V, BIAS)
    mine = [as_backend(xp, a) for a in args]
    expected = jax.grad(lambda *a: loss(jnn, *a), argnums=(0, 1, 2, 3))(*args)
    got = portax.jit(portax.grad(portable, argnums=(0, 1, 2, 3)))(*mine)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(to_numpy(g), np.asarray(e), rtol=1e-4, atol=1e-5)
    per_batch = portax.vmap(lambda q, k, v: pnn.dot_product_attention(q, k, v, is_causal=True))(*mine[:3])
    np.testing.assert_allclose(to_numpy(per_batch), np.asarray(jnn.dot_product_attention(Q, K, V, is_causal=True)),
                               rtol=1e-5, atol=2e-6)


def test_attention_reference_formula_equals_jax(xp):
    # the core formula a backend without a fused kernel runs (both built-in backends have one)
    from portax._src.nn import _attention_mask, _attention_reference

    q, k, v, mask = (as_backend(xp, a) for a in (Q, K, V, MASK))
    combined = _attention_mask((2, 4, 5, 6), mask, True, None, None, None)
    got = _attention_reference(q, k, v, as_backend(xp, BIAS), combined, 0.3, False)
    expected = jnn.dot_product_attention(Q, K, V, BIAS, MASK, is_causal=True, scale=0.3)
    np.testing.assert_allclose(to_numpy(got), np.asarray(expected), rtol=1e-5, atol=2e-6)
