"""The rest of jax's top-level names on every backend, against real JAX and analytic values: named_scope/named_call,
default_backend/local_devices, pure_callback, custom_gradient, linear_transpose, fwd_and_bwd,
ensure_compile_time_eval, typeof,
clear_caches, print_environment_info."""

from __future__ import annotations

import numpy as np
import portax
import portax.numpy as jnp
import pytest
from helpers import to_numpy

pytestmark = pytest.mark.filterwarnings("ignore::portax.errors.CompileFallbackWarning")


def test_device_queries_match_jax(backend, jax_reference):
    jax, _ = jax_reference
    assert portax.default_backend() == jax.default_backend() == "cpu"  # both engines run on the CPU here
    assert portax.local_devices() == portax.devices()
    assert portax.local_devices(process_index=0) == portax.devices()
    with pytest.raises(ValueError, match="process 3"):
        portax.local_devices(process_index=3)


def test_named_scope_and_named_call(backend):
    with portax.named_scope("outer"):
        y = portax.named_call(lambda v: jnp.sin(v) * 2.0, name="double_sin")(jnp.asarray([0.5]))
    np.testing.assert_allclose(to_numpy(y), 2 * np.sin([0.5]), rtol=1e-6)
    scoped = portax.jit(portax.grad(portax.named_call(lambda v: jnp.sum(jnp.cos(v)))))
    np.testing.assert_allclose(to_numpy(scoped(jnp.asarray([0.5]))), -np.sin([0.5]), rtol=1e-6)
    with pytest.raises(TypeError, match="string"):
        with portax.named_scope(3):
            pass


def test_pure_callback_eager_and_jit(backend, backend_name):
    calls = []

    def host_cumsum(v):
        calls.append(type(v))
        return np.cumsum(v)

    x = jnp.asarray([1.0, 2.0, 3.0])
    spec = portax.ShapeDtypeStruct((3,), x.dtype)
    np.testing.assert_allclose(to_numpy(portax.pure_callback(host_cumsum, spec, x)), [1.0, 3.0, 6.0])
    doubled = portax.jit(lambda v: portax.pure_callback(host_cumsum, spec, v) * 2.0)(x)
    np.testing.assert_allclose(to_numpy(doubled), [2.0, 6.0, 12.0])
    # the host function saw host arrays (NumPy; JAX 0.10's own pure_callback passes host jax.Arrays)
    assert calls and all(c is np.ndarray or "jax" in c.__module__ for c in calls)
    pair = portax.pure_callback(
        lambda v: (v.sum(), v * 0), (portax.ShapeDtypeStruct((), x.dtype), portax.ShapeDtypeStruct((3,), x.dtype)), x
    )
    np.testing.assert_allclose(to_numpy(pair[0]), 6.0)
    with pytest.raises(Exception, match="shape"):
        portax.pure_callback(lambda v: np.zeros(4, np.float32), spec, x)


def test_pure_callback_under_vmap(backend, backend_name):
    x = jnp.asarray([0.1, 0.2])
    spec = portax.ShapeDtypeStruct((), x.dtype)
    mapped = portax.vmap(lambda v: portax.pure_callback(np.sin, spec, v, vmap_method="sequential"))
    if backend_name == "torch":
        with pytest.raises(portax.errors.UnsupportedError, match="pure_callback"):
            mapped(x)
    else:
        np.testing.assert_allclose(to_numpy(mapped(x)), np.sin([0.1, 0.2]), rtol=1e-6)


def test_custom_gradient_matches_jax(backend, jax_reference):
    jax, jnp_ref = jax_reference

    def make(xnp, custom_gradient):
        @custom_gradient
        def clipped_log(x, y):
            return xnp.log(x) * y, lambda g: (xnp.clip(g * y / x, -1.0, 1.0), g * xnp.log(x))

        return clipped_log

    ours, theirs = make(jnp, portax.custom_gradient), make(jnp_ref, jax.custom_gradient)
    for x in (0.3, 2.0):
        got = portax.grad(ours, argnums=(0, 1))(jnp.asarray(x), jnp.asarray(3.0))
        want = jax.grad(theirs, argnums=(0, 1))(x, 3.0)
        np.testing.assert_allclose([float(to_numpy(g)) for g in got], [float(w) for w in want], rtol=1e-6)
    batched = portax.jit(portax.vmap(portax.grad(ours), in_axes=(0, None)))(jnp.asarray([0.3, 2.0]), jnp.asarray(3.0))
    np.testing.assert_allclose(to_numpy(batched), [1.0, 1.0], rtol=1e-6)  # 10 and 1.5, clipped

    @portax.custom_gradient
    def single(x):
        return jnp.sin(x), lambda g: g * 2.0  # a bare cotangent, not a tuple: accepted as JAX does

    np.testing.assert_allclose(to_numpy(portax.grad(single)(jnp.asarray(0.3))), 2.0)


