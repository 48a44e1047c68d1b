"""Shared helpers of the conformance suite: conversions, reference dtypes, comparisons, hypothesis strategies.

Reference dtypes follow JAX with x64 off (``jax_enable_x64=False``, JAX 0.10), which is portax's default policy on
every backend: NumPy computes the reference *values* (in float64/int64 where it likes), and the expected *dtype*
is NumPy's result dtype canonicalised to 32 bits:

    float64 -> float32, int64 -> int32, uint64 -> uint32, complex128 -> complex64, everything else unchanged.

This is exactly ``jax.dtypes.canonicalize_dtype`` with x64 off. A test whose NumPy reference would promote
differently from JAX (e.g. NumPy's ``mean`` of float16 accumulating in float32) states the dtype explicitly.
Expected values never come from the backend under test.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import portax
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

_CANONICAL = {
    np.dtype(np.float64): np.dtype(np.float32),
    np.dtype(np.int64): np.dtype(np.int32),
    np.dtype(np.uint64): np.dtype(np.uint32),
    np.dtype(np.complex128): np.dtype(np.complex64),
}

#: dtypes the suite sweeps, as NumPy dtypes (the backend's come from ``xp.asarray(np_array)``).
FLOAT32, INT32, BOOL, COMPLEX64 = (np.dtype(d) for d in ("float32", "int32", "bool", "complex64"))

#: Default tolerances per result dtype (float32 transcendental functions differ in the last ulp or two).
_TOLERANCES = {
    np.dtype(np.float16): (1e-3, 1e-3),
    np.dtype(np.float32): (2e-5, 1e-6),
    np.dtype(np.complex64): (2e-5, 1e-6),
    np.dtype(np.float64): (1e-12, 1e-14),
    np.dtype(np.complex128): (1e-12, 1e-14),
}


def canonical_dtype(dtype: Any) -> np.dtype:
    """The dtype JAX (x64 off) gives where NumPy gives ``dtype``: 64-bit types become their 32-bit kin."""
    dtype = np.dtype(dtype)
    return _CANONICAL.get(dtype, dtype)


def to_numpy(x: Any) -> np.ndarray:
    """A NumPy copy of a backend array (torch tensors via ``.detach().cpu().numpy()``), or of anything array-like."""
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # torch.Tensor, without importing torch
        x = x.detach().cpu()
        if getattr(x, "is_conj", lambda: False)():
            x = x.resolve_conj()
        if getattr(x, "is_neg", lambda: False)():
            x = x.resolve_neg()
        return x.numpy()
    return np.asarray(x)


def as_backend(xp: Any, value: Any, dtype: Any = None) -> Any:
    """A native array of the current backend holding ``value`` (a NumPy array, list or scalar)."""
    array = np.asarray(value, dtype=dtype)
    return xp.asarray(array)


def dtype_name(dtype: Any) -> str:
    """The array API name of a NumPy dtype (``"float32"``), used to look up ``xp.<name>``."""
    return np.dtype(dtype).name


def assert_native(x: Any) -> None:
    """``x`` is a native array of the current backend (no wrapper object)."""
    owner = portax.backend_of(x)
    current = portax.current_backend()
    assert owner is current, f"expected a native {current.name} array, got {type(x).__module__}.{type(x).__qualname__}"


def check(
    result: Any,
    expected: Any,
    *,
    dtype: Any = None,
    rtol: float | None = None,
    atol: float | None = None,
    exact: bool = False,
    native: bool = True,
) -> None:
    """Compare a backend result with a NumPy reference: native type, shape, dtype, then values.

    Args:
        result: what the backend returned.
        expected: the NumPy/SciPy reference (any dtype; see the module docstring for the dtype rule).
        dtype: the expected result dtype when it is not ``canonical_dtype(expected.dtype)``.
        rtol, atol: tolerances (defaults by result dtype); ``exact=True`` demands equality (ints, bools, NaN-aware).
        native: also check that ``result`` is a native array of the current backend.
    """
    if native:
        assert_native(result)
    actual = to_numpy(result)
    reference = np.asarray(expected)
    want_dtype = np.dtype(dtype) if dtype is not None else canonical_dtype(reference.dtype)
    assert actual.dtype == want_dtype, f"dtype {actual.dtype}, expected {want_dtype}"
    assert actual.shape == reference.shape, f"shape {actual.shape}, expected {reference.shape}"
    if exact or want_dtype.kind in "biu":
        np.testing.assert_array_equal(actual, reference.astype(want_dtype) if reference.dtype.kind in "biu" else reference)
        return
    default_rtol, default_atol = _TOLERANCES.get(want_dtype, (1e-5, 1e-6))
    np.testing.assert_allclose(
        actual.astype(np.result_type(actual.dtype, np.float64)),
        reference,
        rtol=default_rtol if rtol is None else rtol,
        atol=default_atol if atol is None else atol,
        equal_nan=True,
    )


def check_tuple(results: Any, expecteds: Any, **kwargs: Any) -> None:
    """:func:`check` element-wise over a tuple/list of results."""
    results, expecteds = list(results), list(expecteds)
    assert len(results) == len(expecteds), f"{len(results)} results, expected {len(expecteds)}"
    for result, expected in zip(results, expecteds, strict=True):
        check(result, expected, **kwargs)


# -- hypothesis strategies ---------------------------------------------------------------------------------------

#: Shapes from 0-d to 3-d, including empty ones.
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)
nonempty_shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=5)


def finite_floats(dtype: Any = np.float32, min_value: float = -1e3, max_value: float = 1e3) -> st.SearchStrategy:
    """Finite floats of ``dtype`` in a range that keeps float32 references meaningful."""
    width = np.dtype(dtype).itemsize * 8
    if width < 64:  # hypothesis wants bounds that the width represents exactly
        min_value, max_value = float(np.dtype(dtype).type(min_value)), float(np.dtype(dtype).type(max_value))
    # No subnormals: XLA on CPU flushes them to zero (JAX's documented FTZ behaviour), NumPy does not.
    return st.floats(
        min_value, max_value, width=width, allow_nan=False, allow_infinity=False, allow_subnormal=False
    )


def float_arrays(shape=shapes, dtype: Any = np.float32, **kwargs: Any) -> st.SearchStrategy:
    """NumPy float arrays of ``dtype`` and the given shape strategy."""
    return hnp.arrays(dtype, shape, elements=finite_floats(dtype, **kwargs))


def int_arrays(shape=shapes, dtype: Any = np.int32, min_value: int = -1000, max_value: int = 1000) -> st.SearchStrategy:
    """NumPy int arrays with small values (no overflow in sums/products of a few elements)."""
    return hnp.arrays(dtype, shape, elements=st.integers(min_value, max_value))


def broadcastable_pair(dtype: Any = np.float32, **kwargs: Any) -> st.SearchStrategy:
    """Two NumPy arrays whose shapes broadcast together (0-d and empty shapes included)."""
    return hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4).flatmap(
        lambda shapes: st.tuples(
            *(
                float_arrays(st.just(shape), dtype, **kwargs)
                if np.dtype(dtype).kind == "f"
                else int_arrays(st.just(shape), dtype)
                for shape in shapes.input_shapes
            )
        )
    )
