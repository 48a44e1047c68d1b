"""The rarer ``portax.lax`` names against real ``jax.lax`` 0.10, on every backend: convolution patches and unshared
convolutions, shape rules, ``reduce_precision``, ``mulhi``, ``approx_max_k``/``approx_min_k``, ``ragged_dot``, the
experimental RNG primitives, ``axis_size`` and the precision enums (eager and under ``jit``/``grad``/``vmap``)."""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import to_numpy
from lax_util import check_both

RNG = np.random.default_rng(15)


def _check(build, mode, xp, jax_reference, *args, **tolerance):
    """``check_both`` with each argument stacked with a reversed copy under ``vmap`` (a batch of two)."""
    if mode == "vmap":
        args = tuple(np.stack([a, a[::-1]]) for a in args)
    check_both(build, mode, xp, jax_reference, *args, **tolerance)


def _normal(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


# -- shape rules (pure Python) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lhs", "rhs", "strides", "pads", "groups"), [
    ((2, 3, 9, 8), (4, 3, 3, 2), (2, 1), "SAME", 1),
    ((2, 3, 9, 8), (4, 3, 3, 2), (1, 3), "VALID", 1),
    ((4, 3, 7), (6, 3, 2), (2,), [(1, 2)], 2),
])
def test_conv_shape_tuple_matches_jax(lhs, rhs, strides, pads, groups, jax_reference):
    jax, _ = jax_reference
    assert portax.lax.conv_shape_tuple(lhs, rhs, strides, pads, groups) == jax.lax.conv_shape_tuple(
        lhs, rhs, strides, pads, groups)


@pytest.mark.parametrize("padding", ["SAME", "VALID", [(1, 2), (0, 1)]])
@pytest.mark.parametrize("specs", [("NHWC", "HWIO", "NHWC"), ("NCHW", "OIHW", "NCHW"), ("HWNC", "OHWI", "CNWH")])
def test_conv_general_and_transpose_shape_tuples_match_jax(specs, padding, jax_reference):
    jax, _ = jax_reference
    lhs, rhs = (2, 9, 8, 3), (3, 2, 3, 5)
    for name in ("conv_general_shape_tuple", "conv_transpose_shape_tuple"):
        ours = getattr(portax.lax, name)(lhs, rhs, (2, 1), padding, specs)
        theirs = getattr(jax.lax, name)(lhs, rhs, (2, 1), padding, specs)
        assert tuple(map(int, ours)) == tuple(map(int, theirs)), name


@pytest.mark.parametrize(("base", "window"), [(None, None), ((2, 1), None), (None, (1, 3)), ((1, 2), (2, 2))])
def test_reduce_window_shape_tuple_matches_jax(base, window, jax_reference):
    jax, _ = jax_reference
    args = ((9, 8), (3, 2), (2, 1), ((1, 0), (2, 2)), base, window)
    assert portax.lax.reduce_window_shape_tuple(*args) == jax.lax.reduce_window_shape_tuple(*args)


def test_shape_rule_errors_match_jax(jax_reference):
    jax, _ = jax_reference
    for call in (lambda lax: lax.conv_shape_tuple((1, 1, 4, 4), (1, 1, 2, 2), (1, 1), [(0, 0)]),
                 lambda lax: lax.conv_shape_tuple((1, 1, 4, 4), (1, 1, 2, 2), (1, 1), [(-5, 0), (0, 0)]),
                 lambda lax: lax.reduce_window_shape_tuple((4,), (2,), (1,), ((0, 0),), (0,))):
        with pytest.raises(Exception) as theirs:
            call(jax.lax)
        with pytest.raises(type(theirs.value)) as ours:
            call(portax.lax)
        assert str(ours.value) == str(theirs.value)


# -- patches and unshared convolutions --------------------------------------------------------------------------------

PATCH_CASES = {
    "nchw": ((2, 3, 6, 5), dict(filter_shape=(2, 3), window_strides=(1, 2), padding="SAME")),
    "nhwc_dilated": ((1, 7, 6, 2), dict(filter_shape=(3, 2), window_strides=(2, 1), padding="VALID",
                                        rhs_dilation=(1, 2), dimension_numbers=("NHWC", "HWIO", "NHWC"))),
    "nwc_lhs_dilation": ((2, 5, 3), dict(filter_shape=(2,), window_strides=(1,), padding=[(1, 1)],
                                         lhs_dilation=(2,), dimension_numbers=("NWC", "WIO", "NWC"))),
}


