"""Reductions, cumulative scans, sorting and ``top_k`` of ``portax.lax`` against real ``jax.lax`` on every backend:
values, shapes, dtypes (reductions keep the operand's dtype), ties and NaNs, JAX's errors, and compositions."""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import assert_native, to_numpy
from lax_util import check_both

rng = np.random.default_rng(0)
F = rng.normal(size=(3, 4, 5)).astype(np.float32)
INTS = rng.integers(-50, 50, size=(3, 4, 5)).astype(np.int32)
BITS = rng.integers(0, 2**20, size=(4, 6)).astype(np.int32) - 2**19
BOOLS = rng.random((4, 6)) > 0.5
TIES = np.array([[3.0, 1.0, 3.0, np.nan, 2.0, 2.0], [0.0, -0.0, 5.0, 5.0, -1.0, 5.0]], np.float32)


def compare(ours, theirs, rtol=2e-5):
    if isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            compare(a, b, rtol)
        return
    assert_native(ours)
    actual, expected = to_numpy(ours), np.asarray(theirs)
    assert actual.dtype == expected.dtype, f"dtype {actual.dtype} != {expected.dtype}"
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=1e-5, equal_nan=True)


CASES = {
    "reduce_sum": (lambda lax, x: lax.reduce_sum(x, (0, 2)), F),
    "reduce_sum_int": (lambda lax, x: lax.reduce_sum(x, (1,)), INTS),
    "reduce_sum_none": (lambda lax, x: lax.reduce_sum(x, ()), F),
    "reduce_prod": (lambda lax, x: lax.reduce_prod(x, (2,)), F),
    "reduce_max": (lambda lax, x: lax.reduce_max(x, (0, 1)), F),
    "reduce_max_nan": (lambda lax, x: lax.reduce_max(x, (1,)), TIES),
    "reduce_min_int": (lambda lax, x: lax.reduce_min(x, (2,)), INTS),
    "reduce_min_bool": (lambda lax, x: lax.reduce_min(x, (1,)), BOOLS),
    "reduce_and_bool": (lambda lax, x: lax.reduce_and(x, (1,)), BOOLS),
    "reduce_or_bool": (lambda lax, x: lax.reduce_or(x, (0,)), BOOLS),
    "reduce_xor_bool": (lambda lax, x: lax.reduce_xor(x, (1,)), BOOLS),
    "reduce_and_int": (lambda lax, x: lax.reduce_and(x, (1,)), BITS),
    "reduce_or_int": (lambda lax, x: lax.reduce_or(x, (0,)), BITS),
    "reduce_xor_int": (lambda lax, x: lax.reduce_xor(x, (0, 1)), BITS),
    "argmax": (lambda lax, x: lax.argmax(x, 1, "int32"), F),
    "argmax_ties_nan": (lambda lax, x: lax.argmax(x, 1, "int32"), TIES),
    "argmin_ties": (lambda lax, x: lax.argmin(x, 1, "int32"), TIES),
    "argmin_int": (lambda lax, x: lax.argmin(x, 2, "int16"), INTS),
    "argmax_bool": (lambda lax, x: lax.argmax(x, 0, "int32"), BOOLS),
    "cumsum": (lambda lax, x: lax.cumsum(x, 1), F),
    "cumsum_reverse_int": (lambda lax, x: lax.cumsum(x, 2, reverse=True), INTS),
    "cumprod": (lambda lax, x: lax.cumprod(x / 2, 0), F),
    "cummax": (lambda lax, x: lax.cummax(x, 2), F),
    "cummax_reverse": (lambda lax, x: lax.cummax(x, 1, reverse=True), INTS),
    "cummin": (lambda lax, x: lax.cummin(x, 0), F),
    "cumlogsumexp": (lambda lax, x: lax.cumlogsumexp(x, 2), F),
    "cumlogsumexp_reverse": (lambda lax, x: lax.cumlogsumexp(x, 1, reverse=True), F),
    "sort": (lambda lax, x: lax.sort(x), F),
    "sort_dimension": (lambda lax, x: lax.sort(x, dimension=0), INTS),
    "sort_nan": (lambda lax, x: lax.sort(x), TIES),
    "sort_tuple": (lambda lax, x: lax.sort((x,), dimension=1), F),
    "sort_multi": (lambda lax, x: lax.sort((x % 3, x, -x), dimension=2, num_keys=1), INTS),
    "sort_two_keys": (lambda lax, x: lax.sort((x % 3, -x, x * 2), dimension=1, num_keys=2), INTS),
    "sort_key_val": (lambda lax, x: lax.sort_key_val(x % 4, x, dimension=2), INTS),
    "top_k": (lambda lax, x: lax.top_k(x, 3), F),
    "top_k_ties_nan": (lambda lax, x: lax.top_k(x, 4), TIES),
    "top_k_axis": (lambda lax, x: lax.top_k(x, 2, axis=0), INTS),
    "reduce_add": (lambda lax, x: lax.reduce(x, 0.0, lax.add, (0, 2)), F),
    "reduce_max_init": (lambda lax, x: lax.reduce(x, 0, lax.max, (1,)), INTS),
    "reduce_mul_init": (lambda lax, x: lax.reduce(x, 2.0, lax.mul, (2,)), F),
    "reduce_pytree": (
        lambda lax, x: lax.reduce((x, x * x), (0.0, 0.0), lambda a, b: (lax.add(a[0], b[0]), lax.add(a[1], b[1])), (1,)),
        F,
    ),
    "reduce_generic": (lambda lax, x: lax.reduce(x, -np.inf, lambda a, b: lax.max(a, b), (0, 2)), F),
}


