"""Engine-independent corrections are written once in core (``portax._src.numpy.corrections``) and bound by each
backend (issue 12): the complex special-value tables and the ``isclose`` family.

The values are checked against the standard's cases evaluated with NumPy (core's table over NumPy, not over the
backend under test), on every point of a grid of non-finite complex inputs where a case applies.
"""

from __future__ import annotations

import ast
import itertools
import math
from pathlib import Path

import numpy as np
import portax.backend as protocol
import pytest
from helpers import to_numpy

ROOT = Path(__file__).resolve().parents[2]
VALUES = [0.0, 1.0, -1.0, 2.5, math.inf, -math.inf, math.nan]
# Non-finite points without a negative zero: jax 0.10 does not keep the sign of a zero imaginary part on input.
POINTS = np.array(
    [complex(a, b) for a, b in itertools.product(VALUES, VALUES) if not (math.isfinite(a) and math.isfinite(b))],
    np.complex64,
)


def _numpy_complex(re: np.ndarray, im: np.ndarray) -> np.ndarray:
    out = np.empty(re.shape, np.complex64)
    out.real, out.imag = re, im
    return out


def _same(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    def part(a: np.ndarray, e: np.ndarray) -> np.ndarray:
        both_nan = np.isnan(a) & np.isnan(e)
        exact = (a == e) & (np.signbit(a) == np.signbit(e))
        close = np.isfinite(e) & (e != 0) & np.isclose(a, e, rtol=1e-6, atol=0)
        return both_nan | exact | close

    return part(actual.real, expected.real) & part(actual.imag, expected.imag)


@pytest.mark.parametrize("name", sorted(protocol.COMPLEX_SPECIAL_CASES))
def test_each_backend_applies_cores_special_value_table(xp, name):
    re, im = POINTS.real, POINTS.imag
    with np.errstate(all="ignore"):
        cases = protocol.COMPLEX_SPECIAL_CASES[name](np, re, im, np.zeros_like(re))
    applies = np.zeros(POINTS.shape, bool)
    expected = np.zeros(POINTS.shape, np.complex64)
    for mask, case_re, case_im in cases:  # later cases win, as in core
        mask = np.broadcast_to(mask, POINTS.shape)
        expected = np.where(mask, _numpy_complex(np.broadcast_to(case_re, re.shape), np.broadcast_to(case_im, re.shape)), expected)
        applies |= mask
    assert applies.any(), f"no grid point exercises {name}'s cases"
    actual = to_numpy(getattr(xp, name)(xp.asarray(POINTS))).astype(np.complex64)
    wrong = ~_same(actual[applies], expected[applies])
    assert not wrong.any(), list(zip(POINTS[applies][wrong], actual[applies][wrong], expected[applies][wrong], strict=True))


@pytest.mark.parametrize(("name", "point", "expected"), [
    ("expm1", complex(math.inf, 0.0), complex(math.inf, 0.0)),
    ("expm1", complex(-math.inf, 2.5), complex(-1.0, 0.0)),
    ("log1p", complex(2.0, math.inf), complex(math.inf, math.pi / 2)),
    ("log1p", complex(-math.inf, math.nan), complex(math.inf, math.nan)),
])  # fmt: skip
def test_expm1_and_log1p_take_corrected_exp_and_log_apart(xp, name, point, expected):
    actual = to_numpy(getattr(xp, name)(xp.asarray(np.array([point], np.complex64)))).astype(np.complex64)
    assert _same(actual, np.array([expected], np.complex64)).all(), (actual, expected)


def test_isclose_family_is_jax_numpys_formula(xp):
    a = np.array([1.0, 1.0 + 2e-5, math.inf, -math.inf, math.nan, 0.0], np.float32)
    b = np.array([1.0, 1.0, math.inf, math.inf, math.nan, 1e-9], np.float32)
    np.testing.assert_array_equal(to_numpy(xp.isclose(xp.asarray(a), xp.asarray(b))), np.isclose(a, b))
    np.testing.assert_array_equal(
        to_numpy(xp.isclose(xp.asarray(a), xp.asarray(b), equal_nan=True)), np.isclose(a, b, equal_nan=True)
    )
    assert bool(xp.allclose(xp.asarray(a[:1]), xp.asarray(b[:1])))
    assert bool(xp.array_equal(xp.asarray(a), xp.asarray(a), equal_nan=True))
    assert not bool(xp.array_equal(xp.asarray(a), xp.asarray(a)))


def test_backends_define_no_special_value_table_of_their_own():
    # The tables are core's: a backend module binds them (complex_special_values) and defines no ``*_cases``.
    for path in sorted((ROOT / "packages").glob("backend-*/src/*/*.py")):
        tree = ast.parse(path.read_text())
        tables = [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.endswith("_cases")]
        assert not tables, f"{path.relative_to(ROOT)} defines special-value tables {tables}; add cases to core's"
        defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert not defined & {"isclose", "allclose", "array_equal"} or "isclose_over" in path.read_text(), path