@pytest.mark.parametrize(("case", "mode"), [
    ("nhwc_dilated", "eager"), ("nhwc_dilated", "jit"), ("nhwc_dilated", "grad"), ("nhwc_dilated", "vmap"),
    ("nchw", "eager"), ("nwc_lhs_dilation", "eager"), pytest.param("nchw", "grad", marks=pytest.mark.slow),
    pytest.param("nwc_lhs_dilation", "vmap", marks=pytest.mark.slow),
])
def test_conv_general_dilated_patches_matches_jax(case, mode, xp, jax_reference):
    shape, kwargs = PATCH_CASES[case]

    def build(t, lax, numpy):
        return lambda x: lax.conv_general_dilated_patches(x, **kwargs)

    _check(build, mode, xp, jax_reference, _normal(*shape))


NHWC = ("NHWC", "HWIO", "NHWC")


@pytest.mark.parametrize(("specs", "mode"), [(NHWC, "eager"), pytest.param(NHWC, "jit", marks=pytest.mark.slow),
                                             (NHWC, "grad"), (NHWC, "vmap"),
                                             (None, "eager"), pytest.param(None, "grad", marks=pytest.mark.slow)])
def test_conv_general_dilated_local_matches_jax(specs, mode, xp, jax_reference):
    if specs is None:
        x, w = _normal(2, 2, 5, 4), _normal(3, 2 * 2 * 2, 4, 3)
    else:
        x, w = _normal(2, 5, 4, 2), _normal(4, 3, 2 * 2 * 2, 3)

    def build(t, lax, numpy):
        return lambda x, w: lax.conv_general_dilated_local(x, w, (1, 1), "VALID", (2, 2), dimension_numbers=specs)

    _check(build, mode, xp, jax_reference, x, w, rtol=1e-4, atol=1e-4)


# -- reduce_precision ---------------------------------------------------------------------------------------------------


def _special_floats(dtype: str) -> np.ndarray:
    values = np.concatenate([
        RNG.standard_normal(40) * 10.0 ** RNG.integers(-8, 8, 40),
        [0.0, -0.0, 1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11, 65504.0, 65520.0, 7e4, -7e4, 3e38, 1e-6, -6e-8, 1e-30,
         np.inf, -np.inf, np.nan],
    ])
    with np.errstate(over="ignore"):  # values past float16's range become infinities, on purpose
        return values.astype(dtype)


@pytest.mark.parametrize(("dtype", "exponent", "mantissa"), [
    ("float32", 5, 10), ("float32", 8, 7), ("float32", 4, 3), ("float32", 11, 30), ("float16", 4, 3),
])
def test_reduce_precision_matches_jax(dtype, exponent, mantissa, xp, jax_reference):
    jax, jnp = jax_reference
    x = _special_floats(dtype)
    got = to_numpy(portax.lax.reduce_precision(xp.asarray(x), exponent, mantissa))
    want = np.asarray(jax.lax.reduce_precision(jnp.asarray(x), exponent, mantissa))
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


@pytest.mark.parametrize("mode", ["jit", "grad", "vmap"])
def test_reduce_precision_in_compositions(mode, xp, jax_reference):
    # The cotangents here (2 * rounded values) are representable: JAX's rounded tangent equals portax's.
    def build(t, lax, numpy):
        return lambda x: lax.reduce_precision(x * 3.0, 5, 10)

    _check(build, mode, xp, jax_reference, _normal(3, 4), rtol=0, atol=0)


def test_reduce_precision_rejects_integers(xp, jax_reference):
    jax, jnp = jax_reference
    with pytest.raises(TypeError):
        jax.lax.reduce_precision(jnp.arange(3), 5, 10)
    with pytest.raises(TypeError, match="floating"):
        portax.lax.reduce_precision(xp.arange(3), 5, 10)


