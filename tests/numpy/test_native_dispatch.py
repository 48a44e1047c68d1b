"""Direct engine calls of the dispatcher (``Backend.native_functions``, ``[native]`` in ``tools/api_names.py``).

For same-dtype operands with default options the dispatcher may call the engine function (``torch.add``) instead of
the backend's implementation: the result must be the implementation's, on every dtype, eagerly and under ``jit``;
and ``jax_debug_nans`` (which wraps the implementations) must still see every call.
"""

from __future__ import annotations

import numpy as np
import portax
import portax.numpy as pnp
import pytest
from helpers import to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: options restored)
from portax._src.backend import DTYPE_NAMES

UNARY = (
    "sin", "cos", "tan", "arcsin", "asin", "arctan", "atan", "arcsinh", "asinh", "arccosh", "acosh", "arctanh", "atanh",
    "exp2", "log", "log2", "log10", "sqrt", "sinc", "exp", "expm1", "log1p", "sinh", "cosh", "tanh", "acos", "arccos",
)  # fmt: skip
NAMES = ("add", "subtract", "multiply", "divide", "matmul", "sum", *UNARY)
VALUES = np.array([[3.0, 1.0, 0.0], [2.0, 5.0, 1.0]])


def _operands(xp, name: str, dtype_name: str) -> tuple:
    values = VALUES.astype(bool) if dtype_name == "bool" else VALUES
    x, y = (xp.asarray(v, dtype=getattr(xp, dtype_name)) for v in (values, np.ascontiguousarray(values[::-1])))
    if name == "sum" or name in UNARY:
        return (x,)
    return (x, x.T) if name == "matmul" else (x, y)


def _outcome(backend, fn, args: tuple) -> tuple:
    try:
        out = fn(*args)
    except Exception as e:  # noqa: BLE001  (the same error class on both paths is part of the contract)
        return ("raises", type(e))
    values = backend.numpy.astype(out, backend.dtypes["float32"]) if "bfloat16" in str(out.dtype) else out
    return (str(out.dtype), to_numpy(values))


def _dtype_names(backend) -> list[str]:
    # Every dtype where natives are registered; JAX has none (x64 off: no 64-bit dtypes), so a few dtypes suffice.
    return list(DTYPE_NAMES) if backend.native_functions else ["bool", "int32", "float32"]


@pytest.mark.parametrize("name", NAMES)
def test_dispatcher_gives_the_implementation_result_on_every_dtype(backend, xp, name):
    impl = getattr(backend.numpy, name)
    for dtype_name in _dtype_names(backend):
        args = _operands(xp, name, dtype_name)
        got, expected = _outcome(backend, getattr(pnp, name), args), _outcome(backend, impl, args)
        assert got[0] == expected[0], (name, dtype_name, got, expected)
        if got[0] != "raises":
            np.testing.assert_array_equal(got[1], expected[1], err_msg=f"{name} {dtype_name}")


def test_registered_natives_are_used_and_documented(backend, xp):
    natives = backend.native_functions
    marked = {f"numpy.{name}" for name in NAMES}
    assert set(natives) <= marked, "native functions exist only for names marked [native] in tools/api_names.py"
    for qualified, (fn, dtypes) in natives.items():
        name = qualified.split(".")[1]
        every_dtype, some_dtypes = (getattr(pnp, name).__globals__[f"{prefix}{name}"] for prefix in ("_n_", "_nd_"))
        for tp in backend.array_types:
            if dtypes is None:
                assert every_dtype[tp] is fn and tp not in some_dtypes
            else:
                assert some_dtypes[tp] == dict.fromkeys(dtypes, fn) and tp not in every_dtype


def test_native_path_under_jit_and_grad(backend, xp):
    x = xp.asarray([1.0, 2.0, 3.0])
    y = xp.asarray([0.5, -1.0, 4.0])
    f = lambda a, b: pnp.sum(pnp.multiply(pnp.add(a, b), pnp.subtract(a, b))) + pnp.matmul(a, b)  # noqa: E731
    expected = np.sum((np.array([1.5, 1.0, 7.0])) * np.array([0.5, 3.0, -1.0])) + (0.5 - 2.0 + 12.0)
    np.testing.assert_allclose(to_numpy(portax.jit(f)(x, y)), expected, rtol=1e-6)
    np.testing.assert_allclose(to_numpy(portax.grad(f)(x, y)), 2 * to_numpy(x) + to_numpy(y), rtol=1e-6)


def test_debug_nans_sees_native_calls(backend, xp):
    inf = xp.asarray([np.inf, 1.0])
    assert bool(pnp.isnan(pnp.subtract(inf, inf))[0])
    portax.config.update("jax_debug_nans", True)
    with pytest.raises(FloatingPointError):
        pnp.subtract(inf, inf)
    portax.config.update("jax_debug_nans", False)
    assert bool(pnp.isnan(pnp.subtract(inf, inf))[0])
