"""IEEE special values from the array API standard's "Special Cases" sections, where engines are known to differ.

jax.numpy 0.10 gets these wrong and portax-jax corrects them (``portax_jax/elementwise.py``); every backend must give the
standard's value, so that one program gives the same numbers everywhere. See docs/array-api-conformance.md.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import to_numpy

INF, NAN = math.inf, math.nan

# (function, input, expected) for complex input; NaN matches NaN, zeros match with their sign.
COMPLEX_CASES = [
    ("exp", complex(-INF, INF), complex(0, 0)),
    ("exp", complex(INF, NAN), complex(INF, NAN)),
    ("expm1", complex(-INF, NAN), complex(-1, 0)),
    ("log", complex(NAN, INF), complex(INF, NAN)),
    ("log1p", complex(-INF, NAN), complex(INF, NAN)),
    ("sqrt", complex(INF, NAN), complex(INF, NAN)),
    ("sinh", complex(0.0, NAN), complex(0.0, NAN)),
    ("cosh", complex(INF, INF), complex(INF, NAN)),
    ("tanh", complex(INF, 1.0), complex(1.0, 0.0)),
    ("acos", complex(0.0, NAN), complex(math.pi / 2, NAN)),
    ("acosh", complex(1.0, NAN), complex(NAN, NAN)),
    ("asinh", complex(NAN, 0.0), complex(NAN, 0.0)),
    ("atanh", complex(INF, NAN), complex(0.0, NAN)),
    ("sign", complex(-0.0, 0.0), complex(0.0, 0.0)),
]

# (function, x1, x2, expected) for float32 input.
REAL_CASES = [
    ("floor_divide", INF, 2.0, INF),
    ("floor_divide", -0.0, 1.0, -0.0),
    ("floor_divide", 1.0, -INF, -0.0),
    ("floor_divide", -1.0, INF, -0.0),
    ("remainder", -0.0, 1.0, 0.0),
    ("remainder", 0.0, -1.0, -0.0),
    ("sign", -0.0, None, 0.0),
]


# Cases a backend does not follow yet: (backend name, function, *inputs). None since 2026-11-25 (torch fixed).
PENDING: set[tuple] = set()


def _pending(backend, *case) -> None:
    if any(repr((backend.name, *case)) == repr(pending) for pending in PENDING):
        pytest.xfail(f"{backend.name} backend does not follow the standard here yet (docs/array-api-conformance.md)")


def _same(actual: float, expected: float) -> bool:
    if math.isnan(expected):
        return math.isnan(actual)
    if math.isfinite(expected) and expected != 0:
        return math.isclose(actual, expected, rel_tol=1e-6)
    return actual == expected and math.copysign(1, actual) == math.copysign(1, expected)


@pytest.mark.parametrize(("name", "value", "expected"), COMPLEX_CASES, ids=lambda v: str(v))
def test_complex_special_values(xp, backend, name, value, expected):
    _pending(backend, name, value)
    out = complex(to_numpy(getattr(xp, name)(xp.asarray([value], dtype=xp.complex64)))[0])
    assert _same(out.real, expected.real) and _same(out.imag, expected.imag), f"{name}({value}) = {out}"


@pytest.mark.parametrize(("name", "x1", "x2", "expected"), REAL_CASES, ids=lambda v: str(v))
def test_real_special_values(xp, backend, name, x1, x2, expected):
    _pending(backend, name, x1, x2)
    args = [xp.asarray([x1], dtype=xp.float32)]
    if x2 is not None:
        args.append(xp.asarray([x2], dtype=xp.float32))
    out = float(np.asarray(to_numpy(getattr(xp, name)(*args)))[0])
    assert _same(out, expected), f"{name}{tuple(a for a in (x1, x2) if a is not None)} = {out}, expected {expected}"


def test_searchsorted_returns_the_default_index_dtype(xp):
    out = xp.searchsorted(xp.asarray([1, 2, 3]), xp.asarray([2]))
    assert out.dtype == xp.__array_namespace_info__().default_dtypes()["indexing"]


def test_finfo_attributes_are_python_floats(xp):
    info = xp.finfo(xp.float32)
    assert all(type(getattr(info, a)) is float for a in ("eps", "max", "min", "smallest_normal"))