# -- mulhi --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "uint8", "uint16", "uint32"])
def test_mulhi_matches_jax(dtype, xp, jax_reference):
    jax, jnp = jax_reference
    info = np.iinfo(dtype)
    x = RNG.integers(info.min, info.max, size=30, endpoint=True, dtype=np.int64)
    y = RNG.integers(info.min, info.max, size=30, endpoint=True, dtype=np.int64)
    x[:4] = [info.min, info.max, info.max, 0]
    y[:4] = [info.min, info.max, info.min, info.max]
    x, y = x.astype(dtype), y.astype(dtype)
    got = to_numpy(portax.lax.mulhi(xp.asarray(x), xp.asarray(y)))
    want = np.asarray(jax.lax.mulhi(jnp.asarray(x), jnp.asarray(y)))
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("mode", ["jit", "vmap"])
def test_mulhi_in_compositions(mode, xp, jax_reference):
    x = RNG.integers(-2**31, 2**31 - 1, size=(3, 5), dtype=np.int64).astype(np.int32)
    y = RNG.integers(-2**31, 2**31 - 1, size=(3, 5), dtype=np.int64).astype(np.int32)

    def build(t, lax, numpy):
        return lambda a, b: lax.mulhi(a, b)

    _check(build, mode, xp, jax_reference, x, y, rtol=0, atol=0)


def test_mulhi_rejects_floats_and_mixed_dtypes(xp, jax_reference):
    jax, jnp = jax_reference
    for make in (lambda m: (m.ones(3), m.ones(3)), lambda m: (m.ones(3, dtype=m.int32), m.ones(3, dtype=m.int16))):
        with pytest.raises(TypeError) as theirs:
            jax.lax.mulhi(*make(jnp))
        with pytest.raises(TypeError) as ours:
            portax.lax.mulhi(*make(xp))
        assert str(ours.value) == str(theirs.value)


# -- approx_max_k / approx_min_k -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "axis", "mode"), [
    ("approx_max_k", -1, "eager"), pytest.param("approx_max_k", -1, "jit", marks=pytest.mark.slow),
    ("approx_max_k", -1, "grad"),
    ("approx_min_k", 0, "eager"), ("approx_min_k", 0, "vmap"), pytest.param("approx_min_k", 0, "jit",
                                                                           marks=pytest.mark.slow),
])
def test_approx_top_k_matches_jax(name, axis, mode, xp, jax_reference):
    def build(t, lax, numpy):
        return lambda x: getattr(lax, name)(x, 3, reduction_dimension=axis)

    _check(build, mode, xp, jax_reference, _normal(6, 7))


APPROX_ERRORS = {
    "k_zero": lambda lax, m, x: lax.approx_max_k(x, 0),
    "k_too_large": lambda lax, m, x: lax.approx_min_k(x, 8),
    "scalar": lambda lax, m, x: lax.approx_max_k(x[0, 0], 1),
    "integer": lambda lax, m, x: lax.approx_max_k(m.astype(x, "int32"), 2),
}


@pytest.mark.parametrize("case", list(APPROX_ERRORS))
def test_approx_top_k_errors_match_jax(case, xp, jax_reference):
    jax, jnp = jax_reference
    x = _normal(6, 7)
    with pytest.raises(Exception) as theirs:
        APPROX_ERRORS[case](jax.lax, jnp, jnp.asarray(x))
    with pytest.raises(type(theirs.value)) as ours:
        APPROX_ERRORS[case](portax.lax, xp, xp.asarray(x))
    assert str(ours.value) == str(theirs.value)


# -- ragged_dot -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["eager", "jit", "grad", "vmap"])
def test_ragged_dot_matches_jax(mode, xp, jax_reference):
    jax, jnp = jax_reference
    sizes = np.array([2, 0, 3], np.int32)  # 5 of 6 rows: the last row multiplies nothing (zeros)
    lhs, rhs = _normal(6, 4), _normal(3, 4, 2)
    ours_fn = MODES_RAGGED[mode](portax, portax.lax, xp)
    theirs_fn = MODES_RAGGED[mode](jax, jax.lax, jnp)
    if mode == "vmap":
        lhs, rhs = np.stack([lhs, lhs * 0.5]), np.stack([rhs, -rhs])
    got = ours_fn(xp.asarray(lhs), xp.asarray(rhs), xp.asarray(sizes))
    if mode == "vmap":  # JAX 0.10 has no batching rule for this case (NotImplementedError): one call per lane
        want = np.stack([jax.lax.ragged_dot(jnp.asarray(a), jnp.asarray(b), jnp.asarray(sizes))
                         for a, b in zip(lhs, rhs, strict=True)])
    else:
        want = theirs_fn(jnp.asarray(lhs), jnp.asarray(rhs), jnp.asarray(sizes))
    for g, w in zip(portax.tree.leaves(got), jax.tree.leaves(want), strict=True):
        np.testing.assert_allclose(to_numpy(g), np.asarray(w), rtol=1e-5, atol=1e-5)


