"""Threefry-2x32, exactly as ``jax.random`` uses it by default (jax 0.10, ``jax_threefry_partitionable=True``).

Written once over 32-bit words held in int64 arrays (values in ``[0, 2**32)``), using only Python operators
(``+ ^ & | << >>``), so the same function runs on any engine whose int64 arrays support them: torch tensors, NumPy
arrays, traced values. Engines without unsigned 32-bit arithmetic (torch 2.13 eager ``torch.uint32`` lacks ``+``
and shifts) thereby get the same bits as XLA's ``threefry2x32`` primitive.

Counter derivation (JAX's partitionable scheme, ``jax/_src/random/threefry2x32.py`` in jax 0.10.2):

* ``bits(key, shape)``: element with flat index ``i`` hashes the counter pair ``(i >> 32, i & 0xFFFFFFFF)``;
  32-bit output is ``hi ^ lo`` of the hash, 8/16-bit outputs truncate that, 64-bit is ``hi << 32 | lo``.
* ``split(key, shape)``: new key ``i`` is the hash pair of counter ``(i >> 32, i & 0xFFFFFFFF)``.
* ``fold_in(key, data)``: the hash pair of counter ``(0, uint32(data))``.
* ``PRNGKey(seed)``: ``(seed >> 32, seed & 0xFFFFFFFF)`` of the (sign-extended) integer seed.
"""

from __future__ import annotations

import math
from typing import Any

MASK32 = 0xFFFFFFFF
#: Threefry-2x32 rotation constants (Salmon et al. 2011, Table 4), applied in groups of four.
ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
#: Key-schedule parity constant of Threefry (Skein's C240 truncated to 32 bits).
KEY_PARITY = 0x1BD11BDA
#: ``permutation``/``choice`` sort rounds: enough for collisions of 32-bit sort keys to be negligible (jax's
#: ``_shuffle`` uses ``ceil(3 * log(n) / log(2**32 - 1))``).
SHUFFLE_EXPONENT = 3


def mask32(value: Any) -> Any:
    """Wrap an int64 word to 32 bits (the ``wrap`` for int64 words; int32 words wrap by themselves)."""
    return value & MASK32


def _unchanged(value: Any) -> Any:
    return value


def threefry2x32(key0: Any, key1: Any, count0: Any, count1: Any, *, int32_words: bool = False) -> tuple[Any, Any]:
    """The Threefry-2x32 hash (20 rounds) of counters ``(count0, count1)`` under key ``(key0, key1)``.

    With ``int32_words=False`` all operands are int64 arrays holding 32-bit words in ``[0, 2**32)``, and so are the
    results. With ``int32_words=True`` they are int32 arrays holding the same bit patterns: additions and left
    shifts wrap by themselves (half the memory traffic, ~1.5x faster compiled on CPU); the right shift of the
    rotation is masked because int32 shifts are arithmetic.
    """
    wrap = _unchanged if int32_words else mask32
    schedule = (key0, key1, key0 ^ key1 ^ KEY_PARITY)
    x0 = wrap(count0 + schedule[0])
    x1 = wrap(count1 + schedule[1])
    for block in range(5):
        for distance in ROTATIONS[block % 2]:
            x0 = wrap(x0 + x1)
            rotated = wrap(x1 << distance) | ((x1 >> (32 - distance)) & ((1 << distance) - 1))
            x1 = rotated ^ x0
        # key injection after every four rounds: words rotate through the schedule, plus the block number
        x0 = wrap(x0 + schedule[(block + 1) % 3])
        x1 = wrap(x1 + schedule[(block + 2) % 3] + (block + 1))
    return x0, x1


def seed_words(seed: int) -> tuple[int, int]:
    """The raw key words of ``PRNGKey(seed)`` for a Python integer (jax's ``threefry_seed``, x64 off)."""
    # With x64 off jax converts the seed to int32 first (a seed outside int32 raises there; we wrap like numpy);
    # the high word is then the logical shift of that int32 by 32, which XLA defines as 0.
    value = int(seed)
    if not -(2**63) <= value < 2**64:
        raise OverflowError(f"PRNG seed {seed} does not fit in 64 bits")
    return 0, value & MASK32


def shuffle_rounds(size: int) -> int:
    """Number of sort rounds jax's ``_shuffle`` uses for ``size`` elements."""
    return int(math.ceil(SHUFFLE_EXPONENT * math.log(max(1, size)) / math.log(MASK32)))


# XLA's single-precision inverse error function (M. Giles, "Approximating the erfinv function", 2010), as lowered by
# ``lax.erf_inv`` for float32 on CPU in jax 0.10.2; torch.erfinv uses a different method (up to 63 ulp apart).
ERFINV_SMALL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)  # fmt: skip
ERFINV_LARGE = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)  # fmt: skip
