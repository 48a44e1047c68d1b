"""Differential tests: ``portax.numpy`` against real ``jax.numpy`` on random inputs (values, shapes and dtypes).

Hypothesis draws shapes (0-d and zero-size included), dtypes (bool, signed and unsigned integers, floats), and
inputs given as backend arrays, NumPy arrays or Python scalars; every function is called through portax on the
backend under test and through ``jax.numpy`` on the same NumPy data (skipped when jax is not installed), and the
results must agree in shape, dtype name and value (float tolerance). A difference that is known and documented is
listed once in ``DECLARED``, naming the docs section that describes it; anything else fails.

Budget: the suite's hypothesis profile (``PORTAX_TEST_EXAMPLES``, 15 by default) scaled down for these many cases;
``PORTAX_FUZZ_EXAMPLES=N`` sets the examples per test directly, for a deep run (a nightly-style
``PORTAX_FUZZ_EXAMPLES=500 pytest tests/fuzz``). Runs are derandomized, so a failure reproduces.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
from helpers import to_numpy
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

EXAMPLES = int(os.environ.get("PORTAX_FUZZ_EXAMPLES", "4"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)

DTYPES = ["bool", "int8", "uint8", "int16", "int32", "uint16", "uint32", "float32"]
FLOATS = ["float32"]

UNARY = [
    "abs", "negative", "positive", "square", "sign", "sin", "cos", "tanh", "exp", "log1p", "sqrt", "floor", "ceil",
    "round", "trunc", "isnan", "isfinite", "logical_not", "reciprocal", "cbrt", "exp2", "sinh", "arctan", "deg2rad",
]  # fmt: skip
BINARY = [
    "add", "subtract", "multiply", "maximum", "minimum", "less", "less_equal", "greater", "equal", "not_equal",
    "logical_and", "logical_or", "true_divide", "arctan2", "hypot", "copysign", "fmax", "fmin", "heaviside",
]  # fmt: skip
# Float-valued binary functions (jnp's promote_args_inexact: an integer array becomes float before a Python int).
BINARY_INEXACT = ["float_power", "logaddexp", "nextafter", "divide"]
REDUCTIONS = ["sum", "prod", "max", "min", "mean", "any", "all", "argmax", "argmin", "cumsum", "ptp", "var"]

#: Declared differences: (function, dtype) -> the docs section that documents it. ``"*"`` matches every dtype.
DECLARED: dict[tuple[str, str], str] = {
    # The array API standard's dtype rule, chosen over jax.numpy's (which keeps uint8/int8/int16/uint16).
    ("cumulative_prod", "*"): "docs/array-api-conformance.md (cumulative_prod)",
}


def _mostly_slow(names, default: set[str]) -> list:
    """``names`` as parameters, all but ``default`` behind the slow mark (a deep run: ``PORTAX_TEST_SLOW=1``)."""
    return [pytest.param(name, marks=() if name in default else pytest.mark.slow) for name in names]


def _declared(name: str, dtypes: tuple[str, ...]) -> str | None:
    for dtype in dtypes:
        section = DECLARED.get((name, dtype)) or DECLARED.get((name, "*")) or DECLARED.get(("*", dtype))
        if section:
            return section
    return None


shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)


def _values(dtype: str, shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    if dtype == "float32":
        # No subnormals: XLA on CPU flushes them to zero (jnp.log2(1e-45) is -inf there, -149 on torch and NumPy).
        elements = st.floats(-100, 100, width=32, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    elif dtype == "bool":
        elements = st.booleans()
    else:
        info = np.iinfo(dtype)
        elements = st.integers(max(int(info.min), -100), min(int(info.max), 100))
    return hnp.arrays(np.dtype(dtype), shape, elements=elements)


def _compare(name: str, ours: object, theirs: object, dtypes: tuple[str, ...]) -> None:
    ours_np, theirs_np = np.asarray(to_numpy(ours)), np.asarray(theirs)
    assert ours_np.shape == theirs_np.shape, f"{name}{dtypes}: shape {ours_np.shape} != jax {theirs_np.shape}"
    assert ours_np.dtype == theirs_np.dtype, f"{name}{dtypes}: dtype {ours_np.dtype} != jax {theirs_np.dtype}"
    if ours_np.dtype.kind == "f":
        np.testing.assert_allclose(ours_np, theirs_np, rtol=2e-5, atol=1e-5, equal_nan=True, err_msg=f"{name}{dtypes}")
    else:
        np.testing.assert_array_equal(ours_np, theirs_np, err_msg=f"{name}{dtypes}")


def _run_both(name: str, xp, args: tuple, kinds: tuple[str, ...], dtypes: tuple[str, ...], **kwargs) -> None:
    """Call ``name`` through portax (each argument given as ``kinds``: backend array, NumPy array or scalar) and
    through jax.numpy on the same data; compare, or for a declared difference accept either outcome."""
    ours_args = tuple(
        xp.asarray(a) if kind == "array" else (a.item() if kind == "scalar" else a)
        for a, kind in zip(args, kinds, strict=True)
    )  # "numpy" and "python" pass the argument as it is
    theirs_args = tuple(
        jnp.asarray(a) if kind == "array" else (a.item() if kind == "scalar" else a)
        for a, kind in zip(args, kinds, strict=True)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            theirs = getattr(jnp, name)(*theirs_args, **kwargs)
        except (TypeError, ValueError, IndexError, OverflowError) as jax_error:
            with pytest.raises(Exception):  # noqa: B017 (the class is checked by the bad-input catalogue)
                getattr(xp, name)(*ours_args, **kwargs)
            del jax_error
            return
        declared = _declared(name, dtypes)
        try:
            ours = getattr(xp, name)(*ours_args, **kwargs)
        except Exception:
            if declared:
                return
            raise
    if declared:
        return
    _compare(name, ours, theirs, dtypes)


@pytest.mark.parametrize("name", UNARY)
@FUZZ
@given(data=st.data())
def test_unary_matches_jax(name, xp, data):
    dtype = data.draw(st.sampled_from(DTYPES), label="dtype")
    shape = data.draw(shapes, label="shape")
    x = data.draw(_values(dtype, shape), label="x")
    kind = data.draw(st.sampled_from(["array", "numpy"] + (["scalar"] if shape == () else [])), label="kind")
    if kind != "array" and dtype not in ("bool", "int32", "float32"):
        kind = "array"  # a NumPy int8 or a Python scalar stands for a JAX weak type only in the default dtypes
    _run_both(name, xp, (x,), (kind,), (dtype,))


@pytest.mark.parametrize("name", _mostly_slow(BINARY + BINARY_INEXACT, set(BINARY) | {"float_power"}))
@FUZZ
@given(data=st.data())
def test_binary_matches_jax(name, xp, data):
    dtype1 = data.draw(st.sampled_from(DTYPES), label="dtype1")
    dtype2 = data.draw(st.sampled_from([dtype1, *DTYPES]), label="dtype2")
    shape1, shape2 = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3)).input_shapes
    x = data.draw(_values(dtype1, shape1), label="x")
    y = data.draw(_values(dtype2, shape2), label="y")
    kind = data.draw(st.sampled_from(["array", "scalar"] if shape2 == () else ["array"]), label="kind")
    _run_both(name, xp, (x, y), ("array", kind), (dtype1, dtype2))


@pytest.mark.parametrize("name", REDUCTIONS)
@FUZZ
@given(data=st.data())
def test_reduction_matches_jax(name, xp, data):
    dtype = data.draw(st.sampled_from(DTYPES), label="dtype")
    shape = data.draw(shapes, label="shape")
    x = data.draw(_values(dtype, shape), label="x")
    axis = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1) if shape else st.none(), label="axis")
    if name in ("cumsum",) and axis is None and shape:
        axis = 0
    if name in ("max", "min", "argmax", "argmin", "ptp") and 0 in shape:
        return  # JAX raises for empty reductions without an identity; pinned in tests/numpy
    _run_both(name, xp, (x,), ("array",), (dtype,), **({} if axis is None else {"axis": axis}))


# Functions of 1-d arrays (polynomials, differences), one or two arguments of one dtype.
ONE_D = {"vander": 1, "diff": 1, "ediff1d": 1, "polyint": 1, "trim_zeros": 1, "polyval": 2, "polyadd": 2, "polysub": 2}


@pytest.mark.parametrize("name", _mostly_slow(ONE_D, {"vander", "polyval"}))
@FUZZ
@given(data=st.data())
def test_one_d_matches_jax(name, xp, data):
    dtype = data.draw(st.sampled_from(DTYPES), label="dtype")
    # jnp.polyadd/polysub of an empty polynomial and jnp.vander of an empty unsigned array fail inside jax 0.10
    shortest = 1 if name.startswith("poly") or name == "vander" else 0
    args = tuple(
        data.draw(_values(dtype, (data.draw(st.integers(shortest, 4), label="length"),)), label="x")
        for _ in range(ONE_D[name])
    )
    _run_both(name, xp, args, ("array",) * len(args), (dtype,))


# Gathers, searches, set operations and products of 1-d arrays of every dtype (uint16/32 and bool have few torch
# kernels): name -> the arguments from a drawn array ``x``, another ``y`` of its dtype and in-range int32 positions.
MOVEMENT = {
    "take": lambda x, y, i: (x, i),
    "searchsorted": lambda x, y, i: (np.sort(x), y),
    "digitize": lambda x, y, i: (y, np.sort(x)),
    "isin": lambda x, y, i: (x, y),
    "setdiff1d": lambda x, y, i: (x, y),
    "inner": lambda x, y, i: (x, y[: len(x)] if len(y) >= len(x) else np.resize(y, len(x))),
    "vdot": lambda x, y, i: (x, np.resize(y, len(x))),
    "bincount": lambda x, y, i: (x,),
    "unravel_index": lambda x, y, i: (i, (2, 3)),
    "delete": lambda x, y, i: (x, i),
    "insert": lambda x, y, i: (x, i[:1], y[:1]),
}


@pytest.mark.parametrize("name", _mostly_slow(MOVEMENT, {"take", "searchsorted", "isin"}))
@FUZZ
@given(data=st.data())
def test_gather_search_set_matches_jax(name, xp, data):
    dtype = data.draw(st.sampled_from(DTYPES if name != "bincount" else DTYPES[1:-1]), label="dtype")
    x = data.draw(_values(dtype, (data.draw(st.integers(1, 5), label="n"),)), label="x")
    if name == "bincount":
        x = np.abs(x.astype(np.int64)).astype(dtype)
    y = data.draw(_values(dtype, (data.draw(st.integers(1, 5), label="m"),)), label="y")
    size = 6 if name == "unravel_index" else len(x)
    positions = np.asarray(data.draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=3)), np.int32)
    args = MOVEMENT[name](x, y, positions)
    _run_both(name, xp, args, tuple("array" if isinstance(a, np.ndarray) else "python" for a in args), (dtype,))


# Float-valued unary functions called straight on torch for floats: an int64 input is float64 with x64 on (as JAX).
X64_FUNCTIONS = [
    "true_divide", "add", "multiply", "mean", "std", "reciprocal", "sum", "maximum", "less",
    "sin", "sqrt", "log2", "exp", "tanh", "arccos", "sinc",
]  # fmt: skip
# jnp.rint/angle/unwrap convert every integer width to the default float (float64); bool cumulative sums and
# products accumulate in the default int (int64); sort_complex of int64 is complex128.
X64_DEFAULT_DTYPES = ["rint", "angle", "unwrap", "cumsum", "cumprod", "nancumsum", "sort_complex"]


@pytest.mark.parametrize(
    "name", _mostly_slow(X64_FUNCTIONS + X64_DEFAULT_DTYPES, set(X64_FUNCTIONS) | {"rint", "cumsum"})
)
@FUZZ
@given(data=st.data())
def test_x64_matches_jax(name, xp, data):
    """With x64 on (both engines), results keep JAX 0.10's dtypes: int32 / int32 is float32, int64 ones float64."""
    import portax

    dtype = data.draw(st.sampled_from(["bool", "int8", "uint16", "int32", "uint32", "int64", "float32"]), label="dtype")
    shape = data.draw(shapes, label="shape")
    x = data.draw(_values(dtype, shape), label="x")
    args = (x,) if name in ("true_divide", "add", "multiply", "maximum", "less") else ()
    was, jax_was = portax.config.jax_enable_x64, jax.config.jax_enable_x64
    portax.config.update("jax_enable_x64", True)
    jax.config.update("jax_enable_x64", True)
    try:
        _run_both(name, xp, (x, *args), ("array",) * (1 + len(args)), (dtype,))
    finally:
        portax.config.update("jax_enable_x64", was)
        jax.config.update("jax_enable_x64", jax_was)