MODES_RAGGED = {
    "eager": lambda t, lax, numpy: lax.ragged_dot,
    "jit": lambda t, lax, numpy: t.jit(lax.ragged_dot),
    "grad": lambda t, lax, numpy: t.grad(lambda a, b, s: (lax.ragged_dot(a, b, s) ** 2).sum(), argnums=(0, 1)),
    "vmap": lambda t, lax, numpy: t.vmap(lax.ragged_dot, in_axes=(0, 0, None)),
}


def test_ragged_dot_preferred_type_and_shape_errors(xp, jax_reference):
    jax, jnp = jax_reference
    lhs, rhs, sizes = np.ones((4, 3), np.float16), np.ones((2, 3, 2), np.float16), np.array([1, 3], np.int32)
    got = portax.lax.ragged_dot(xp.asarray(lhs), xp.asarray(rhs), xp.asarray(sizes), preferred_element_type="float32")
    want = jax.lax.ragged_dot(jnp.asarray(lhs), jnp.asarray(rhs), jnp.asarray(sizes), preferred_element_type="float32")
    assert to_numpy(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(to_numpy(got), np.asarray(want))
    with pytest.raises(TypeError):
        jax.lax.ragged_dot(jnp.ones((4, 3)), jnp.ones((2, 4, 2)), jnp.asarray(sizes))
    with pytest.raises(TypeError):
        portax.lax.ragged_dot(xp.ones((4, 3)), xp.ones((2, 4, 2)), xp.asarray(sizes))


# -- experimental RNG primitives ------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_rng_uniform_bounds_shape_dtype(dtype, xp, jax_reference):
    jax, jnp = jax_reference
    a, b = np.asarray(2, dtype), np.asarray(9, dtype)
    got = to_numpy(portax.lax.rng_uniform(xp.asarray(a), xp.asarray(b), (200,)))
    want = np.asarray(jax.lax.rng_uniform(jnp.asarray(a), jnp.asarray(b), (200,)))
    assert got.shape == want.shape and got.dtype == want.dtype
    assert got.min() >= 2 and got.max() < 9 and len(np.unique(got)) > 5


def test_rng_uniform_errors_match_jax(xp, jax_reference):
    jax, jnp = jax_reference
    for make in (lambda m: (m.zeros((), m.float32), m.ones((), m.int32)), lambda m: (m.zeros(2), m.ones(2))):
        with pytest.raises(ValueError) as theirs:
            jax.lax.rng_uniform(*make(jnp), (3,))
        with pytest.raises(ValueError) as ours:
            portax.lax.rng_uniform(*make(xp), (3,))
        assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "uint32"])
def test_rng_bit_generator_is_keyed_and_deterministic(dtype, xp, jax_reference):
    jax, jnp = jax_reference
    key = np.array([1, 2, 3, 4], np.uint32)
    new_key, bits = portax.lax.rng_bit_generator(xp.asarray(key), (64, 8), dtype)
    jax_key, jax_bits = jax.lax.rng_bit_generator(jnp.asarray(key), (64, 8), dtype)
    new_key, bits = to_numpy(new_key), to_numpy(bits)
    assert (new_key.shape, new_key.dtype, bits.shape, bits.dtype) == (
        jax_key.shape, np.asarray(jax_key).dtype, jax_bits.shape, np.asarray(jax_bits).dtype)
    again_key, again = portax.lax.rng_bit_generator(xp.asarray(key), (64, 8), dtype)
    np.testing.assert_array_equal(to_numpy(again), bits)
    np.testing.assert_array_equal(to_numpy(again_key), new_key)
    _, other = portax.lax.rng_bit_generator(xp.asarray(new_key), (64, 8), dtype)
    assert not np.array_equal(to_numpy(other), bits)
    assert not np.array_equal(new_key, key)
    # roughly uniform bits: each of the low 8 bits is set about half the time
    low = bits.astype(np.uint64) & 0xFF
    ones = np.unpackbits(low.astype(np.uint8)).mean()
    assert 0.4 < ones < 0.6


