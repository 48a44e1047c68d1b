"""Config option ``portax_jax_operators``: JAX's meaning for the operators torch refuses (``1 - mask``,
``np_array * x``, ``x[11]`` out of bounds); what torch computes itself is unchanged, and switching the option off restores torch's operators."""

from __future__ import annotations

import numpy as np
import portax
import pytest

A = np.array([1, 2, 3])  # int64 NumPy array: JAX canonicalizes it (int32), so float32 stays float32
MASK = np.array([True, False, True])


@pytest.fixture
def jax_operators():
    portax.config.update("portax_jax_operators", True)
    yield
    portax.config.update("portax_jax_operators", False)


def _check(value, expected, dtype: str) -> None:
    import portax.numpy as pnp

    assert pnp.dtype(value.dtype).name == dtype
    np.testing.assert_allclose(np.asarray(value), expected, rtol=1e-6)


def test_booleans_and_numpy_operands_compute_as_jax(xp, jax_operators):
    x = xp.asarray([0.5, 1.0, 2.0])
    mask = xp.asarray(MASK)
    _check(1 - mask, 1 - MASK.astype(np.int32), "int32")
    _check(mask - 1, MASK.astype(np.int32) - 1, "int32")
    _check(x - mask, [-0.5, 1.0, 1.0], "float32")
    _check(A * x, A * np.float32([0.5, 1.0, 2.0]), "float32")
    _check(x * A, A * np.float32([0.5, 1.0, 2.0]), "float32")  # torch alone: NumPy computes it, in float64
    _check(A - x, [0.5, 1.0, 1.0], "float32")
    _check(A / x, [2.0, 2.0, 1.5], "float32")
    _check(A @ x, 8.5, "float32")
    _check(A ** x, [1.0, 2.0, 9.0], "float32")
    _check(A >= x + 1, [False, True, True], "bool")
    _check(2 - x, [1.5, 1.0, 0.0], "float32")  # ordinary operators: unchanged
    _check(x[5], 2.0, "float32")  # an out-of-bounds read clamps, as in JAX
    _check(x[-7], 0.5, "float32")
    _check(x[1:], [1.0, 2.0], "float32")


def test_gradient_through_jax_operators(xp, jax_operators):
    mask = xp.asarray(MASK)

    def loss(w):
        return xp.sum((1 - mask) * w * A)

    grads = portax.grad(loss)(xp.asarray([1.0, 1.0, 1.0]))
    np.testing.assert_allclose(np.asarray(grads), (1 - MASK) * A)


def test_without_the_option_torch_keeps_its_operators(backend_name):
    if backend_name != "torch":
        pytest.skip("torch's own operators")
    import torch

    rsub = torch.Tensor.__rsub__
    portax.config.update("portax_jax_operators", True)
    portax.config.update("portax_jax_operators", False)
    assert torch.Tensor.__rsub__ is rsub and "__rmul__" not in vars(torch.Tensor)
    with pytest.raises(RuntimeError, match="bool"):
        1 - torch.tensor([True, False])
    with pytest.raises(TypeError):
        A * torch.ones(3)
    with pytest.raises(IndexError):
        torch.ones(3)[5]
