"""Polynomials and 1-D signal functions against NumPy: polyval/polyfit/roots and friends, convolve/correlate."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_backend, check, finite_floats, to_numpy
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

COEFFS = np.array([2.0, -3.0, 0.5, 1.0], np.float32)


def test_polyval(xp):
    points = np.linspace(-2, 2, 7).astype(np.float32)
    check(xp.polyval(as_backend(xp, COEFFS), as_backend(xp, points)), np.polyval(COEFFS.astype(float), points),
          rtol=1e-5, atol=1e-5)
    check(xp.polyval(as_backend(xp, COEFFS), 1.5), np.float32(np.polyval(COEFFS, 1.5)))
    ints = np.array([1, 2, 3], np.int32)
    check(xp.polyval(as_backend(xp, ints), as_backend(xp, np.array([0, 1, 2], np.int32))),
          np.polyval(ints, np.array([0, 1, 2], np.int32)))


@pytest.mark.parametrize("degree", [1, 2, 3])
def test_polyfit(xp, degree):
    x = np.linspace(-1, 1, 20).astype(np.float32)
    y = (np.polyval(COEFFS, x) + 0.01 * np.sin(7 * x)).astype(np.float32)
    check(xp.polyfit(as_backend(xp, x), as_backend(xp, y), degree), np.polyfit(x.astype(float), y, degree),
          rtol=1e-3, atol=1e-3)
    weights = np.linspace(0.5, 1.5, 20).astype(np.float32)
    check(xp.polyfit(as_backend(xp, x), as_backend(xp, y), degree, w=as_backend(xp, weights)),
          np.polyfit(x.astype(float), y, degree, w=weights), rtol=1e-3, atol=1e-3)


def test_polynomial_arithmetic(xp):
    other = np.array([1.0, 4.0], np.float32)
    a, b = as_backend(xp, COEFFS), as_backend(xp, other)
    check(xp.polyadd(a, b), np.polyadd(COEFFS, other))
    check(xp.polysub(a, b), np.polysub(COEFFS, other))
    check(xp.polymul(a, b), np.polymul(COEFFS, other))
    check(xp.polyder(a), np.polyder(COEFFS))
    check(xp.polyder(a, 2), np.polyder(COEFFS, 2))
    check(xp.polyint(a), np.polyint(COEFFS))
    check(xp.polyint(a, k=2.0), np.polyint(COEFFS, k=2.0))


def test_roots(xp):
    coeffs = np.array([1.0, -6.0, 11.0, -6.0], np.float32)  # (x-1)(x-2)(x-3)
    found = np.sort_complex(to_numpy(xp.roots(as_backend(xp, coeffs))).astype(np.complex128))
    np.testing.assert_allclose(found, [1, 2, 3], rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("lengths", [(5, 3), (3, 5), (4, 4), (1, 6)])
def test_convolve_correlate(xp, mode, lengths):
    rng = np.random.default_rng(sum(lengths))
    a = rng.standard_normal(lengths[0]).astype(np.float32)
    v = rng.standard_normal(lengths[1]).astype(np.float32)
    A, V = as_backend(xp, a), as_backend(xp, v)
    check(xp.convolve(A, V, mode=mode), np.convolve(a.astype(float), v, mode=mode), rtol=1e-4, atol=1e-5)
    check(xp.correlate(A, V, mode=mode), np.correlate(a.astype(float), v, mode=mode), rtol=1e-4, atol=1e-5)


def test_convolve_correlate_dtypes(xp):
    a = np.array([1, 2, 3], np.int32)
    v = np.array([0, 1, 2], np.int32)
    # jax.numpy.convolve promotes integers to the default float (JAX 0.10 promote_dtypes_inexact); NumPy keeps int
    check(xp.convolve(as_backend(xp, a), as_backend(xp, v)), np.convolve(a, v).astype(np.float32))
    c = np.array([1 + 1j, 2, -1j], np.complex64)
    d = np.array([0.5j, 1], np.complex64)
    check(xp.correlate(as_backend(xp, c), as_backend(xp, d), mode="full"), np.correlate(c, d, mode="full"),
          rtol=1e-5, atol=1e-6)  # correlate conjugates its second argument (NumPy, JAX)


@given(hnp.arrays(np.float32, st.integers(1, 8), elements=finite_floats(np.float32, -5, 5)),
       hnp.arrays(np.float32, st.integers(1, 4), elements=finite_floats(np.float32, -5, 5)))
def test_convolve_hypothesis(xp, a, v):
    check(xp.convolve(as_backend(xp, a), as_backend(xp, v)), np.convolve(a.astype(float), v), rtol=1e-4, atol=1e-4)


def test_trapezoid_unwrap_sinc(xp):
    y = np.array([1.0, 3.0, 2.0, 5.0], np.float32)
    x = np.array([0.0, 0.5, 2.0, 3.0], np.float32)
    check(xp.trapezoid(as_backend(xp, y)), np.trapezoid(y))
    check(xp.trapezoid(as_backend(xp, y), as_backend(xp, x)), np.trapezoid(y, x))
    check(xp.trapezoid(as_backend(xp, y), dx=0.5), np.trapezoid(y, dx=0.5))
    phase = np.array([0.0, 3.0, 6.5, 0.1, -3.5], np.float32)
    check(xp.unwrap(as_backend(xp, phase)), np.unwrap(phase.astype(float)), rtol=1e-5, atol=1e-5)
    check(xp.sinc(as_backend(xp, np.array([0.0, 0.5, 1.0], np.float32))), np.sinc([0.0, 0.5, 1.0]), atol=1e-7)
