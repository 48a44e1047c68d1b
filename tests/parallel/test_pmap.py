"""``portax.pmap`` on 4 devices (``PORTAX_VIRTUAL_DEVICES=4``, set in tests/conftest.py): the seed's example,
in/out axes, static arguments, the device-count error, and a data-parallel gradient step with ``pmean``."""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import to_numpy
from portax import lax

N = 4


def test_four_devices_on_every_backend(backend):
    assert portax.device_count() == portax.local_device_count() == N == len(portax.devices())
    moved = portax.device_put(np.ones(2, np.float32), portax.devices()[N - 1])
    assert portax.backend_of(moved) is backend


def test_seed_pmap_example(xp, backend):
    out = portax.pmap(xp.sin)(xp.zeros((N, 1024)))
    assert portax.backend_of(out) is backend
    np.testing.assert_array_equal(to_numpy(out), np.zeros((N, 1024), np.float32))


def test_in_axes_out_axes_and_static_arguments(xp):
    x = np.arange(12.0, dtype=np.float32).reshape(3, N)

    def f(scale, a, b, mode):
        total = lax.psum(a, "d")
        return (total * scale + b) if mode == "add" else total

    out = portax.pmap(f, axis_name="d", in_axes=(None, 1, None, None), out_axes=1, static_broadcasted_argnums=3)(
        2.0, xp.asarray(x), xp.asarray(1.0), "add"
    )
    np.testing.assert_allclose(to_numpy(out), np.broadcast_to(2 * x.sum(1, keepdims=True) + 1, (3, N)))


def test_mapped_size_larger_than_device_count_raises_value_error(xp):
    with pytest.raises(ValueError, match=r"requires 5 logical devices, but only 4"):
        portax.pmap(xp.sin)(xp.zeros((5, 2)))


def test_data_parallel_step_matches_full_batch_gradient(xp):
    rng = np.random.default_rng(1)
    w = rng.standard_normal(3).astype(np.float32)
    xs = rng.standard_normal((N, 8, 3)).astype(np.float32)  # 4 devices x 8 examples
    ys = rng.standard_normal((N, 8)).astype(np.float32)

    def loss(w, x, y):
        return xp.mean((x @ w - y) ** 2)

    def step(w, x, y):
        grads = lax.pmean(portax.grad(loss)(w, x, y), "batch")
        return w - 0.1 * grads, grads

    new_w, grads = portax.pmap(step, axis_name="batch", in_axes=(None, 0, 0))(
        xp.asarray(w), xp.asarray(xs), xp.asarray(ys)
    )
    X, Y = xs.reshape(-1, 3).astype(np.float64), ys.reshape(-1).astype(np.float64)
    full = 2 * X.T @ (X @ w - Y) / len(Y)
    np.testing.assert_allclose(to_numpy(grads), np.broadcast_to(full, (N, 3)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(new_w)[0], w - 0.1 * full, rtol=1e-5, atol=1e-6)


def test_pmap_of_vmap_with_two_axis_names(xp):
    x = np.arange(8.0, dtype=np.float32).reshape(N, 2)
    out = portax.pmap(portax.vmap(lambda v: lax.psum(v, ("p", "v")), axis_name="v"), axis_name="p")(xp.asarray(x))
    np.testing.assert_array_equal(to_numpy(out), np.full((N, 2), x.sum()))


def test_jit_of_pmap(xp, backend):
    import warnings

    from portax.errors import CompileFallbackWarning

    cheap = {"torch": {"backend": "aot_eager"}}
    x = np.linspace(0.0, 1.0, 3 * N, dtype=np.float32).reshape(N, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CompileFallbackWarning)  # no collective: compiled on every backend
        out = portax.jit(portax.pmap(xp.sin), compile_options=cheap)(xp.asarray(x))
    np.testing.assert_allclose(to_numpy(out), np.sin(x), rtol=1e-6)
    step = portax.jit(portax.pmap(lambda v: v - lax.pmean(v, "d"), axis_name="d"), compile_options=cheap)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = step(xp.asarray(x))
    np.testing.assert_allclose(to_numpy(out), x - x.mean(0), rtol=1e-5, atol=1e-6)
    fallback = any(issubclass(w.category, CompileFallbackWarning) for w in caught)
    assert fallback == ("collectives_jit" not in backend.capabilities)


def test_backend_without_the_capabilities_raises_unsupported_before_work(xp, backend, monkeypatch):
    from portax.errors import UnsupportedError

    reduced = backend.capabilities - {"collectives", "pmap"}
    monkeypatch.setattr(type(backend), "capabilities", property(lambda self: reduced))
    calls = []
    with pytest.raises(UnsupportedError, match=rf"'{backend.name}'.*portax\.pmap"):
        portax.pmap(lambda v: calls.append(v) or v)(xp.ones((N, 2)))
    assert not calls
    with pytest.raises(UnsupportedError, match=r"portax\.lax\.psum"):
        portax.vmap(lambda v: lax.psum(v, "i"), axis_name="i")(xp.ones((N, 2)))
