"""The jax.numpy names added for coverage (windows, bits, gradient, N-d histograms, polynomials, index tricks,
vectorize and friends) on every backend, against real ``jax.numpy`` (values, shapes, dtypes), under jit and vmap."""

from __future__ import annotations

import io
import warnings

import numpy as np
import portax
import pytest
from helpers import as_backend, assert_native, check, to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)

jnp = pytest.importorskip("jax.numpy")

DATA = np.array([[3.0, -1.0, 2.5, 8.0], [0.5, 4.0, -2.0, 1.0], [7.0, 7.0, 0.0, -3.0]], np.float32)
INTS = np.array([3, 1, 0, 2, 1, 9, 0, 5, 6, 0, 4], np.int32)
SAMPLE = np.array([[0.1, 0.5], [0.9, 0.2], [0.4, 0.4], [0.7, 0.95], [0.3, 0.6], [0.55, 0.1]], np.float32)

# name -> f(module, data, ints, sample); the same call on portax.numpy (backend arrays) and on jax.numpy
CASES = {
    "bartlett": lambda m, x, i, s: m.bartlett(7),
    "blackman": lambda m, x, i, s: m.blackman(8),
    "hamming": lambda m, x, i, s: m.hamming(6),
    "hanning": lambda m, x, i, s: m.hanning(9),
    "hanning_1": lambda m, x, i, s: m.hanning(1),
    "kaiser": lambda m, x, i, s: m.kaiser(7, 3.0),
    "diag_indices_from": lambda m, x, i, s: m.stack(m.diag_indices_from(m.ones((3, 3)))),
    "tril_indices_from": lambda m, x, i, s: m.stack(m.tril_indices_from(x, k=1)),
    "triu_indices_from": lambda m, x, i, s: m.stack(m.triu_indices_from(x, k=-1)),
    "gradient": lambda m, x, i, s: m.gradient(x[0]),
    "gradient_axis_spacing": lambda m, x, i, s: m.gradient(x, 0.5, axis=1),
    "gradient_coordinates": lambda m, x, i, s: m.gradient(x[1], m.asarray([0.0, 0.5, 2.0, 2.5])),
    "gradient_all_axes": lambda m, x, i, s: m.stack(m.gradient(x)),
    "matvec": lambda m, x, i, s: m.matvec(x, x[0]),
    "vecmat": lambda m, x, i, s: m.vecmat(x[:, 0], x),
    "mod": lambda m, x, i, s: m.mod(x, 1.5),
    "mod_int": lambda m, x, i, s: m.mod(i - 4, 3),
    "packbits": lambda m, x, i, s: m.packbits(i > 1),
    "packbits_axis_little": lambda m, x, i, s: m.packbits(x > 0, axis=1, bitorder="little"),
    "unpackbits": lambda m, x, i, s: m.unpackbits(m.asarray([27, 200], dtype=m.uint8)),
    "unpackbits_count": lambda m, x, i, s: m.unpackbits(m.asarray([[27], [3]], dtype=m.uint8), axis=1, count=5),
    "poly": lambda m, x, i, s: m.poly(x[0]),
    "poly_matrix_real": lambda m, x, i, s: m.real(m.poly(m.asarray([[2.0, 0.0], [0.0, 3.0]]))),
    "polydiv_q": lambda m, x, i, s: m.polydiv(m.asarray([1.0, -3.0, 2.0, 5.0]), m.asarray([1.0, -1.0]))[0],
    "polydiv_r": lambda m, x, i, s: m.polydiv(m.asarray([1.0, -3.0, 2.0, 5.0]), m.asarray([1.0, -1.0]))[1],
    "sort_complex": lambda m, x, i, s: m.sort_complex(x[2]),
    "sort_complex_ties": lambda m, x, i, s: m.sort_complex(m.asarray([1 + 2j, 1 - 1j, 0 + 5j, 1 + 0j])),
    "array_equiv": lambda m, x, i, s: m.array_equiv(x[0], m.broadcast_to(x[0], (2, 4))),
    "array_equiv_false": lambda m, x, i, s: m.array_equiv(x, x[0]),
    "histogram_bin_edges": lambda m, x, i, s: m.histogram_bin_edges(x, bins=5),
    "histogram_bin_edges_range": lambda m, x, i, s: m.histogram_bin_edges(x, bins=4, range=(0.0, 4.0)),
    "histogramdd": lambda m, x, i, s: m.histogramdd(s, bins=3)[0],
    "histogramdd_edges": lambda m, x, i, s: m.histogramdd(s, bins=[2, 3])[1][1],
    "histogramdd_density": lambda m, x, i, s: m.histogramdd(s, bins=2, density=True)[0],
    "histogram2d": lambda m, x, i, s: m.histogram2d(s[:, 0], s[:, 1], bins=3)[0],
    "histogram2d_weights": lambda m, x, i, s: m.histogram2d(s[:, 0], s[:, 1], bins=2, weights=s[:, 0])[0],
    "mgrid": lambda m, x, i, s: m.mgrid[0:3, 0:4:2],
    "mgrid_complex": lambda m, x, i, s: m.mgrid[0:1:5j],
    "ogrid": lambda m, x, i, s: m.ogrid[0:3, 1:5][1],
    "r_": lambda m, x, i, s: m.r_[x[0], 0:3, [7.0, 8.0]],
    "r_directive": lambda m, x, i, s: m.r_["0,2", x[0], x[1]],
    "c_": lambda m, x, i, s: m.c_[x[0], x[1]],
    "fromfunction": lambda m, x, i, s: m.fromfunction(lambda a, b: a * 10 + b, (3, 4)),
    "fromfunction_int": lambda m, x, i, s: m.fromfunction(lambda a: a * a, (5,), dtype=m.int32),
    "apply_along_axis": lambda m, x, i, s: m.apply_along_axis(lambda v: v[0] * v[-1], 1, x),
    "apply_along_axis_vector": lambda m, x, i, s: m.apply_along_axis(lambda v: v[:2] * 2, 0, x),
    "apply_over_axes": lambda m, x, i, s: m.apply_over_axes(m.sum, x[None], [0, 2]),
    "vectorize": lambda m, x, i, s: m.vectorize(lambda a, b: a * b + 1)(x, x[0]),
    "vectorize_signature": lambda m, x, i, s: m.vectorize(m.dot, signature="(n),(n)->()")(x, x[1]),
    "vectorize_excluded": lambda m, x, i, s: m.vectorize(lambda a, p: a**p, excluded={1})(x, 2),
    "frombuffer": lambda m, x, i, s: m.frombuffer(np.arange(4, dtype=np.int32).tobytes(), dtype=m.int32),
    "fromstring": lambda m, x, i, s: m.fromstring("1 2 3", dtype=float, sep=" "),
}


