"""``finfo``/``iinfo`` take any engine's dtype object, whichever backend is current (``jnp.finfo(torch.float32)``
with the jax backend current raised ``TypeError``)."""

from __future__ import annotations

import numpy as np
import pytest


def test_finfo_and_iinfo_of_torch_dtypes_on_every_backend(xp):
    torch = pytest.importorskip("torch")
    assert float(xp.finfo(torch.float32).eps) == float(np.finfo(np.float32).eps)
    assert int(xp.finfo(torch.float16).bits) == 16
    assert int(xp.iinfo(torch.int32).max) == np.iinfo(np.int32).max
    assert int(xp.iinfo(torch.uint8).max) == 255
