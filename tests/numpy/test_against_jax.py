"""A non-JAX backend against real ``jax.numpy`` (an independent engine, so a valid reference) where it is installed.

These cases are where NumPy is a poor reference because JAX's behaviour is the contract: weak-typed scalars,
x64-off dtypes, static-size variants (``size=``), ``.at[]`` out-of-bounds rules, tie-breaking in ``quantile``.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_backend, check, to_numpy

DATA = np.array([[3.0, -1.0, 2.5, 8.0], [0.5, 4.0, -2.0, 1.0], [7.0, 7.0, 0.0, -3.0]], np.float32)
INTS = np.array([3, 1, 3, 2, 1, 9], np.int32)

CASES = {
    "add_weak_int": lambda m, x, i: m.add(m.astype(i, m.int16), 1),
    "multiply_weak_float": lambda m, x, i: m.multiply(i, 2.5),
    "mean_int": lambda m, x, i: m.mean(i),
    "true_divide_int": lambda m, x, i: m.true_divide(i, 2),
    "floor_divide_neg": lambda m, x, i: m.floor_divide(-i, 2),
    "sum_bool": lambda m, x, i: m.sum(x > 0, axis=0),
    "cumsum": lambda m, x, i: m.cumsum(x, axis=1),
    "var_ddof": lambda m, x, i: m.var(x, axis=0, ddof=1),
    "median": lambda m, x, i: m.median(x, axis=1),
    "quantile_nearest": lambda m, x, i: m.quantile(x, 0.5, method="nearest"),
    "unique_size": lambda m, x, i: m.unique(i, size=6, fill_value=-1),
    "nonzero_size": lambda m, x, i: m.nonzero(x > 2, size=5)[1],
    "argsort_stable_desc": lambda m, x, i: m.argsort(i, stable=True, descending=True),
    "searchsorted": lambda m, x, i: m.searchsorted(m.sort(i), i, side="right"),
    "histogram_counts": lambda m, x, i: m.histogram(x, bins=4)[0],
    "bincount_length": lambda m, x, i: m.bincount(i, length=5),
    "linspace_array_stop": lambda m, x, i: m.linspace(0.0, x[0, 3], 9),
    "arange_float": lambda m, x, i: m.arange(0.0, 1.0, 0.3),
    "round_half_even": lambda m, x, i: m.round(x / 2),
    "clip": lambda m, x, i: m.clip(x, -1, 2),
    "where": lambda m, x, i: m.where(x > 1, x, -x),
    "matmul": lambda m, x, i: m.matmul(x, x.T),
    "einsum": lambda m, x, i: m.einsum("ij,kj->ik", x, x),
    "pad_reflect": lambda m, x, i: m.pad(x, 2, mode="reflect"),
    "convolve_int": lambda m, x, i: m.convolve(i, i[:3]),
    "interp": lambda m, x, i: m.interp(x[0], m.sort(x[1]), x[2]),
    "polyval": lambda m, x, i: m.polyval(x[0], x[1]),
    "take_clip": lambda m, x, i: m.take(x, i * 3, mode="clip"),
    "tri": lambda m, x, i: m.tri(3, 4, 1),
    "eye_int": lambda m, x, i: m.eye(3, dtype=m.int32),
    "heaviside": lambda m, x, i: m.heaviside(x, 0.5),
    "nan_to_num": lambda m, x, i: m.nan_to_num(m.log(x)),
    "logaddexp": lambda m, x, i: m.logaddexp(x, x.T.reshape(3, 4)),
    "sinc": lambda m, x, i: m.sinc(x),
    "remainder": lambda m, x, i: m.remainder(x, 1.5),
    "cov": lambda m, x, i: m.cov(x),
    "linalg_norm": lambda m, x, i: m.linalg.norm(x, axis=1),
    "fft_abs": lambda m, x, i: m.abs(m.fft.rfft(x)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_jax_numpy(xp, jnp_reference, case):
    function = CASES[case]
    expected = function(jnp_reference, jnp_reference.asarray(DATA), jnp_reference.asarray(INTS))
    result = function(xp, as_backend(xp, DATA), as_backend(xp, INTS))
    check(result, to_numpy(expected), rtol=1e-5, atol=1e-5)


def test_at_rules_match_jax(xp, jnp_reference):
    index = np.array([1, 5, -1, -7, 1], np.int32)
    values = np.arange(5, dtype=np.float32)
    x_jax = jnp_reference.asarray(DATA[0])
    x = as_backend(xp, DATA[0])
    check(xp.at(x)[as_backend(xp, index)].add(as_backend(xp, values)),
          to_numpy(x_jax.at[index].add(values)))
    check(xp.at(x)[as_backend(xp, index)].get(), to_numpy(x_jax.at[index].get()))
    check(xp.at(x)[as_backend(xp, index)].get(mode="fill", fill_value=-9.0),
          to_numpy(x_jax.at[index].get(mode="fill", fill_value=-9.0)))
    check(xp.at(x)[as_backend(xp, index)].max(as_backend(xp, values)), to_numpy(x_jax.at[index].max(values)))
