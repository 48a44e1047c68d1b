"""portax.random gives jax.random's numbers on every backend: eagerly, under jit and under vmap.

Expected values come from ``reference_values.json``, generated once by real jax 0.10.2 (``make_reference_values.py``);
``test_reference_table_is_current`` checks the table against live jax where it is installed.
"""

from __future__ import annotations

import json
import pathlib
import warnings

import numpy as np
import portax
import portax.random as prandom
import pytest
from cases import CASES, FLOAT_TOLERANCE, SEEDS, call
from helpers import assert_native, to_numpy

TABLE = json.loads(pathlib.Path(__file__).with_name("reference_values.json").read_text())["values"]
CASE_IDS = [case[0] for case in CASES]
# the linalg samplers (multivariate_normal, orthogonal) stay out of jit/vmap here
TRACEABLE = {"bits", "bits_u8", "split", "fold_in", "uniform", "uniform_range", "randint", "permutation_int",
             "bernoulli", "choice", "choice_noreplace", "categorical", "normal", "exponential",
             # transforms of uniform/normal draws
             "pareto", "lognormal", "maxwell", "double_sided_maxwell", "weibull_min", "rayleigh", "wald",
             "geometric", "triangular"}  # fmt: skip
#: rejection loops (portax.lax.while_loop; on torch under jit torch's while_loop operator, whose tracing of the
#: unrolled Threefry rounds takes ~20-90 s per sampler on a small CPU: jit cases are marked slow)
LOOPS = {"gamma", "loggamma", "beta", "dirichlet", "poisson", "binomial", "binomial_btrs", "multinomial",
         "chisquare", "f", "t", "generalized_normal", "ball"}  # fmt: skip
JIT_CASES = [*sorted(TRACEABLE), *(pytest.param(c, marks=pytest.mark.slow) for c in sorted(LOOPS))]


def _expected(case_id: str, seed: int) -> np.ndarray:
    entry = TABLE[f"{case_id}/{seed}"]
    return np.asarray(entry["data"], dtype=np.float32 if entry["dtype"] in ("bfloat16", "float16") else entry["dtype"]
                      ).reshape(entry["shape"])  # fmt: skip


def _compare(result: object, case_id: str, seed: int, comparison: str) -> None:
    expected = _expected(case_id, seed)
    entry = TABLE[f"{case_id}/{seed}"]
    assert str(result.dtype).endswith(entry["dtype"]), (result.dtype, entry["dtype"])
    if entry["dtype"] == "bfloat16":  # NumPy has no bfloat16 without ml_dtypes; torch refuses .numpy()
        import portax.numpy as pnp

        result = pnp.astype(result, pnp.float32)
    actual = to_numpy(result)
    assert actual.shape == expected.shape
    if actual.dtype.name in ("bfloat16", "float16"):
        actual = actual.astype(np.float32)
    if comparison == "exact":
        np.testing.assert_array_equal(actual, expected)
    else:
        np.testing.assert_allclose(actual, expected, **FLOAT_TOLERANCE)


def _run(xp, case_id: str, seed: int):
    _, function, kwargs, _ = next(case for case in CASES if case[0] == case_id)
    key = prandom.PRNGKey(seed)
    return call(prandom, lambda v: xp.asarray(np.asarray(v, np.float32)), key, function, kwargs)


def test_key_is_raw_key_data(xp):
    for seed in SEEDS:
        key = prandom.key(seed)
        assert_native(key)
        np.testing.assert_array_equal(to_numpy(key), np.asarray(TABLE[f"key_{seed}"], np.uint32))
        assert to_numpy(key).dtype == np.uint32
        np.testing.assert_array_equal(to_numpy(prandom.PRNGKey(seed)), to_numpy(key))
        assert prandom.key_data(key) is key
        assert prandom.wrap_key_data(key) is key


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case_id", CASE_IDS)
def test_matches_jax_eagerly(xp, case_id, seed):
    comparison = next(case[3] for case in CASES if case[0] == case_id)
    result = _run(xp, case_id, seed)
    assert_native(result)
    _compare(result, case_id, seed, comparison)


