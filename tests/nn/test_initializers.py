"""portax.nn.initializers equal jax.nn.initializers for the same key, on every backend (bit-identical portax.random)."""

from __future__ import annotations

import numpy as np
import portax
import portax.nn.initializers as pinit
import pytest
from helpers import to_numpy

jax = pytest.importorskip("jax")
jinit = jax.nn.initializers

CASES = [
    ("glorot_uniform", (), (5, 7)),
    ("glorot_normal", (), (5, 7)),
    ("he_uniform", (), (3, 3, 4, 8)),
    ("he_normal", (), (6, 4)),
    ("lecun_uniform", (), (6, 4)),
    ("lecun_normal", (), (6, 4)),
    ("xavier_uniform", (), (4, 4)),
    ("kaiming_normal", (), (4, 4)),
    ("orthogonal", (), (6, 4)),
    ("orthogonal", (2.0, 0), (3, 5)),
    ("orthogonal", (), (2, 3, 4)),
    ("normal", (0.5,), (4, 3)),
    ("uniform", (2.0,), (4, 3)),
    ("truncated_normal", (0.3,), (4, 3)),
    ("truncated_normal", (1.0, None, -1.0, 0.5), (50,)),
    ("constant", (0.25,), (2, 3)),
]


@pytest.mark.parametrize(("name", "args", "shape"), CASES, ids=[f"{c[0]}{c[2]}" for c in CASES])
def test_equal_to_jax_for_the_same_key(backend, name, args, shape):
    seed = 42
    got = getattr(pinit, name)(*args)(portax.random.key(seed), shape)
    expected = getattr(jinit, name)(*args)(jax.random.key(seed), shape)
    assert portax.backend_of(got) is backend
    got = to_numpy(got)
    assert got.shape == shape and got.dtype == np.float32
    np.testing.assert_allclose(got, np.asarray(expected), rtol=2e-6, atol=2e-7)


@pytest.mark.parametrize(
    ("mode", "distribution", "axes"),
    [("fan_in", "truncated_normal", {}), ("fan_out", "uniform", {}), ("fan_avg", "normal", {}),
     ("fan_geo_avg", "uniform", {"in_axis": 0, "out_axis": 1, "batch_axis": 2})],
)
def test_variance_scaling_matches_jax(backend, mode, distribution, axes):
    key = portax.random.key(7)
    got = pinit.variance_scaling(0.5, mode, distribution, **axes)(key, (4, 6, 3))
    expected = jinit.variance_scaling(0.5, mode, distribution, **axes)(jax.random.key(7), (4, 6, 3))
    np.testing.assert_allclose(to_numpy(got), np.asarray(expected), rtol=2e-6, atol=2e-7)


def test_zeros_ones_and_errors(backend):
    key = portax.random.key(0)
    assert to_numpy(pinit.zeros(key, (2, 3))).tolist() == [[0.0] * 3] * 2
    assert to_numpy(pinit.ones(key, 4)).tolist() == [1.0] * 4
    with pytest.raises(ValueError, match="mode"):
        pinit.variance_scaling(1.0, "fan_middle", "normal")
    with pytest.raises(ValueError, match="2D"):
        pinit.orthogonal()(key, (4,))
    with pytest.raises(ValueError, match="in_axis"):
        pinit.glorot_uniform()(key, (4,))
    with pytest.raises(TypeError, match="complex"):
        pinit.normal()(key, (2,), portax.numpy.complex64)
