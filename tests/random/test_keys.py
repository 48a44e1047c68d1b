"""Keys: shape and dtype rules, split/fold_in shapes, and clear errors for values that are not keys."""

from __future__ import annotations

import numpy as np
import portax
import portax.random as prandom
import pytest
from helpers import to_numpy
from portax.errors import BackendMismatchError, PortaxError


def test_split_shapes(xp):
    key = prandom.key(0)
    assert tuple(prandom.split(key).shape) == (2, 2)
    assert tuple(prandom.split(key, 5).shape) == (5, 2)
    assert tuple(prandom.split(key, (2, 3)).shape) == (2, 3, 2)
    assert to_numpy(prandom.split(key)).dtype == np.uint32


def test_fold_in_equals_split_counter(xp):
    # the partitionable scheme hashes counter (0, data), the same counter split gives key number `data`
    key = prandom.key(7)
    np.testing.assert_array_equal(to_numpy(prandom.fold_in(key, 3)), to_numpy(prandom.split(key, 4)[3]))


def test_sampler_shapes_and_dtypes(xp):
    key = prandom.key(1)
    assert to_numpy(prandom.uniform(key, (2, 3))).shape == (2, 3)
    assert to_numpy(prandom.normal(key)).shape == ()
    assert to_numpy(prandom.randint(key, (4,), 0, 3, dtype=xp.int16)).dtype == np.int16
    assert to_numpy(prandom.uniform(key, (4,), dtype=xp.float16)).dtype == np.float16
    assert to_numpy(prandom.bits(key, (4,), dtype=xp.uint8)).dtype == np.uint8
    assert to_numpy(prandom.bernoulli(key, xp.asarray(np.full((2, 2), 0.5, np.float32)))).shape == (2, 2)


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros(2, np.float32),
        np.zeros(3, np.uint32),
        np.zeros((4, 2), np.uint32),
        3,
    ],
    ids=["float", "wrong-shape", "batch-of-keys", "python-int"],
)
def test_bad_keys_raise_portax_errors(xp, bad):
    value = bad if isinstance(bad, int) else xp.asarray(bad)
    with pytest.raises(prandom.InvalidKeyError, match="PRNG key"):
        prandom.uniform(value, (2,))
    assert issubclass(prandom.InvalidKeyError, PortaxError) and issubclass(prandom.InvalidKeyError, TypeError)


def test_key_of_another_backend_raises(backend_name):
    others = [name for name in portax.backends() if name != backend_name]
    if not others:
        pytest.skip("needs two backends")
    with portax.use_backend(others[0]):
        import portax.numpy as pnp

        foreign = pnp.asarray(np.array([0.5], np.float32))
    with portax.use_backend(backend_name):
        key = prandom.key(0)
        with pytest.raises(BackendMismatchError, match="key of the"):
            prandom.bernoulli(key, foreign)


def test_numpy_key_is_accepted(xp):
    key = np.array([0, 42], np.uint32)
    np.testing.assert_array_equal(to_numpy(prandom.bits(key, (3,))), to_numpy(prandom.bits(prandom.key(42), (3,))))


def test_keys_are_not_differentiated(xp):
    key = prandom.key(0)
    grad = portax.grad(lambda x: (x * prandom.normal(key, (3,))).sum())(xp.asarray(np.float32(2.0)))
    np.testing.assert_allclose(to_numpy(grad), to_numpy(prandom.normal(key, (3,))).sum(), rtol=1e-6)


@pytest.mark.parametrize(
    ("seed", "words"),
    [(-1, [0, 4294967295]), (-5, [0, 4294967291]), (2**32 + 5, [0, 5]), (2**31, [0, 2147483648])],
)
def test_seed_words_match_jax_x64_off(xp, seed, words):
    # values printed by jax 0.10.2 (x64 off): the seed wraps to 32 bits and the high word is 0
    np.testing.assert_array_equal(to_numpy(prandom.PRNGKey(seed)), np.asarray(words, np.uint32))
