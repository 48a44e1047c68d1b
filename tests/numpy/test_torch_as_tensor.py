"""The torch backend has one ``as_tensor`` and it follows the x64 mode (issue 12): before, the copy used by indexing,
linalg and fft hard-coded int32/complex64, so what x64 gave depended on which file an op lived in.

A torch-only test (it reads the backend's helper), with JAX's canonical dtypes (``jax.dtypes.canonicalize_dtype``'s rule) as the reference."""

from __future__ import annotations

import numpy as np
import portax
import pytest


@pytest.fixture
def restored_x64():
    saved = portax.config.jax_enable_x64
    yield
    portax.config.update("jax_enable_x64", saved)


@pytest.mark.parametrize("x64", [False, True])
def test_torch_as_tensor_gives_jax_default_dtypes_in_both_x64_modes(backend, restored_x64, x64):
    if backend.name != "torch":
        pytest.skip("the torch backend's own helper")
    from portax_torch._common import as_tensor

    portax.config.update("jax_enable_x64", x64)
    for value in ([1, 2], np.arange(3), np.ones(2), np.ones(2, np.complex128), np.ones(2, np.uint64), 3, 2.5):
        expected = np.asarray(value).dtype  # JAX with x64 on keeps NumPy's 64-bit dtypes; off, they become 32-bit
        if not x64:
            expected = {np.dtype("int64"): np.dtype("int32"), np.dtype("float64"): np.dtype("float32"),
                        np.dtype("complex128"): np.dtype("complex64"), np.dtype("uint64"): np.dtype("uint32")}.get(
                expected, expected)  # fmt: skip
        got = as_tensor(value).dtype
        assert str(got).removeprefix("torch.") == np.dtype(expected).name, (value, x64, got)
