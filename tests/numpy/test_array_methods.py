"""``jax.Array`` methods on every backend's native arrays: JAX's own on JAX, the names portax adds to ``torch.Tensor``.

The reference is NumPy (values) and the JAX method's documented meaning; each name is checked eagerly and inside
``jit``, ``grad`` and ``vmap`` (on torch: ``torch.compile`` and ``torch.func``'s wrapped tensors).
"""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)


def test_at_method_updates_a_copy(xp):
    x = xp.arange(4.0)
    y = x.at[1].set(5.0)
    z = x.at[xp.asarray([0, 0])].add(1.0)  # repeated indices accumulate
    np.testing.assert_array_equal(to_numpy(y), [0.0, 5.0, 2.0, 3.0])
    np.testing.assert_array_equal(to_numpy(z), [2.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(to_numpy(x), [0.0, 1.0, 2.0, 3.0])  # never mutated
    assert float(x.at[10].get(mode="clip")) == 3.0


@pytest.mark.parametrize(("spelling", "expected"), [("int32", "int32"), (np.float16, "float16"), ("float32", "float32")])
def test_astype_accepts_any_dtype_spelling(xp, spelling, expected):
    x = xp.asarray([1.5, -2.5])
    assert xp.dtype(x.astype(spelling)) == np.dtype(expected)
    assert xp.dtype(x.astype(xp.int32)) == np.dtype("int32")


def test_runtime_methods(backend_name, xp):
    x = xp.arange(3.0)
    assert x.block_until_ready() is x
    assert x.copy_to_host_async() is None
    np.testing.assert_array_equal(to_numpy(x.addressable_data(0)), [0.0, 1.0, 2.0])
    devices = x.devices()
    assert isinstance(devices, set) and len(devices) == 1
    if backend_name == "torch":
        with pytest.raises(IndexError, match="index 0"):
            x.addressable_data(1)


def test_numpy_style_methods_torch_lacks(xp):
    x = xp.asarray([3.0, 1.0, 4.0, 1.0, 5.0])
    np.testing.assert_array_equal(to_numpy(xp.sort(x).searchsorted(4.0)), 3)
    assert float(x.ptp()) == 4.0
    np.testing.assert_array_equal(to_numpy(x.compress(x > 2.0)), [3.0, 4.0, 5.0])
    np.testing.assert_array_equal(to_numpy(x.copy()), to_numpy(x))
    np.testing.assert_array_equal(to_numpy(xp.asarray([1 + 2j]).conjugate()), [1 - 2j])
    np.testing.assert_array_equal(to_numpy(xp.asarray([0, 1, 0]).choose([xp.asarray([1, 2, 3]), xp.asarray([4, 5, 6])])), [1, 5, 3])
    assert int(x.argpartition(0)[0]) in (1, 3)


def _loss(x):
    import portax.numpy as jnp

    y = x.at[1].multiply(3.0).astype(jnp.float32)
    return (y**2).sum()


def test_methods_under_transformations(xp):
    x = xp.arange(4.0)
    expected_grad = 2.0 * np.arange(4.0) * np.array([1.0, 9.0, 1.0, 1.0])
    assert float(portax.jit(_loss)(x)) == pytest.approx(float(_loss(x))) == pytest.approx(22.0)
    np.testing.assert_allclose(to_numpy(portax.grad(_loss)(x)), expected_grad)
    np.testing.assert_allclose(to_numpy(portax.jit(portax.grad(_loss))(x)), expected_grad)
    batch = xp.stack([x, x + 1.0])
    expected = [np.sum((np.array([1.0, 3.0, 1.0, 1.0]) * row) ** 2) for row in ([0, 1, 2, 3], [1, 2, 3, 4])]
    np.testing.assert_allclose(to_numpy(portax.vmap(_loss)(batch)), expected)
    np.testing.assert_allclose(to_numpy(portax.jit(portax.vmap(_loss))(batch)), expected)


def test_at_property_inside_jit_of_a_closure(xp):
    index = 2

    @portax.jit
    def scatter(x):
        return x.at[index].set(-1.0).at[:index].add(x[index])

    np.testing.assert_array_equal(to_numpy(scatter(xp.asarray([0.0, 0.0, 5.0]))), [5.0, 5.0, -1.0])


def test_torch_keeps_its_own_methods_when_portax_adds_names(backend_name, xp):
    # The names portax adds are only those torch lacks: torch's std (Bessel), repeat (tile) and size (a method)
    # keep their meaning for torch programs.
    if backend_name != "torch":
        pytest.skip("about torch's native tensors")
    import torch
    from portax_torch.tensor_methods import JAX_ONLY_NAMES

    t = torch.tensor([1.0, 2.0, 3.0, 4.0])
    assert float(t.std()) == pytest.approx(np.std([1, 2, 3, 4], ddof=1))
    assert t.repeat(2).tolist() == [1.0, 2.0, 3.0, 4.0] * 2
    assert t.size() == (4,)
    assert not any(hasattr(torch._C.TensorBase, name) for name in JAX_ONLY_NAMES)


def test_dtype_function_accepts_every_spelling(xp):
    x = xp.ones(2, dtype=xp.float32)
    for spelling in (x, x.dtype, xp.float32, "float32", np.float32, np.dtype("float32")):
        assert xp.dtype(spelling) == np.dtype("float32")
    assert xp.dtype(x.dtype).name == "float32" and xp.dtype(x.dtype).itemsize == 4
    assert xp.dtype(float) == np.dtype("float64")  # jax.numpy.dtype is numpy.dtype
    with pytest.raises(TypeError, match="dtype"):
        xp.dtype("not-a-dtype")