@pytest.mark.parametrize("case", list(CASES))
def test_reductions_match_jax(case, xp, jax_reference):
    jax, jnp = jax_reference
    call, operand = CASES[case]
    compare(call(portax.lax, xp.asarray(operand)), call(jax.lax, jnp.asarray(operand)))


def _error(function):
    with pytest.raises(Exception) as info:  # noqa: PT011 (compared with JAX's below)
        function()
    return info.value


ERRORS = {
    "reduce_sum_axis": lambda lax, x: lax.reduce_sum(x, (3,)),
    "reduce_max_negative": lambda lax, x: lax.reduce_max(x, (-1,)),
    "reduce_sum_duplicate": lambda lax, x: lax.reduce_sum(x, (0, 0)),
    "reduce_sum_bool": lambda lax, x: lax.reduce_sum(x > 0, (0,)),
    "reduce_and_float": lambda lax, x: lax.reduce_and(x, (0,)),
    "argmax_axis": lambda lax, x: lax.argmax(x, 3, "int32"),
    "argmax_index_dtype": lambda lax, x: lax.argmax(x, 0, "float32"),
    "cumsum_axis": lambda lax, x: lax.cumsum(x, 3),
    "cumsum_bool": lambda lax, x: lax.cumsum(x > 0, 0),
    "sort_num_keys": lambda lax, x: lax.sort((x, x), num_keys=3),
    "sort_shapes": lambda lax, x: lax.sort((x, x[0])),
    "sort_dimension": lambda lax, x: lax.sort(x, dimension=3),
    "top_k_large": lambda lax, x: lax.top_k(x, 6),
    "top_k_negative": lambda lax, x: lax.top_k(x, -1),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_match_jax(case, xp, jax_reference):
    jax, jnp = jax_reference
    ours = _error(lambda: ERRORS[case](portax.lax, xp.asarray(F)))
    theirs = _error(lambda: ERRORS[case](jax.lax, jnp.asarray(F)))
    assert type(ours) is type(theirs)
    assert str(ours) == str(theirs)


# -- compositions -----------------------------------------------------------------------------------------------------


def build_reducing(t, lax, np_like):
    def program(x):
        total = lax.reduce_sum(lax.mul(x, x), (0,)) + lax.reduce_max(x, (0,)) - lax.reduce_min(x, (0,))
        running = lax.cumsum(x, 1) * lax.cumlogsumexp(x, 1, reverse=True) + lax.cumprod(lax.tanh(x), 0)
        peaks = lax.cummax(x, 1) + lax.cummin(x, 0, reverse=True)
        ordered = lax.sort(x, dimension=1)
        values, _ = lax.top_k(x, 2)
        return lax.reduce_sum(running + peaks + ordered, (0,)) + total + lax.reduce_sum(values, (1,))[:1]

    return program


@pytest.mark.parametrize("mode", ["eager", "jit_grad", "jit_vmap"])  # eager vmap_grad: test_sort_key_val_...
def test_reduction_program_under_transforms(mode, xp, jax_reference):
    """Distinct values (no ties), so every gradient is defined the same way on every backend."""
    x = rng.permutation(np.linspace(-1.5, 1.7, 12)).astype(np.float32).reshape(3, 4)
    if mode in ("vmap", "vmap_grad", "jit_vmap"):
        x = np.stack([x, x[::-1] * 0.5 + 0.1])
    check_both(build_reducing, mode, xp, jax_reference, x, rtol=1e-4, atol=1e-4)


def build_sort_pairs(t, lax, np_like):
    def program(keys, values):
        sorted_keys, sorted_values = lax.sort_key_val(keys, values)
        return sorted_values * lax.convert_element_type(lax.iota("int32", keys.shape[-1]), values.dtype) + sorted_keys

    return program


@pytest.mark.parametrize("mode", ["jit", "grad", "vmap_grad"])
def test_sort_key_val_under_transforms(mode, xp, jax_reference):
    keys = np.array([[0.3, -1.0, 2.0, 0.1], [1.0, 0.5, -0.5, 0.0]], np.float32)
    values = np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]], np.float32)
    if mode in ("jit", "grad"):
        keys, values = keys[0], values[0]
    check_both(build_sort_pairs, mode, xp, jax_reference, keys, values)


def test_reduce_max_gradient_splits_ties(xp):
    """JAX's reduce_max gradient is shared equally among tied maxima."""
    grad = portax.grad(lambda x: portax.lax.reduce_max(x, (0,)))(xp.asarray(np.array([1.0, 3.0, 3.0], np.float32)))
    np.testing.assert_allclose(to_numpy(grad), [0.0, 0.5, 0.5])