def _portax_call(xp, case):
    return CASES[case](xp, as_backend(xp, DATA), as_backend(xp, INTS), as_backend(xp, SAMPLE))


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_jax_numpy(xp, case):
    expected = CASES[case](jnp, jnp.asarray(DATA), jnp.asarray(INTS), jnp.asarray(SAMPLE))
    result = _portax_call(xp, case)
    check(result, to_numpy(expected), rtol=2e-5, atol=2e-5)


@pytest.mark.parametrize(
    "case", ["gradient", "matvec", "mod", "packbits_axis_little", "sort_complex", "histogramdd", "vectorize",
             "apply_along_axis", "kaiser"],  # fmt: skip
)
def test_under_jit(xp, case):
    # windows take only static arguments; the others trace their array arguments
    eager = to_numpy(_portax_call(xp, case))
    data, ints, sample = as_backend(xp, DATA), as_backend(xp, INTS), as_backend(xp, SAMPLE)
    jitted = portax.jit(lambda d, i, s: CASES[case](xp, d, i, s))
    with warnings.catch_warnings():
        warnings.simplefilter("error", portax.errors.CompileFallbackWarning)  # really compiled
        check(jitted(data, ints, sample), eager, rtol=1e-6, atol=1e-6)


def test_vectorize_under_grad_and_vmap(xp):
    f = xp.vectorize(lambda a, b: xp.sin(a) * b)
    x = as_backend(xp, DATA[0])
    grad = portax.grad(lambda v: xp.sum(f(v, 2.0)))(x)
    check(grad, 2 * np.cos(DATA[0]), rtol=1e-5)
    batched = portax.vmap(lambda row: f(row, row))(as_backend(xp, DATA))
    check(batched, np.sin(DATA) * DATA, rtol=1e-5)


