"""portax.example_libraries.stax/optimizers against real jax.example_libraries: the same parameters from the same
key, the same outputs and the same few training steps, on every backend, eager and under jit."""

from __future__ import annotations

import numpy as np
import portax
import portax.numpy as jnp
import pytest
from helpers import to_numpy
from portax.example_libraries import optimizers, stax


@pytest.fixture(scope="module")
def jax_libs(jax_reference):
    from jax.example_libraries import optimizers as jax_optimizers, stax as jax_stax

    return jax_reference[0], jax_stax, jax_optimizers


def _network(lib):
    return lib.serial(
        lib.Dense(16),
        lib.Relu,
        lib.FanOut(2),
        lib.parallel(lib.serial(lib.Dense(8), lib.Tanh), lib.serial(lib.Dense(8), lib.Sigmoid)),
        lib.FanInConcat(),
        lib.Dense(8),
        lib.Elu,
        lib.FanOut(2),
        lib.parallel(lib.Identity, lib.LeakyRelu),
        lib.FanInSum,
        lib.Softplus,
        lib.Dense(3),
        lib.LogSoftmax,
    )


def _leaves_close(ours, theirs, rtol=1e-5, atol=1e-6):
    ours_leaves, theirs_leaves = portax.tree.leaves(ours), portax.tree.leaves(theirs)
    assert len(ours_leaves) == len(theirs_leaves)
    for a, b in zip(ours_leaves, theirs_leaves, strict=True):
        np.testing.assert_allclose(to_numpy(a), np.asarray(b), rtol=rtol, atol=atol)


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(6, 5).astype(np.float32), np.eye(3, dtype=np.float32)[rng.randint(0, 3, 6)]


def test_layers_give_jax_parameters_and_outputs(backend, jax_libs):
    jax, jax_stax, _ = jax_libs
    init, apply = _network(stax)
    jax_init, jax_apply = _network(jax_stax)
    shape, params = init(portax.random.PRNGKey(0), (-1, 5))
    jax_shape, jax_params = jax_init(jax.random.PRNGKey(0), (-1, 5))
    assert shape == jax_shape
    _leaves_close(params, jax_params, rtol=1e-5, atol=1e-7)  # the same PRNG bits; normals within float32 ulps
    x, _ = _data()
    _leaves_close(apply(params, jnp.asarray(x)), jax_apply(jax_params, x))
    _leaves_close(portax.jit(apply)(params, jnp.asarray(x)), jax_apply(jax_params, x))


def test_elementwise_flatten_batchnorm_dropout(backend, jax_libs):
    jax, jax_stax, _ = jax_libs
    x = np.random.RandomState(1).randn(4, 3, 2).astype(np.float32)
    for name in ("Exp", "Selu", "Gelu", "Softmax", "Flatten", "Identity"):
        init, apply = getattr(stax, name)
        jax_init, jax_apply = getattr(jax_stax, name)
        assert init(portax.random.PRNGKey(0), x.shape)[0] == jax_init(jax.random.PRNGKey(0), x.shape)[0]
        _leaves_close(apply((), jnp.asarray(x)), jax_apply((), x))
    for kwargs in ({}, {"axis": (0,), "center": False}, {"axis": 0, "scale": False}):
        init, apply = stax.BatchNorm(**kwargs)
        jax_init, jax_apply = jax_stax.BatchNorm(**kwargs)
        _, params = init(portax.random.PRNGKey(0), x.shape)
        _, jax_params = jax_init(jax.random.PRNGKey(0), x.shape)
        _leaves_close(params, jax_params)
        _leaves_close(apply(params, jnp.asarray(x)), jax_apply(jax_params, x), atol=1e-5)
    _, dropout = stax.Dropout(0.75)
    _, jax_dropout = jax_stax.Dropout(0.75)
    kept = dropout((), jnp.asarray(x), rng=portax.random.PRNGKey(3))
    _leaves_close(kept, jax_dropout((), x, rng=jax.random.PRNGKey(3)))
    with pytest.raises(ValueError, match="PRNG key"):
        dropout((), jnp.asarray(x))
    _leaves_close(stax.Dropout(0.5, mode="test")[1]((), jnp.asarray(x), rng=portax.random.PRNGKey(0)), x)


