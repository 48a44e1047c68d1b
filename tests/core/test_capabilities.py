"""Declared capabilities: a declared feature works, a missing one raises UnsupportedError before any work."""

from __future__ import annotations

import types

import numpy as np
import portax
import portax.numpy as pnp
import pytest
from helpers import check, to_numpy
from portax._src import registry
from portax._src.backend import KNOWN_CAPABILITIES
from portax.errors import UnsupportedError


def test_capabilities_are_declared(backend):
    capabilities = backend.capabilities
    assert isinstance(capabilities, frozenset)
    assert "numpy" in capabilities
    assert backend.devices(), "a backend has at least one device"


@pytest.mark.parametrize(("capability", "namespace"), [("linalg", "numpy_linalg"), ("fft", "numpy_fft")])
def test_submodule_capability_matches_namespace(backend, xp, capability, namespace):
    declared = capability in backend.capabilities
    assert (getattr(backend, namespace) is not None) == declared
    matrix = np.eye(2, dtype=np.float32)
    call = (lambda: xp.linalg.inv(xp.asarray(matrix))) if capability == "linalg" else (
        lambda: xp.fft.fft(xp.asarray(matrix[0])))
    if declared:
        call()
    else:
        with pytest.raises(UnsupportedError, match=backend.name):
            call()


def test_complex_capability(backend, xp):
    if "complex" not in backend.capabilities:
        pytest.skip(f"{backend.name} declares no complex support")
    data = np.array([1 + 2j, 3 - 1j], np.complex64)
    check(xp.multiply(xp.asarray(data), xp.asarray(data)), data * data)


def test_float64_capability(backend, xp):
    data = np.array([1.0 + 1e-12, 2.0])
    if "float64" in backend.capabilities and backend.name != "jax":
        x = xp.asarray(data, dtype=xp.float64)
        assert to_numpy(x).dtype == np.float64
        np.testing.assert_array_equal(to_numpy(x), data)
    else:
        # without float64 (JAX with x64 off), 64-bit inputs are canonicalised to 32 bits (jax.numpy.asarray)
        assert to_numpy(xp.asarray(data)).dtype == np.float32


def test_known_capability_names_cover_the_numpy_family():
    assert {"numpy", "linalg", "fft", "float64", "complex"} <= KNOWN_CAPABILITIES


class _NeverCreatedArray:
    """An array type nothing creates, so the fake backend never owns real arrays."""


class _FakeBackend(portax.Backend):
    """A plugin with only ``zeros``: what a partial third-party backend looks like to core."""

    name = "fake-partial"
    distribution = "portax-fake-partial"
    priority = -100
    array_modules = ("never_imported_engine",)

    @property
    def array_types(self):
        return (_NeverCreatedArray,)

    @property
    def numpy(self):
        return types.SimpleNamespace(
            asarray=lambda value, dtype=None, **kwargs: np.asarray(value, np.float32),
            zeros=lambda shape, dtype=None, **kwargs: np.zeros(shape, np.float32),
        )

    @property
    def dtypes(self):
        return {"float32": np.float32}

    @property
    def capabilities(self):
        return frozenset({"numpy"})

    def devices(self):
        return ["cpu"]


@pytest.fixture
def fake_backend(monkeypatch):
    monkeypatch.setattr(registry, "_classes", dict(registry._backend_classes()))
    monkeypatch.setattr(registry, "_instances", dict(registry._instances))
    portax.register_backend(_FakeBackend)
    yield portax.get_backend("fake-partial")
    registry._invalidate()


def test_missing_function_and_capability_raise_unsupported_naming_backend_and_feature(fake_backend):
    assert "fake-partial" in portax.backends()
    with portax.use_backend("fake-partial"):
        assert to_numpy(pnp.zeros(2)).shape == (2,)
        assert pnp.float32 is np.float32
        with pytest.raises(UnsupportedError, match=r"fake-partial.*linalg\.inv") as info:
            pnp.linalg.inv(np.eye(1))  # an array: jax.numpy refuses lists here (TypeError)
        assert info.value.backend == "fake-partial"
        with pytest.raises(UnsupportedError, match=r"fake-partial.*fft\.fft"):
            pnp.fft.fft(np.ones(2))
        with pytest.raises(UnsupportedError, match=r"fake-partial.*sin"):
            pnp.sin(1.0)
        with pytest.raises(AttributeError, match="int32"):
            pnp.int32  # noqa: B018  (a dtype the backend lacks)