def test_gradient_under_vmap_and_grad(xp):
    rows = portax.vmap(xp.gradient)(as_backend(xp, DATA))
    check(rows, np.gradient(DATA, axis=1), rtol=1e-6)
    g = portax.grad(lambda v: xp.sum(xp.gradient(v) ** 2))(as_backend(xp, DATA[0]))
    check(g, to_numpy(jnp_grad_of_gradient()), rtol=1e-5)


def jnp_grad_of_gradient():
    import jax

    return jax.grad(lambda v: jnp.sum(jnp.gradient(v) ** 2))(jnp.asarray(DATA[0]))


def test_windows_are_numpys(xp):
    for name in ("bartlett", "blackman", "hamming", "hanning"):
        check(getattr(xp, name)(10), getattr(np, name)(10).astype(np.float32), rtol=1e-5, atol=1e-6)
    check(xp.kaiser(10, 2.5), np.kaiser(10, 2.5).astype(np.float32), rtol=1e-5, atol=1e-6)
    assert to_numpy(xp.hanning(0)).shape == (0,)


def test_pack_unpack_round_trip(xp):
    bits = as_backend(xp, np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1], np.int32))
    packed = xp.packbits(bits)
    check(packed, np.packbits(np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1], np.uint8)))
    check(xp.unpackbits(packed, count=11), np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1], np.uint8))
    with pytest.raises(TypeError):
        xp.unpackbits(bits)
    with pytest.raises(TypeError):
        xp.packbits(as_backend(xp, DATA))


def test_index_tricks_and_scalar_types(xp):
    assert xp.s_[1:3] == np.s_[1:3] and xp.index_exp[1:3] == np.index_exp[1:3]
    assert xp.issubdtype(xp.float32, xp.floating) and xp.issubdtype(xp.int32, xp.signedinteger)
    assert not xp.issubdtype(xp.uint8, xp.signedinteger) and xp.issubdtype(xp.uint8, xp.unsignedinteger)
    assert xp.issubdtype(xp.complex64, xp.complexfloating) and xp.issubdtype(xp.float32, xp.inexact)
    assert xp.csingle == xp.complex64 and xp.float_ == xp.float64 and xp.int_ == xp.int64
    assert xp.ComplexWarning is np.exceptions.ComplexWarning and xp.dtype(xp.float32) == np.float32
    assert_native(xp.mgrid[0:2, 0:2])


def test_save_load_and_printing(xp):
    x = as_backend(xp, DATA)
    buffer = io.BytesIO()
    xp.save(buffer, x)
    buffer.seek(0)
    loaded = xp.load(buffer)
    check(loaded, DATA)
    assert xp.array_str(x) == np.array_str(DATA)
    assert xp.array_repr(x) == np.array_repr(DATA)
    assert xp.iterable(x) and not xp.iterable(1.0)
    with pytest.raises(NotImplementedError, match="fromfile"):
        xp.fromfile("x")
    with pytest.raises(NotImplementedError, match="fromiter"):
        xp.fromiter(iter([1]))


def test_errors_match_jax(xp):
    with pytest.raises(ValueError, match="signature"):
        xp.vectorize(xp.dot, signature="(n)(n)->()")
        xp.vectorize(xp.dot, signature="(n)(n)->()")(as_backend(xp, DATA[0]), as_backend(xp, DATA[0]))
    with pytest.raises(ValueError, match="inconsistent size"):
        xp.vectorize(xp.dot, signature="(n),(n)->()")(as_backend(xp, DATA[0]), as_backend(xp, DATA[0, :3]))
    with pytest.raises(ValueError, match="too small"):
        xp.gradient(as_backend(xp, DATA[:1, 0]))
    with pytest.raises(ValueError, match="string directive"):
        xp.r_[as_backend(xp, DATA[0]), "r"]
