"""Per-backend dtypes, the array API version, native arrays in and out, NumPy arrays and scalars as inputs."""

from __future__ import annotations

import importlib

import numpy as np
import portax
import pytest
from helpers import assert_native, check, to_numpy

STANDARD_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "float32", "float64", "complex64", "complex128")


def test_array_api_version():
    import portax.numpy

    assert portax.numpy.__array_api_version__ == "2024.12"


@pytest.mark.parametrize("name", [*STANDARD_DTYPES, "float16"])
def test_dtype_attributes_resolve_per_backend(xp, backend, name):
    assert getattr(xp, name) is backend.dtypes[name]
    engine_dtype = {"jax": ("jax.numpy", name), "torch": ("torch", name)}.get(backend.name)
    if engine_dtype is not None:  # the first-party backends hand out their engine's own dtype objects
        module, attribute = engine_dtype
        assert getattr(xp, name) is getattr(importlib.import_module(module), attribute)


def test_torch_dtype_is_torch_dtype_under_torch():
    if "torch" not in portax.backends():
        pytest.skip("torch backend not installed")
    import portax.numpy as pnp
    import torch

    with portax.use_backend("torch"):
        assert pnp.float32 is torch.float32
        assert pnp.int32 is torch.int32
        assert pnp.bool is torch.bool


def test_unknown_dtype_attribute_is_attribute_error(xp):
    with pytest.raises(AttributeError):
        xp.float128_not_a_dtype  # noqa: B018


@pytest.mark.parametrize("name", ["float32", "int32", "bool", "complex64", "uint8", "int8", "int16"])
def test_dtype_objects_create_arrays_of_that_dtype(xp, name):
    x = xp.zeros((2,), dtype=getattr(xp, name))
    assert_native(x)
    assert to_numpy(x).dtype == np.dtype(name)
    assert x.dtype == getattr(xp, name)


def test_namespace_info_default_dtypes_follow_x64_off_policy(xp):
    info = xp.__array_namespace_info__()
    defaults = info.default_dtypes()
    assert defaults["real floating"] == xp.float32
    assert defaults["integral"] == xp.int32
    assert defaults["complex floating"] == xp.complex64
    assert xp.zeros(2).dtype == xp.float32
    assert xp.arange(3).dtype == xp.int32
    assert info.devices(), "no devices listed"


def test_constants(xp):
    assert xp.pi == np.pi and xp.e == np.e and xp.inf == np.inf and np.isnan(xp.nan)
    assert xp.newaxis is None
    assert xp.euler_gamma == pytest.approx(np.euler_gamma)


def test_native_arrays_in_native_arrays_out(xp, backend):
    x = xp.asarray(np.linspace(0, 1, 5, dtype=np.float32))
    assert isinstance(x, backend.array_types)
    for result in (xp.sin(x), xp.add(x, x), xp.sum(x), xp.reshape(x, (5, 1)), x + 1):
        assert_native(result)
        assert isinstance(result, backend.array_types)
    # the result is the engine's own array type, never a portax wrapper
    assert not type(xp.sin(x)).__module__.startswith("portax")


def test_numpy_arrays_and_scalars_as_inputs(xp):
    data = np.array([0.5, 1.5, -2.0], dtype=np.float32)
    check(xp.sin(data), np.sin(data))
    check(xp.add(data, 1), data + 1)
    check(xp.multiply(2.0, data), 2.0 * data)
    check(xp.sqrt(4.0), np.float32(2.0))
    check(xp.add(1, 2), np.int32(3))
    check(xp.asarray([1, 2, 3]), np.array([1, 2, 3], dtype=np.int32))
    check(xp.asarray(True), np.True_)
    check(xp.add(xp.asarray(data), data), data + data)


def test_python_scalars_are_weakly_typed(xp):
    # JAX promotion: a Python scalar does not widen an array's dtype (jax.numpy, x64 off).
    x16 = xp.asarray(np.ones(2, dtype=np.int16))
    check(xp.add(x16, 1), np.full(2, 2, dtype=np.int16))
    xf = xp.asarray(np.ones(2, dtype=np.float32))
    check(xp.multiply(xf, 2), np.full(2, 2, dtype=np.float32))
    xi = xp.asarray(np.ones(2, dtype=np.int32))
    check(xp.add(xi, 0.5), np.full(2, 1.5, dtype=np.float32))


def test_promotion_follows_the_standard(xp):
    pairs = [
        ("int8", "int16", "int16"),
        ("uint8", "int8", "int16"),
        ("int32", "float32", "float32"),
        ("float32", "complex64", "complex64"),
        ("bool", "int32", "int32"),
        ("uint8", "int32", "int32"),
    ]
    for left, right, result in pairs:
        a = xp.asarray(np.ones(2, dtype=left))
        b = xp.asarray(np.ones(2, dtype=right))
        assert to_numpy(xp.add(a, b)).dtype == np.dtype(result), (left, right)
        assert xp.result_type(a, b) == getattr(xp, result)