@pytest.mark.parametrize("case_id", JIT_CASES)
def test_matches_jax_under_jit(xp, case_id):
    seed = 42
    comparison = next(case[3] for case in CASES if case[0] == case_id)
    _, function, kwargs, _ = next(case for case in CASES if case[0] == case_id)
    array = lambda v: xp.asarray(np.asarray(v, np.float32))  # noqa: E731
    jitted = portax.jit(lambda key: call(prandom, array, key, function, kwargs))
    _compare(jitted(prandom.PRNGKey(seed)), case_id, seed, comparison)


@pytest.mark.parametrize("case_id", sorted(TRACEABLE | LOOPS))
def test_matches_eager_under_vmap(xp, case_id):
    _, function, kwargs, comparison = next(case for case in CASES if case[0] == case_id)
    array = lambda v: xp.asarray(np.asarray(v, np.float32))  # noqa: E731
    keys = prandom.split(prandom.PRNGKey(3), 3)
    batched = to_numpy(portax.vmap(lambda key: call(prandom, array, key, function, kwargs))(keys))
    for i in range(3):
        single = to_numpy(call(prandom, array, keys[i], function, kwargs))
        if comparison == "exact":
            np.testing.assert_array_equal(batched[i], single)
        else:
            np.testing.assert_allclose(batched[i], single, **FLOAT_TOLERANCE)


def test_reference_table_is_current():
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    assert jax.config.jax_threefry_partitionable
    for seed in SEEDS[:1]:
        for case_id, function, kwargs, comparison in CASES:
            result = call(jax.random, lambda v: jnp.asarray(v, jnp.float32), jax.random.PRNGKey(seed), function, kwargs)
            _compare(result, case_id, seed, comparison)


@pytest.mark.parametrize("case_id", ["bits", "split", "fold_in", "uniform", "uniform_range", "uniform_bf16", "normal"])
def test_torch_compiled_kernels_match_jax(backend_name, monkeypatch, case_id):
    """torch-only: the compiled Threefry kernels (normally used from 4096 elements) give the same numbers."""
    if backend_name != "torch":
        pytest.skip("the compiled kernels are the torch backend's")
    monkeypatch.setenv("PORTAX_RANDOM_COMPILE_MIN_SIZE", "0")
    monkeypatch.setenv("PORTAX_RANDOM_COMPILE_AFTER", "0")  # compile at the first call instead of after 2 s eager
    with portax.use_backend("torch"), warnings.catch_warnings():
        warnings.simplefilter("ignore", portax.errors.CompileNoticeWarning)
        import portax.numpy as pnp

        comparison = next(case[3] for case in CASES if case[0] == case_id)
        _compare(_run(pnp, case_id, 42), case_id, 42, comparison)


def test_torch_kernels_run_eagerly_until_compiling_pays_then_announce_the_compile(backend_name, monkeypatch):
    """torch-only: a draw never waits seconds for a silent compile (issue 17): eager first, then a noticed compile."""
    if backend_name != "torch":
        pytest.skip("the tiered PRNG kernels are the torch backend's")
    import torch
    from portax_torch.random import TorchRandomOps

    calls = []

    def double(x):
        calls.append(x.shape)
        return x * 2

    ops = TorchRandomOps()
    x = np.arange(5000, dtype=np.float32)
    monkeypatch.setenv("PORTAX_RANDOM_COMPILE", "aot_eager")
    monkeypatch.setenv("PORTAX_RANDOM_COMPILE_AFTER", "3600")
    with warnings.catch_warnings():
        warnings.simplefilter("error", portax.errors.CompileNoticeWarning)
        for _ in range(3):
            out = ops.kernel(double, x.size)(torch.as_tensor(x))
    assert len(calls) == 3, "below the threshold every call runs the Python function eagerly"
    np.testing.assert_array_equal(np.asarray(out), 2 * x)
    monkeypatch.setenv("PORTAX_RANDOM_COMPILE_AFTER", "0")
    with pytest.warns(portax.errors.CompileNoticeWarning, match="compiling the torch PRNG kernel 'double'"):
        out = ops.kernel(double, x.size)(torch.as_tensor(x))
    np.testing.assert_array_equal(np.asarray(out), 2 * x)
    with warnings.catch_warnings():
        warnings.simplefilter("error", portax.errors.CompileNoticeWarning)
        ops.kernel(double, x.size)(torch.as_tensor(x))  # announced once