def test_linear_transpose_matches_jax(backend, jax_reference):
    jax, jnp_ref = jax_reference
    matrix = np.arange(6.0, dtype=np.float32).reshape(2, 3)

    def linear(xnp):
        return lambda v, w: xnp.asarray(matrix) @ v + 2.0 * xnp.cumsum(w)

    ours = portax.linear_transpose(linear(jnp), jnp.zeros(3), portax.ShapeDtypeStruct((2,), jnp.float32))
    theirs = jax.linear_transpose(linear(jnp_ref), np.zeros(3, np.float32), np.zeros(2, np.float32))
    cotangent = np.array([1.0, -2.0], dtype=np.float32)
    for a, b in zip(ours(jnp.asarray(cotangent)), theirs(cotangent), strict=True):
        np.testing.assert_allclose(to_numpy(a), np.asarray(b), rtol=1e-6)
    with pytest.raises(ValueError, match="reduce_axes"):
        portax.linear_transpose(linear(jnp), jnp.zeros(3), jnp.zeros(2), reduce_axes=("i",))


def test_fwd_and_bwd_matches_jax(backend, jax_reference):
    jax, jnp_ref = jax_reference
    w, x = np.linspace(-1, 1, 9, dtype=np.float32).reshape(3, 3), np.ones((2, 3), np.float32)
    ct = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    fwd, bwd = portax.fwd_and_bwd(lambda a, b: jnp.tanh(b @ a), argnums=(0, 1))  # jitted
    ref_fwd, ref_bwd = jax.fwd_and_bwd(lambda a, b: jnp_ref.tanh(b @ a), argnums=(0, 1))
    y, pullback = fwd(jnp.asarray(w), jnp.asarray(x))
    ref_y, ref_pullback = ref_fwd(w, x)
    np.testing.assert_allclose(to_numpy(y), np.asarray(ref_y), rtol=1e-5)
    for got, expected in zip(bwd(pullback, jnp.asarray(ct)), ref_bwd(ref_pullback, ct), strict=True):
        np.testing.assert_allclose(to_numpy(got), np.asarray(expected), rtol=1e-5, atol=1e-6)
    # an int argnums gives one array; has_aux adds the aux output
    fwd, bwd = portax.fwd_and_bwd(lambda a: (jnp.sum(a**2), a * 3), argnums=0, has_aux=True, jitted=False)
    y, pullback, aux = fwd(jnp.asarray([1.0, 2.0]))
    np.testing.assert_allclose(to_numpy(bwd(pullback, jnp.asarray(1.0))), [2.0, 4.0])
    np.testing.assert_allclose(to_numpy(y), 5.0, rtol=1e-6)
    np.testing.assert_allclose(to_numpy(aux), [3.0, 6.0], rtol=1e-6)


def test_ensure_compile_time_eval_typeof_and_environment(backend, capsys):
    @portax.jit
    def f(x):
        with portax.ensure_compile_time_eval():
            scale = jnp.sum(jnp.arange(4.0))  # concrete on every backend
        return x * scale

    np.testing.assert_allclose(to_numpy(f(jnp.asarray(2.0))), 12.0)
    kind = portax.typeof(jnp.zeros((2, 3), jnp.int32))
    assert kind.shape == (2, 3) and kind.dtype == jnp.int32 and portax.typeof(1.0).shape == ()
    portax.clear_caches()
    np.testing.assert_allclose(to_numpy(f(jnp.asarray(1.0))), 6.0)  # compiles again
    text = portax.print_environment_info(return_string=True)
    assert "portax" in text and "jax" in text and "torch" in text
    assert portax.print_environment_info() is None and "numpy" in capsys.readouterr().out