def test_conv_and_pooling_match_jax(backend, jax_libs):
    import portax.lax

    if not hasattr(portax.lax, "conv_general_dilated") or not hasattr(portax.lax, "reduce_window"):
        pytest.skip("portax.lax.conv_general_dilated/reduce_window are not in this portax yet (branch lax-conv)")
    jax, jax_stax, _ = jax_libs

    def net(lib):
        return lib.serial(
            lib.Conv(4, (3, 3), padding="SAME"),
            lib.Relu,
            lib.MaxPool((2, 2), strides=(2, 2)),
            lib.Conv(3, (2, 2), strides=(1, 2)),
            lib.AvgPool((2, 1), padding="SAME"),
            lib.SumPool((1, 2)),
            lib.Flatten,
            lib.Dense(2),
        )

    x = np.random.RandomState(2).randn(2, 8, 8, 3).astype(np.float32)
    (init, apply), (jax_init, jax_apply) = net(stax), net(jax_stax)
    shape, params = init(portax.random.PRNGKey(1), x.shape)
    jax_shape, jax_params = jax_init(jax.random.PRNGKey(1), x.shape)
    assert shape == jax_shape
    _leaves_close(params, jax_params, rtol=1e-5, atol=1e-7)
    _leaves_close(apply(params, jnp.asarray(x)), jax_apply(jax_params, x), rtol=1e-4, atol=1e-5)
    grads = portax.grad(lambda p: jnp.sum(apply(p, jnp.asarray(x)) ** 2))(params)
    jax_grads = jax.grad(lambda p: jax.numpy.sum(jax_apply(p, x) ** 2))(jax_params)
    _leaves_close(grads, jax_grads, rtol=1e-4, atol=1e-5)


OPTIMIZERS = [
    ("sgd", (0.1,), {}),
    ("momentum", (0.1, 0.9), {}),
    ("nesterov", (0.1, 0.9), {}),
    ("adagrad", (0.1,), {}),
    ("rmsprop", (0.01,), {}),
    ("rmsprop_momentum", (0.01,), {}),
    ("adam", (0.01,), {}),
    ("adamax", (0.01,), {}),
    ("sm3", (0.1,), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), OPTIMIZERS, ids=[o[0] for o in OPTIMIZERS])
def test_training_steps_match_jax(backend, jax_libs, name, args, kwargs):
    jax, jax_stax, jax_optimizers = jax_libs
    init, apply = stax.serial(stax.Dense(8), stax.Tanh, stax.Dense(3), stax.LogSoftmax)
    jax_init, jax_apply = jax_stax.serial(jax_stax.Dense(8), jax_stax.Tanh, jax_stax.Dense(3), jax_stax.LogSoftmax)
    _, params = init(portax.random.PRNGKey(0), (-1, 5))
    _, jax_params = jax_init(jax.random.PRNGKey(0), (-1, 5))
    x, y = _data()

    def make_step(opt_update, get_params, forward, grad, xnp):
        inputs, labels = xnp.asarray(x), xnp.asarray(y)

        def loss(p):
            return -xnp.mean(xnp.sum(forward(p, inputs) * labels, axis=1))

        def step(i, state):
            return opt_update(i, grad(loss)(get_params(state)), state)

        return step

    opt_init, opt_update, get_params = getattr(optimizers, name)(*args, **kwargs)
    jax_opt_init, jax_opt_update, jax_get_params = getattr(jax_optimizers, name)(*args, **kwargs)
    # sm3 keeps the parameter shape as ints in its state: as with JAX's, its steps cannot be jitted
    jit = portax.jit if name != "sm3" else (lambda f: f)
    step = jit(make_step(opt_update, get_params, apply, portax.grad, jnp))
    jax_step = make_step(jax_opt_update, jax_get_params, jax_apply, jax.grad, jax.numpy)  # eager: no compile
    state, jax_state = opt_init(params), jax_opt_init(jax_params)
    for i in range(3):
        state, jax_state = step(i, state), jax_step(i, jax_state)
    _leaves_close(get_params(state), jax_get_params(jax_state), rtol=2e-4, atol=2e-5)
    # eager steps agree with the jitted ones, and leave the old state unchanged (torch tensors are mutable)
    before = [to_numpy(leaf).copy() for leaf in portax.tree.leaves(state)]
    eager = make_step(opt_update, get_params, apply, portax.grad, jnp)(3, state)
    jitted = step(3, state)
    _leaves_close(get_params(eager), portax.device_get(get_params(jitted)), rtol=1e-5, atol=1e-6)
    for old, leaf in zip(before, portax.tree.leaves(state), strict=True):
        np.testing.assert_array_equal(old, to_numpy(leaf))


