"""``portax.lax`` contractions, convolutions and ``reduce_window`` against real ``jax.lax`` 0.10, on every backend.

Each case runs the same program with portax on the backend under test and with JAX (values, shapes, dtypes), eagerly
and under ``jit``, ``grad`` (with respect to every array argument) and ``vmap``; bad arguments must raise JAX's error
class with JAX's message.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import portax
import pytest
from helpers import to_numpy

RNG = np.random.default_rng(7)


def _normal(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def _total(t: Any, out: Any) -> Any:
    return (out * out).sum() if not isinstance(out, tuple) else sum((o * o).sum() for o in out)


#: Transformations of a program ``f(*arrays)``: every one differentiates/batches all array arguments.
MODES: dict[str, Callable[[Any, Callable[..., Any], int], Callable[..., Any]]] = {
    "eager": lambda t, f, n: f,
    "jit": lambda t, f, n: t.jit(f),
    "grad": lambda t, f, n: t.grad(lambda *a: _total(t, f(*a)), argnums=tuple(range(n))),
    "vmap": lambda t, f, n: t.vmap(f),
    "jit_grad": lambda t, f, n: t.jit(t.grad(lambda *a: _total(t, f(*a)), argnums=tuple(range(n)))),
}


def _run(program: Callable[[Any, Any, Any], Callable[..., Any]], mode: str, xp: Any, jax_reference: Any,
         *args: np.ndarray, rtol: float = 1e-4, atol: float = 1e-4) -> None:
    """``program(lax, numpy, ops)`` under ``mode`` with portax and with JAX; same shapes, dtypes and values."""
    jax, jnp = jax_reference
    if mode == "vmap":
        args = tuple(np.stack([a, a[::-1] * 0.5 + 0.25]) for a in args)
    with warnings.catch_warnings():
        # jit must compile the whole program on torch, not fall back to running it eagerly.
        warnings.simplefilter("error", portax.errors.CompileFallbackWarning)
        ours = MODES[mode](portax, program(portax.lax, xp), len(args))(*[xp.asarray(a) for a in args])
    theirs = MODES[mode](jax, program(jax.lax, jnp), len(args))(*[jnp.asarray(a) for a in args])
    ours_leaves, theirs_leaves = portax.tree.leaves(ours), jax.tree.leaves(theirs)
    assert len(ours_leaves) == len(theirs_leaves)
    for got, want in zip(ours_leaves, theirs_leaves, strict=True):
        got, want = to_numpy(got), np.asarray(want)
        assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, got.dtype, want.shape, want.dtype)
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


def _reducer(lax: Any, numpy: Any, name: str) -> Any:
    """``lax.max``/``lax.add``/... where the module has it, else the ``numpy`` function portax also recognises."""
    fallback = {"add": numpy.add, "max": numpy.maximum, "min": numpy.minimum, "mul": numpy.multiply}[name]
    return getattr(lax, name, None) or fallback


# -- conv_general_dilated ----------------------------------------------------------------------------------------

CONV_CASES = {
    "nchw_same": ((2, 3, 7, 6), (4, 3, 3, 2), dict(window_strides=(1, 1), padding="SAME")),
    "nhwc_hwio_strided": ((2, 8, 7, 3), (3, 3, 3, 4), dict(window_strides=(2, 3), padding="VALID",
                                                          dimension_numbers=("NHWC", "HWIO", "NHWC"))),
    "explicit_negative_pads_rhs_dilation": ((1, 2, 9, 8), (3, 2, 2, 3), dict(
        window_strides=(1, 2), padding=[(2, -1), (0, 3)], rhs_dilation=(3, 1))),
    "lhs_dilation_transpose_path": ((2, 2, 5, 4), (3, 2, 3, 3), dict(
        window_strides=(1, 1), padding=[(2, 1), (1, 2)], lhs_dilation=(2, 2))),
    "lhs_dilation_interleave_path": ((2, 2, 5, 4), (3, 2, 3, 2), dict(
        window_strides=(2, 1), padding=[(0, 3), (1, 0)], lhs_dilation=(3, 2), rhs_dilation=(1, 2))),
    "feature_groups": ((2, 6, 6, 5), (4, 3, 2, 2), dict(window_strides=(1, 1), padding="SAME_LOWER",
                                                        feature_group_count=2)),
    "depthwise_nhwc": ((1, 6, 5, 4), (3, 3, 1, 8), dict(window_strides=(1, 1), padding="SAME", feature_group_count=4,
                                                        dimension_numbers=("NHWC", "HWIO", "NHWC"))),
    "batch_groups": ((4, 3, 6, 5), (6, 3, 2, 2), dict(window_strides=(1, 1), padding="VALID", batch_group_count=2)),
    "conv1d_nwc": ((2, 9, 3), (3, 3, 5), dict(window_strides=(2,), padding="SAME",
                                              dimension_numbers=("NWC", "WIO", "NWC"))),
    "conv3d_mixed_layout": ((1, 5, 2, 4, 6), (3, 2, 2, 2, 3), dict(
        window_strides=(1, 1, 2), padding="SAME", dimension_numbers=("NDCHW", "OIDHW", "NCDHW"))),
    "no_spatial": ((3, 4), (5, 4), dict(window_strides=(), padding=())),
}


JIT_CONV_CASES = ("nhwc_hwio_strided", "lhs_dilation_transpose_path", "batch_groups", "no_spatial")


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("case", list(CONV_CASES))
def test_conv_general_dilated_matches_jax(case, mode, xp, jax_reference):
    lhs_shape, rhs_shape, kwargs = CONV_CASES[case]
    if mode == "jit_grad" and case != "nhwc_hwio_strided":
        pytest.skip("jit(grad) is covered by one case (the suite's time budget)")
    if mode.startswith("jit") and case not in JIT_CONV_CASES:
        pytest.skip("jit is covered by four cases (the suite's time budget); every case runs eager, grad and vmap")

    def program(lax, numpy):
        return lambda x, w: lax.conv_general_dilated(x, w, **kwargs)

    _run(program, mode, xp, jax_reference, _normal(*lhs_shape), _normal(*rhs_shape))


@pytest.mark.parametrize("mode", ["eager", "grad", "vmap"])
@pytest.mark.parametrize(("strides", "padding", "extra"), [
    ((2, 2), "SAME", {}),
    ((2, 2), "VALID", {}),
    ((3, 2), "SAME", {"rhs_dilation": (1, 2)}),
    ((2, 2), [(1, 1), (0, 2)], {}),
    ((2, 1), [(1, 0), (2, 1)], {"use_consistent_padding": True}),
    ((2, 2), "SAME", {"transpose_kernel": True}),
])
def test_conv_transpose_matches_jax(strides, padding, extra, mode, xp, jax_reference):
    def program(lax, numpy):
        return lambda x, w: lax.conv_transpose(x, w, strides, padding, **extra)

    kernel = (3, 3, 4, 3) if extra.get("transpose_kernel") else (3, 3, 3, 4)
    _run(program, mode, xp, jax_reference, _normal(2, 5, 4, 3), _normal(*kernel))


@pytest.mark.parametrize("mode", ["eager", "jit", "grad"])
def test_conv_and_conv_with_general_padding(mode, xp, jax_reference):
    def program(lax, numpy):
        def f(x, w):
            return (lax.conv(x, w, (1, 2), "SAME"),
                    lax.conv_with_general_padding(x, w, (2, 1), [(1, 2), (0, 1)], (1, 2), (2, 1)))
        return f

    _run(program, mode, xp, jax_reference, _normal(2, 3, 6, 5), _normal(4, 3, 2, 3))


@pytest.mark.parametrize(("dtype", "preferred"), [("int32", None), ("float16", None), ("float16", "float32"),
                                                  ("int32", "float32")])
def test_conv_dtypes_match_jax(dtype, preferred, xp, jax_reference):
    jax, jnp = jax_reference
    x = (RNG.standard_normal((1, 2, 5, 5)) * 3).astype(dtype)
    w = (RNG.standard_normal((3, 2, 2, 2)) * 3).astype(dtype)
    kwargs = dict(window_strides=(1, 1), padding="SAME", preferred_element_type=preferred)
    got = to_numpy(portax.lax.conv_general_dilated(xp.asarray(x), xp.asarray(w), **kwargs))
    want = np.asarray(jax.lax.conv_general_dilated(jnp.asarray(x), jnp.asarray(w), **kwargs))
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=2e-3, atol=2e-2)


# -- dimension numbers and padding helpers (pure Python) ---------------------------------------------------------


@pytest.mark.parametrize("specs", [None, ("NCHW", "OIHW", "NCHW"), ("NHWC", "HWIO", "NHWC"), ("HWNC", "OHWI", "CNWH")])
def test_conv_dimension_numbers_match_jax(specs, jax_reference):
    jax, _ = jax_reference
    ours = portax.lax.conv_dimension_numbers((2, 3, 4, 5), (6, 7, 8, 9), specs)
    theirs = jax.lax.conv_dimension_numbers((2, 3, 4, 5), (6, 7, 8, 9), specs)
    assert isinstance(ours, portax.lax.ConvDimensionNumbers)
    assert tuple(map(tuple, ours)) == tuple(map(tuple, theirs))
    assert portax.lax.conv_dimension_numbers((1,) * 4, (1,) * 4, ours) is ours


def test_jax_dimension_numbers_object_is_accepted(xp, jax_reference):
    jax, jnp = jax_reference
    x, w = _normal(1, 6, 5, 2), _normal(3, 2, 2, 4)
    dnums = jax.lax.conv_dimension_numbers(x.shape, w.shape, ("NHWC", "HWIO", "NHWC"))
    got = portax.lax.conv_general_dilated(xp.asarray(x), xp.asarray(w), (1, 1), "SAME", dimension_numbers=dnums)
    want = jax.lax.conv_general_dilated(jnp.asarray(x), jnp.asarray(w), (1, 1), "SAME", dimension_numbers=dnums)
    np.testing.assert_allclose(to_numpy(got), np.asarray(want), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("padding", ["SAME", "SAME_LOWER", "VALID", "same"])
@pytest.mark.parametrize(("shape", "window", "strides"), [((8, 7), (3, 2), (2, 3)), ((5,), (6,), (1,)),
                                                          ((4, 4), (1, 4), (4, 1))])
def test_padtype_to_pads_matches_jax(shape, window, strides, padding, jax_reference):
    jax, _ = jax_reference
    assert portax.lax.padtype_to_pads(shape, window, strides, padding) == jax.lax.padtype_to_pads(
        shape, window, strides, padding)


# -- dot_general, dot, batch_matmul ------------------------------------------------------------------------------

DOT_CASES = {
    "matmul": ((3, 4), (4, 5), (((1,), (0,)), ((), ()))),
    "batched_middle": ((3, 2, 4), (4, 3, 6), (((2,), (0,)), ((0,), (1,)))),
    "two_contractions": ((2, 3, 4), (4, 5, 3), (((1, 2), (2, 0)), ((), ()))),
    "outer": ((3,), (4,), (((), ()), ((), ()))),
    "batch_only": ((2, 3), (2, 3), (((), ()), ((0, 1), (0, 1)))),
}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("case", list(DOT_CASES))
def test_dot_general_matches_jax(case, mode, xp, jax_reference):
    lhs_shape, rhs_shape, dnums = DOT_CASES[case]
    if mode == "jit_grad" and case != "batched_middle":
        pytest.skip("jit(grad) is covered by one case")

    def program(lax, numpy):
        return lambda a, b: lax.dot_general(a, b, dnums)

    _run(program, mode, xp, jax_reference, _normal(*lhs_shape), _normal(*rhs_shape))


@pytest.mark.parametrize("mode", ["eager", "jit", "grad", "vmap"])
def test_dot_and_batch_matmul_match_jax(mode, xp, jax_reference):
    def program(lax, numpy):
        return lambda m, v, batch: (lax.dot(m, v), lax.dot(v, v), lax.dot(m, numpy.transpose(m)),
                                    lax.batch_matmul(batch, numpy.swapaxes(batch, 1, 2)))

    _run(program, mode, xp, jax_reference, _normal(3, 3), _normal(3), _normal(2, 3, 4))


@pytest.mark.parametrize(("lhs_dtype", "rhs_dtype", "preferred"), [
    ("int32", "int32", None), ("float32", "float16", None), ("int8", "int8", "int32"), ("float32", "float32",
                                                                                      "float16"),
    ("bool", "bool", None), ("complex64", "complex64", None)])
def test_dot_general_dtypes_match_jax(lhs_dtype, rhs_dtype, preferred, xp, jax_reference):
    jax, jnp = jax_reference
    a = (RNG.standard_normal((3, 4)) * 3).astype(lhs_dtype)
    b = (RNG.standard_normal((4, 2)) * 3).astype(rhs_dtype)
    got = to_numpy(portax.lax.dot(xp.asarray(a), xp.asarray(b), preferred_element_type=preferred))
    want = np.asarray(jax.lax.dot(jnp.asarray(a), jnp.asarray(b), preferred_element_type=preferred))
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=2e-3, atol=2e-2)


# -- reduce_window -----------------------------------------------------------------------------------------------

WINDOW_CASES = {
    "pool_2x2_nhwc": dict(window_dimensions=(1, 2, 2, 1), window_strides=(1, 2, 2, 1), padding="VALID"),
    "same_3x3": dict(window_dimensions=(1, 3, 3, 1), window_strides=(1, 1, 1, 1), padding="SAME"),
    "dilations_asymmetric": dict(window_dimensions=(1, 3, 2, 1), window_strides=(1, 2, 1, 1),
                                 padding=[(0, 0), (2, 0), (1, 1), (0, 0)], base_dilation=(1, 2, 1, 1),
                                 window_dilation=(1, 1, 2, 1)),
    "every_axis": dict(window_dimensions=(2, 2, 2, 2), window_strides=(1, 1, 1, 1), padding="VALID"),
    "negative_pad": dict(window_dimensions=(1, 2, 2, 1), window_strides=(1, 1, 1, 1),
                         padding=[(0, 0), (-1, 1), (1, -2), (0, 0)]),
}
MONOIDS = {"max": -np.inf, "min": np.inf, "add": 0.0}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("monoid", list(MONOIDS))
@pytest.mark.parametrize("case", list(WINDOW_CASES))
def test_reduce_window_monoids_match_jax(case, monoid, mode, xp, jax_reference):
    if mode in ("jit", "jit_grad", "vmap") and case not in ("same_3x3", "dilations_asymmetric"):
        pytest.skip("jit and vmap are covered by two window geometries (the suite's time budget)")
    if mode in ("grad", "jit_grad") and monoid != "add" and case in ("dilations_asymmetric", "negative_pad"):
        pytest.skip("JAX 0.10 has no VJP of max/min pooling with window dilation or negative padding (no reference)")

    def program(lax, numpy):
        return lambda x: lax.reduce_window(x, MONOIDS[monoid], _reducer(lax, numpy, monoid), **WINDOW_CASES[case])

    _run(program, mode, xp, jax_reference, _normal(2, 7, 6, 3))


@pytest.mark.parametrize(("name", "init"), [("mul", 1.0), ("add", 1.5), ("max", 0.25), ("min", -0.5)])
@pytest.mark.parametrize("case", ["same_3x3", "dilations_asymmetric"])
def test_reduce_window_other_inits_and_computations(name, init, case, xp, jax_reference):
    # JAX folds a non-identity init_value in once per window and skips padding and dilation holes.
    def program(lax, numpy):
        return lambda x: lax.reduce_window(x, init, _reducer(lax, numpy, name), **WINDOW_CASES[case])

    _run(program, "eager", xp, jax_reference, _normal(2, 7, 6, 3))


@pytest.mark.parametrize("mode", ["jit", "grad", "vmap"])
def test_reduce_window_generic_computation_in_compositions(mode, xp, jax_reference):
    # A product has no pooling kernel: the fold over window offsets is differentiable on every backend (JAX's own
    # generic reduce_window is not, so the reference is the product written with lax.mul, which JAX recognises).
    jax, jnp = jax_reference
    x = _normal(6, 5) * 0.5 + 1.0
    geometry = dict(window_dimensions=(2, 3), window_strides=(2, 1), padding="SAME")

    def program(lax, numpy):
        return lambda x: lax.reduce_window(x, 1.0, _reducer(lax, numpy, "mul"), **geometry)

    if mode == "grad":
        got = portax.grad(lambda v: program(portax.lax, xp)(v).sum())(xp.asarray(x))
        windows = [x[i:i + 2, j:j + 3] for i in range(0, 6, 2) for j in range(5)]
        assert got.shape == x.shape and all(w.size > 0 for w in windows)
        step = 1e-3
        probe = np.zeros_like(x)
        probe[2, 3] = step
        f = program(portax.lax, xp)
        numeric = (to_numpy(f(xp.asarray(x + probe))).sum() - to_numpy(f(xp.asarray(x - probe))).sum()) / (2 * step)
        np.testing.assert_allclose(to_numpy(got)[2, 3], numeric, rtol=2e-2)
        return
    _run(program, mode, xp, jax_reference, x)


def test_reduce_window_pytree_operands(xp, jax_reference):
    jax, jnp = jax_reference
    values, weights = _normal(7, 4), np.abs(_normal(7, 4))

    def program(lax, numpy):
        def f(v, w):
            return lax.reduce_window((v, w), (0.0, 0.0), lambda a, b: (a[0] + b[0] * b[1], a[1] + b[1]),
                                     (3, 2), (1, 1), "SAME")
        return f

    _run(program, "eager", xp, jax_reference, values, weights)


def test_reduce_window_integer_max_and_min(xp, jax_reference):
    jax, jnp = jax_reference
    x = RNG.integers(-2**31, 2**31 - 1, size=(5, 6), dtype=np.int64).astype(np.int32)
    x[0, 0] = np.iinfo(np.int32).min
    for name, init in (("max", np.iinfo(np.int32).min), ("min", np.iinfo(np.int32).max)):
        got = portax.lax.reduce_window(xp.asarray(x), init, _reducer(portax.lax, xp, name), (2, 3), (1, 2), "SAME")
        want = jax.lax.reduce_window(jnp.asarray(x), np.int32(init), getattr(jax.lax, name), (2, 3), (1, 2), "SAME")
        assert to_numpy(got).dtype == np.int32
        np.testing.assert_array_equal(to_numpy(got), np.asarray(want))


# -- errors: JAX's class and message -----------------------------------------------------------------------------

_X, _W = np.ones((2, 3, 8, 8), np.float32), np.ones((4, 3, 3, 3), np.float32)
ERROR_CASES = {
    "rank_mismatch": lambda lax, x, w, ones: lax.conv(x, ones((4, 3, 3)), (1, 1), "SAME"),
    "feature_mismatch": lambda lax, x, w, ones: lax.conv(x, ones((4, 2, 3, 3)), (1, 1), "SAME"),
    "groups_do_not_divide": lambda lax, x, w, ones: lax.conv_general_dilated(
        x, ones((4, 1, 3, 3)), (1, 1), "SAME", feature_group_count=2),
    "both_group_counts": lambda lax, x, w, ones: lax.conv_general_dilated(
        ones((4, 4, 8, 8)), ones((4, 2, 3, 3)), (1, 1), "SAME", feature_group_count=2, batch_group_count=2),
    "strides_length": lambda lax, x, w, ones: lax.conv(x, w, (1,), "SAME"),
    "unknown_padding": lambda lax, x, w, ones: lax.conv(x, w, (1, 1), "FOO"),
    "explicit_pads_length": lambda lax, x, w, ones: lax.conv_general_dilated(x, w, (1, 1), [(1, 1)]),
    "spec_length": lambda lax, x, w, ones: lax.conv_general_dilated(
        x, w, (1, 1), "SAME", dimension_numbers=("NCH", "OIHW", "NCHW")),
    "spec_count": lambda lax, x, w, ones: lax.conv_general_dilated(
        x, w, (1, 1), "SAME", dimension_numbers=("NCHW", "OIHW")),
    "spec_letters": lambda lax, x, w, ones: lax.conv_general_dilated(
        x, w, (1, 1), "SAME", dimension_numbers=("NXHW", "OIHW", "NCHW")),
    "string_padding_with_lhs_dilation": lambda lax, x, w, ones: lax.conv_general_dilated(
        x, w, (1, 1), "SAME", lhs_dilation=(2, 2)),
    "dot_rank": lambda lax, x, w, ones: lax.dot(x, w),
    "dot_contracting_sizes": lambda lax, x, w, ones: lax.dot_general(
        ones((2, 3)), ones((2, 3)), (((1,), (0,)), ((), ()))),
    "dot_overlapping_dims": lambda lax, x, w, ones: lax.dot_general(
        ones((2, 3)), ones((2, 3)), (((1,), (1,)), ((0,), (1,)))),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_errors_match_jax(case, xp, jax_reference):
    jax, jnp = jax_reference
    with pytest.raises(Exception) as theirs:
        ERROR_CASES[case](jax.lax, jnp.asarray(_X), jnp.asarray(_W), jnp.ones)
    with pytest.raises(type(theirs.value)) as ours:
        ERROR_CASES[case](portax.lax, xp.asarray(_X), xp.asarray(_W), xp.ones)
    assert str(ours.value) == str(theirs.value)


def test_conv_dtype_mismatch_is_a_type_error(xp):
    with pytest.raises(TypeError, match="same dtypes, got float32, float16"):
        portax.lax.conv(xp.asarray(_X), xp.asarray(_W.astype(np.float16)), (1, 1), "SAME")
