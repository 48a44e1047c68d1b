"""64-bit mode (``jax_enable_x64``): default dtypes, promotion, gradients and random bits as JAX's x64 mode, switched
on and off in one process without leaking (the conftest restores the mode after each test)."""

from __future__ import annotations

import numpy as np
import portax
import portax.numpy as jnp
import pytest
from helpers import to_numpy


def _name(dtype) -> str:
    return str(dtype).rsplit(".", 1)[-1]


def test_defaults_follow_the_mode_and_switch_back(backend):
    assert _name(jnp.array([1.0]).dtype) == "float32" and _name(jnp.arange(3).dtype) == "int32"
    with portax.enable_x64():
        assert portax.config.jax_enable_x64
        assert _name(jnp.array([1.0]).dtype) == "float64"
        assert _name(jnp.arange(3).dtype) == "int64"
        assert _name(jnp.zeros(2).dtype) == "float64"
        assert _name(jnp.argmax(jnp.array([1.0, 3.0])).dtype) == "int64"
        # JAX x64 promotion: int32 array with a Python float -> the default float (float64); float32 stays float32
        assert _name(jnp.add(jnp.ones(2, dtype=jnp.int32), 1.5).dtype) == "float64"
        assert _name(jnp.add(jnp.ones(2, dtype=jnp.float32), 1.5).dtype) == "float32"
        with portax.disable_x64():
            assert _name(jnp.array([1.0]).dtype) == "float32"
        assert _name(jnp.array([1.0]).dtype) == "float64"
    assert not portax.config.jax_enable_x64
    assert _name(jnp.array([1.0]).dtype) == "float32" and _name(jnp.arange(3).dtype) == "int32"


@pytest.mark.parametrize(
    ("dtype", "off", "on"),
    [("bool", "int32", "int64"), ("int8", "int32", "int64"), ("int32", "int32", "int64"),
     ("uint8", "uint32", "uint64"), ("float32", "float32", "float32")],
)
def test_sum_and_prod_accumulate_in_the_modes_default_int(backend, dtype, off, on):
    # jax.numpy.sum/prod widen narrow integers to the default int of the same signedness (JAX 0.10, both modes).
    x = jnp.ones(4, dtype=getattr(jnp, dtype))
    assert _name(jnp.sum(x).dtype) == off and _name(jnp.prod(x, axis=0).dtype) == off
    with portax.enable_x64():
        x = jnp.ones(4, dtype=getattr(jnp, dtype))
        assert _name(jnp.sum(x).dtype) == on and _name(jnp.prod(x, axis=0).dtype) == on
        assert int(to_numpy(jnp.sum(x))) == 4
    assert _name(jnp.sum(x).dtype) == off


def test_gradients_and_jit_in_x64(backend):
    with portax.enable_x64():
        g = portax.grad(lambda x: jnp.sin(x) ** 2)(1.0)
        assert _name(g.dtype) == "float64"
        np.testing.assert_allclose(to_numpy(g), np.sin(2.0), rtol=1e-14)  # float64 accuracy
        f = portax.jit(lambda x: x * 2 + jnp.arange(2))
        assert _name(f(jnp.ones(2)).dtype) == "float64"
    # the same jitted-function pattern after switching back makes 32-bit values again
    f32 = portax.jit(lambda x: x * 2 + jnp.arange(2))
    assert _name(f32(jnp.ones(2)).dtype) == "float32"


def test_config_update_and_environment(monkeypatch):
    from portax._src.config import Config

    monkeypatch.setenv("JAX_ENABLE_X64", "1")
    assert Config().jax_enable_x64 is True
    monkeypatch.setenv("PORTAX_ENABLE_X64", "0")  # portax's own variable wins over JAX's
    assert Config().jax_enable_x64 is False
    portax.config.update("jax_enable_x64", True)
    assert portax.config.jax_enable_x64 and portax.dtypes.canonicalize_dtype("float64") == np.float64
    portax.config.update("jax_enable_x64", False)
    assert portax.dtypes.canonicalize_dtype("float64") == np.float32
    with pytest.raises(ValueError, match="boolean"):
        portax.config.update("jax_enable_x64", "maybe")


@pytest.mark.parametrize("sampler", ["uniform", "bits"])
def test_random_64bit_bit_identical_to_jax_x64(backend, jax_reference, sampler):
    jax, _ = jax_reference
    with jax.enable_x64(True):
        key = jax.random.PRNGKey(7)
        expected = np.asarray(
            jax.random.uniform(key, (64,)) if sampler == "uniform" else jax.random.bits(key, (64,), dtype="uint64")
        )
    with portax.enable_x64():
        key = portax.random.PRNGKey(7)
        got = portax.random.uniform(key, (64,)) if sampler == "uniform" else portax.random.bits(key, (64,), "uint64")
        got = to_numpy(got)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_random_normal_float64_close_to_jax_x64(backend, jax_reference):
    jax, _ = jax_reference
    with jax.enable_x64(True):
        expected = np.asarray(jax.random.normal(jax.random.PRNGKey(3), (256,)))
    with portax.enable_x64():
        got = to_numpy(portax.random.normal(portax.random.PRNGKey(3), (256,)))
    assert got.dtype == np.float64
    # same uniform bits; erfinv differs in the last ulps between XLA and torch
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-14)


@pytest.mark.filterwarnings("ignore:Explicitly requested dtype")
def test_explicit_float64_with_x64_off_is_the_documented_sharp_bit(backend_name, backend):
    # JAX with x64 off cannot hold float64 and turns the request into float32 (with a warning); torch has no such
    # limit and keeps the float64 asked for (docs/sharp-bits.md, "Requesting float64 while x64 is off"). Defaults
    # (no dtype given) are 32-bit on both. x64 on gives float64 on both.
    x = jnp.zeros(2, dtype="float64")
    assert _name(x.dtype) == ("float32" if backend_name == "jax" else "float64")
    with portax.enable_x64():
        assert _name(jnp.zeros(2, dtype="float64").dtype) == "float64"