def test_schedules_match_jax(backend, jax_libs):
    _, _, jax_optimizers = jax_libs
    schedules = [
        ("constant", (0.3,)),
        ("exponential_decay", (0.1, 10, 0.5)),
        ("inverse_time_decay", (0.1, 10, 0.5)),
        ("inverse_time_decay", (0.1, 3, 0.5, True)),
        ("polynomial_decay", (0.1, 8, 0.01, 2.0)),
        ("piecewise_constant", ([2, 5], [0.1, 0.05, 0.01])),
    ]
    for name, args in schedules:
        ours, theirs = getattr(optimizers, name)(*args), getattr(jax_optimizers, name)(*args)
        for i in (0, 1, 4, 7, 12):
            np.testing.assert_allclose(to_numpy(jnp.asarray(ours(i))), np.asarray(theirs(i)), rtol=1e-6, err_msg=name)
        traced = portax.jit(lambda i, ours=ours: jnp.asarray(ours(i), dtype=jnp.float32))(jnp.asarray(6))
        np.testing.assert_allclose(to_numpy(traced), np.asarray(theirs(6)), rtol=1e-6, err_msg=name)
    with pytest.raises(ValueError, match="one shorter"):
        optimizers.piecewise_constant([1, 2], [0.1])
    # an optimizer with a schedule
    init, update, get_params = optimizers.sgd(optimizers.piecewise_constant([1], [1.0, 0.5]))
    state = init(jnp.asarray([0.0]))
    for i in range(3):
        state = update(i, jnp.asarray([1.0]), state)
    np.testing.assert_allclose(to_numpy(get_params(state)), [-2.5])  # rates 1, 1, 0.5


def test_state_utilities_match_jax(backend, jax_libs):
    _, _, jax_optimizers = jax_libs
    grads = {"a": jnp.asarray([3.0, 4.0]), "b": (jnp.asarray(12.0),)}
    np.testing.assert_allclose(to_numpy(optimizers.l2_norm(grads)), 13.0, rtol=1e-6)
    clipped = optimizers.clip_grads(grads, 6.5)
    np.testing.assert_allclose(to_numpy(clipped["a"]), [1.5, 2.0], rtol=1e-6)
    np.testing.assert_allclose(to_numpy(optimizers.clip_grads(grads, 100.0)["b"][0]), 12.0)
    opt_init, opt_update, get_params = optimizers.adam(0.1)
    state = opt_update(0, grads, opt_init({"a": jnp.zeros(2), "b": (jnp.asarray(1.0),)}))
    marked = optimizers.unpack_optimizer_state(state)
    assert isinstance(marked["a"], optimizers.JoinPoint) and len(marked["a"].subtree) == 3
    repacked = optimizers.pack_optimizer_state(marked)
    assert repacked.tree_def == state.tree_def and repacked.subtree_defs == state.subtree_defs
    _leaves_close(get_params(repacked), portax.device_get(get_params(state)), rtol=0, atol=0)
    assert type(marked) is type(
        jax_optimizers.unpack_optimizer_state(jax_optimizers.adam(0.1)[0]({"a": np.zeros(2), "b": (1.0,)}))
    )
    with pytest.raises(TypeError, match="did not match"):
        opt_update(1, {"a": jnp.zeros(2)}, state)
    with pytest.raises(TypeError, match="JoinPoint"):
        optimizers.pack_optimizer_state({"a": 1.0})
    # the state is a pytree: it goes through jit and vmap
    doubled = portax.jit(lambda s: portax.tree.map(lambda v: v * 2, s))(state)
    assert isinstance(doubled, optimizers.OptimizerState)