def test_rng_bit_generator_under_jit_and_dtype_error(xp, jax_reference):
    jax, jnp = jax_reference
    key = xp.asarray(np.array([5, 6, 7, 8], np.uint32))
    eager = portax.lax.rng_bit_generator(key, (10,))
    jitted = portax.jit(lambda k: portax.lax.rng_bit_generator(k, (10,)))(key)
    for a, b in zip(eager, jitted, strict=True):
        np.testing.assert_array_equal(to_numpy(a), to_numpy(b))
    with pytest.raises(TypeError) as theirs:
        jax.lax.rng_bit_generator(jnp.asarray(np.array([5, 6, 7, 8], np.uint32)), (3,), np.int32)
    with pytest.raises(TypeError) as ours:
        portax.lax.rng_bit_generator(key, (3,), np.int32)
    assert str(ours.value) == str(theirs.value)


# -- axis_size ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["vmap", "nested", "grad"])
def test_axis_size_matches_jax(mode, xp, jax_reference):
    jax, jnp = jax_reference
    x = _normal(3, 2, 4)

    def run(t, lax, numpy, x):
        if mode == "vmap":
            return t.vmap(lambda v: v * lax.axis_size("i"), axis_name="i")(x)
        if mode == "nested":
            inner = t.vmap(lambda v: v * lax.axis_size(("i", "j")) + lax.axis_size("j"), axis_name="j")
            return t.vmap(inner, axis_name="i")(x)
        return t.vmap(t.grad(lambda v: (v * lax.axis_size("i")).sum()), axis_name="i")(x)

    got = run(portax, portax.lax, xp, xp.asarray(x))
    want = run(jax, jax.lax, jnp, jnp.asarray(x))
    np.testing.assert_allclose(to_numpy(got), np.asarray(want))


def test_axis_size_under_pmap_and_unbound_name(xp, jax_reference):
    jax, jnp = jax_reference
    n = min(2, portax.device_count())
    out = portax.pmap(lambda v: v * portax.lax.axis_size("d"), axis_name="d")(xp.ones((n, 3)))
    np.testing.assert_allclose(to_numpy(out), np.full((n, 3), float(n)))
    with pytest.raises(NameError):
        portax.vmap(lambda v: v * portax.lax.axis_size("nope"), axis_name="i")(xp.ones(2))


# -- precision enums ---------------------------------------------------------------------------------------------------


def test_precision_enums_match_jax(jax_reference):
    jax, _ = jax_reference
    for name in ("Precision", "DotAlgorithmPreset", "RandomAlgorithm"):
        ours, theirs = getattr(portax.lax, name), getattr(jax.lax, name)
        assert [m.name for m in ours] == [m.name for m in theirs], name
        assert [str(m) for m in ours] == [str(m) for m in theirs], name
    for alias in ("highest", "float32", "high", "tensorfloat32", "bfloat16_3x", "default", "bfloat16", "fastest"):
        assert portax.lax.Precision(alias).name == jax.lax.Precision(alias).name
    assert repr(portax.lax.Precision.HIGH) == repr(jax.lax.Precision.HIGH)
    assert portax.lax.RandomAlgorithm.RNG_PHILOX == jax.lax.RandomAlgorithm.RNG_PHILOX


@pytest.mark.parametrize("precision", ["'highest'", "DotAlgorithmPreset.F32_F32_F32", "(Precision.HIGH, Precision.DEFAULT)"])
def test_precision_is_accepted_by_products_and_convolutions(precision, xp, jax_reference):
    jax, jnp = jax_reference
    a, b = _normal(3, 4), _normal(4, 2)
    x, w = _normal(1, 2, 5, 5), _normal(3, 2, 2, 2)

    def run(lax, m):
        p = eval(precision, {"Precision": lax.Precision, "DotAlgorithmPreset": lax.DotAlgorithmPreset})
        return (lax.dot(m.asarray(a), m.asarray(b), precision=p),
                lax.conv_general_dilated(m.asarray(x), m.asarray(w), (1, 1), "SAME", precision=p))

    for got, want in zip(run(portax.lax, xp), run(jax.lax, jnp), strict=True):
        np.testing.assert_allclose(to_numpy(got), np.asarray(want), rtol=1e-5, atol=1e-5)


def test_type_aliases_are_exported():
    assert portax.lax.DotDimensionNumbers is not None
    assert portax.lax.ConvGeneralDilatedDimensionNumbers is not None
