"""``portax.ops.segment_*`` on every backend against real ``jax.ops`` (values, shapes, dtypes), under jit, vmap and
grad."""

from __future__ import annotations

import numpy as np
import portax
import portax.ops as pops
import pytest
from helpers import as_backend, check, to_numpy

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

DATA = np.array([[1.0, -2.0], [3.0, 0.5], [-1.0, 4.0], [2.0, 2.0], [0.5, -3.0], [6.0, 1.0]], np.float32)
IDS = np.array([0, 0, 2, 2, 2, 7], np.int32)  # segment 1 empty, id 7 out of range for num_segments=4
INTS = np.array([5, -3, 2, 9, 1, 4], np.int32)
NAMES = ["segment_sum", "segment_prod", "segment_max", "segment_min"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("values", ["float", "int"])
def test_matches_jax(xp, name, values):
    data = DATA if values == "float" else INTS
    expected = getattr(jax.ops, name)(jnp.asarray(data), jnp.asarray(IDS), num_segments=4)
    result = getattr(pops, name)(as_backend(xp, data), as_backend(xp, IDS), num_segments=4)
    check(result, to_numpy(expected))


@pytest.mark.parametrize("name", NAMES)
def test_default_num_segments_negative_ids_and_buckets(xp, name):
    ids = np.array([0, -1, 1, 1, 3, 0], np.int32)
    expected = getattr(jax.ops, name)(jnp.asarray(DATA), jnp.asarray(np.abs(ids)))
    check(getattr(pops, name)(as_backend(xp, DATA), as_backend(xp, np.abs(ids))), to_numpy(expected))
    expected = getattr(jax.ops, name)(jnp.asarray(DATA), jnp.asarray(ids), num_segments=4)
    check(getattr(pops, name)(as_backend(xp, DATA), as_backend(xp, ids), num_segments=4), to_numpy(expected))
    expected = getattr(jax.ops, name)(jnp.asarray(DATA), jnp.asarray(IDS), num_segments=4, bucket_size=4)
    result = getattr(pops, name)(as_backend(xp, DATA), as_backend(xp, IDS), num_segments=4, bucket_size=4)
    check(result, to_numpy(expected))


def test_under_jit_vmap_and_grad(xp):
    ids = as_backend(xp, IDS)
    jitted = portax.jit(lambda d: pops.segment_sum(d, ids, num_segments=4))
    check(jitted(as_backend(xp, DATA)), to_numpy(jax.ops.segment_sum(DATA, IDS, num_segments=4)))
    batched = portax.vmap(lambda d: pops.segment_max(d, ids, num_segments=4), in_axes=1, out_axes=1)
    check(batched(as_backend(xp, DATA)), to_numpy(jax.ops.segment_max(DATA, IDS, num_segments=4)))
    grad = portax.grad(lambda d: pops.segment_sum(d, ids, num_segments=4)[2, 0] * 3.0)(as_backend(xp, DATA))
    expected = jax.grad(lambda d: jax.ops.segment_sum(d, IDS, num_segments=4)[2, 0] * 3.0)(jnp.asarray(DATA))
    check(grad, to_numpy(expected))


def test_errors(xp):
    with pytest.raises(TypeError, match="integer"):
        pops.segment_sum(as_backend(xp, DATA), as_backend(xp, DATA[:, 0]), num_segments=2)
    with pytest.raises(ValueError, match="non-negative"):
        pops.segment_sum(as_backend(xp, DATA), as_backend(xp, IDS), num_segments=-1)
