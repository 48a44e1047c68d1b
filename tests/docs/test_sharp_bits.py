"""Pins for the differences between backends listed in docs/sharp-bits.md that no other test pins.

Each test is named after what it pins; a test that fails here means an engine changed and the page must change with
it. Tests that concern one engine's native array (``torch.Tensor.__getitem__``, ``jax.Array.__setitem__``) say so in
their name and skip elsewhere: portax returns native arrays and does not change their methods.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import portax
import pytest
from helpers import to_numpy


def _native(backend_name: str, name: str) -> None:
    if backend_name != name:
        pytest.skip(f"about {name}'s native arrays")


def test_torch_tensors_reject_negative_step_slices(backend_name, xp):
    _native(backend_name, "torch")
    x = xp.arange(4.0)
    with pytest.raises(ValueError, match="step must be greater than zero"):
        x[::-1]
    np.testing.assert_array_equal(to_numpy(xp.flip(x)), [3.0, 2.0, 1.0, 0.0])  # the portable spelling


def test_jax_arrays_reject_item_assignment(backend_name, xp):
    _native(backend_name, "jax")
    x = xp.zeros(3)
    with pytest.raises(TypeError, match="immutable"):
        x[0] = 1.0
    np.testing.assert_array_equal(to_numpy(xp.at(x)[0].set(1.0)), [1.0, 0.0, 0.0])


def test_torch_item_assignment_mutates_in_place(backend_name, xp):
    _native(backend_name, "torch")
    x = xp.zeros(3)
    alias = x
    x[0] = 1.0  # torch accepts it and mutates: every alias sees it (not portable: JAX raises)
    assert float(alias[0]) == 1.0


def test_jax_only_array_names_work_on_every_backend(xp):
    x = xp.zeros(3)
    assert all(hasattr(x, name) for name in ("at", "astype", "block_until_ready", "copy_to_host_async", "devices"))
    np.testing.assert_array_equal(to_numpy(x.at[1].add(2.0)), to_numpy(xp.at(x)[1].add(2.0)))


# (x1, x2, the array API standard's result)
FLOOR_DIVIDE = [(1.0, -math.inf, -0.0), (-1.0, math.inf, -0.0)]
REMAINDER = [(-0.0, 1.0, 0.0), (0.0, -1.0, -0.0)]


def _same(actual: float, expected: float) -> bool:
    return actual == expected and math.copysign(1, actual) == math.copysign(1, expected)


@pytest.mark.parametrize(("x1", "x2", "expected"), FLOOR_DIVIDE)
def test_floor_divide_function_follows_the_standard_native_operator_does_not(xp, x1, x2, expected):
    a, b = xp.asarray([x1]), xp.asarray([x2])
    assert _same(float(xp.floor_divide(a, b)[0]), expected)
    native = float((a // b)[0])  # the engine's own __floordiv__: -1.0 on torch and JAX
    assert not _same(native, expected), "an engine fixed its // special values: update docs/sharp-bits.md"


@pytest.mark.parametrize(("x1", "x2", "expected"), REMAINDER)
def test_remainder_function_follows_the_standard_native_operator_does_not(xp, x1, x2, expected):
    a, b = xp.asarray([x1]), xp.asarray([x2])
    assert _same(float(xp.remainder(a, b)[0]), expected)
    native = float((a % b)[0])  # the engine's own __mod__: the sign of the zero differs
    assert not _same(native, expected), "an engine fixed its % special values: update docs/sharp-bits.md"


def test_zero_dim_arrays_are_weakly_typed_on_jax_only(backend_name, xp):
    half = xp.ones(2, dtype=xp.float16)
    scalar_array = xp.asarray(1.0)  # JAX: a weakly typed float32; torch: a plain float32 tensor
    expected = "float16" if backend_name == "jax" else "float32"
    assert str(xp.add(half, scalar_array).dtype).endswith(expected)
    # Python scalars are weakly typed on every backend
    assert str(xp.add(half, 1.0).dtype).endswith("float16")


def test_native_methods_follow_the_engine(backend_name, xp):
    x = xp.ones(3, dtype=xp.int32)
    assert str(xp.sum(x).dtype).endswith("int32")  # portax.numpy: JAX's rule everywhere
    native = str(x.sum().dtype)  # the array's own method: torch widens integer sums to int64
    assert native.endswith("int64" if backend_name == "torch" else "int32")


def test_float64_request_with_x64_off(backend_name, xp):
    if portax.config.jax_enable_x64:
        pytest.skip("x64 mode is on")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # JAX warns that it truncates the requested dtype
        x = xp.asarray([1.0 + 2**-40], dtype=xp.float64)
    # JAX (x64 off) cannot hold float64 and truncates to float32; torch keeps the float64 it was asked for
    assert to_numpy(x).dtype == (np.float32 if backend_name == "jax" else np.float64)
    assert to_numpy(xp.asarray([1.0])).dtype == np.float32  # defaults are float32 on every backend


def test_loop_inside_jit_of_grad_compiles_on_every_backend(backend_name, xp):
    """jit(grad(fori_loop)) compiles on torch too (reverse mode by autograd in the graph: a compiled reverse loop),
    and a 20-step loop under jit(vmap(...)) still runs uncompiled there, with a warning naming the construct."""
    power = portax.jit(portax.grad(lambda v: portax.lax.fori_loop(0, 20, lambda i, acc: acc * v, xp.ones_like(v))))
    batched = portax.jit(portax.vmap(lambda v: portax.lax.fori_loop(0, 20, lambda i, acc: acc * v, xp.ones_like(v))))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        slope = power(xp.asarray(1.5))
        compiled_fallbacks = [w for w in caught if issubclass(w.category, portax.errors.CompileFallbackWarning)]
        powers = batched(xp.asarray([1.0, 0.5]))
    assert abs(float(slope) - 20 * 1.5**19) < 1e-3 * 20 * 1.5**19  # the same value on every backend
    assert [float(p) for p in powers] == [1.0, 0.5**20]
    fallbacks = [w for w in caught if issubclass(w.category, portax.errors.CompileFallbackWarning)]
    assert compiled_fallbacks == []
    assert len(fallbacks) == (1 if backend_name == "torch" else 0)
    assert all("lax.scan" in str(w.message) for w in fallbacks)


def test_torch_native_operators_ignore_x64_mode(backend_name, xp):
    ints = xp.arange(3)
    with portax.enable_x64():
        assert str(xp.add(ints, 1.5).dtype).endswith("float64")  # portax.numpy follows the mode everywhere
        native = str((ints + 1.5).dtype)  # torch's operator follows torch's default dtype; jax's follows the mode
        assert native.endswith("float32" if backend_name == "torch" else "float64")


# --- jax.Array methods whose torch method has another meaning: the native method keeps torch's meaning (pinned
# here so a torch change is noticed) and `portax port`'s translation gives JAX's on every backend.
_ROWS = np.array([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]], dtype=np.float32)
_INTS = np.array([3, 1, 2], dtype=np.int32)
METHOD_DIFFERENCES = {
    "std_divides_by_n": ("x.std()", _ROWS.std()),
    "var_divides_by_n": ("x.var(0)", _ROWS.var(0)),
    "repeat_repeats_elements": ("i.repeat(2)", np.repeat(_INTS, 2)),
    "max_with_axis_is_an_array": ("x.max(1)", _ROWS.max(1)),
    "sort_is_an_array": ("i.sort()", np.sort(_INTS)),
    "transpose_without_axes_reverses": ("x.transpose()", _ROWS.T),
    "size_is_the_element_count": ("x.size", 6),
    "integer_sum_keeps_int32": ("str(i.sum().dtype)", "int32"),
    "cumsum_without_axis_flattens": ("i.cumsum()", np.cumsum(_INTS)),
    "negative_step_slices_reverse": ("i[::-1]", _INTS[::-1]),
    "str_of_dtype_is_the_numpy_name": ("str(x.dtype)", "float32"),
    "dtype_compares_to_numpy_names": ("x.dtype == 'float32'", True),
    "numpy_dtype_of_a_dtype": ("np.dtype(x.dtype).itemsize", 4),
}


def _evaluate(expression: str, xp, translate: bool):
    source = f"import jax.numpy as jnp\nimport numpy as np\nresult = {expression}\n"
    if translate:
        from portax._src.port.translate import translate_source

        source = translate_source(source).code
    else:
        source = source.replace("import jax.numpy", "import portax.numpy")
    namespace = {"x": xp.asarray(_ROWS), "i": xp.asarray(_INTS)}
    exec(source, namespace)  # noqa: S102 - the expressions above
    result = namespace["result"]
    return result if isinstance(result, (str, bool, int)) or callable(result) else to_numpy(result)


def _matches(result, expected) -> bool:
    if isinstance(expected, (str, bool)):
        return result == expected
    if callable(result):  # torch's x.size is a method
        return False
    return np.shape(result) == np.shape(expected) and np.allclose(result, expected, rtol=1e-6)


@pytest.mark.parametrize("name", list(METHOD_DIFFERENCES))
def test_torch_methods_keep_their_meaning_and_portax_port_translates_them(backend_name, xp, name):
    pytest.importorskip("libcst")
    expression, expected = METHOD_DIFFERENCES[name]
    assert _matches(_evaluate(expression, xp, translate=True), expected)  # the translation: JAX's answer everywhere
    try:
        native = _evaluate(expression, xp, translate=False)
    except (TypeError, ValueError, RuntimeError) as error:  # torch refuses: a clear error, not a wrong number
        assert backend_name == "torch", error
        return
    assert _matches(native, expected) == (backend_name == "jax"), "an engine changed: update docs/sharp-bits.md"


def test_torch_rejects_arithmetic_on_boolean_tensors(backend_name, xp):
    mask = xp.asarray([True, False])
    np.testing.assert_array_equal(to_numpy(xp.subtract(1, mask)), [0, 1])  # the portable spelling
    np.testing.assert_array_equal(to_numpy(~mask), [False, True])  # the same on every engine
    if backend_name == "torch":
        with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
            1 - mask
    else:
        np.testing.assert_array_equal(to_numpy(1 - mask), [0, 1])


def test_numpy_array_on_the_left_of_matmul(backend_name, xp):
    matrix = np.ones((2, 2), dtype=np.float32)
    x = xp.asarray([1.0, 2.0])
    np.testing.assert_array_equal(to_numpy(xp.matmul(matrix, x)), [3.0, 3.0])  # the portable spelling
    if backend_name == "torch":
        with pytest.raises(TypeError, match="unsupported operand"):
            matrix @ x
    else:
        np.testing.assert_array_equal(to_numpy(matrix @ x), [3.0, 3.0])


def test_out_of_bounds_reads_raise_on_torch_clamp_on_jax(backend_name, xp):
    x = xp.asarray([1.0, 2.0])
    assert float(x.at[5].get()) == 2.0  # the portable spelling clamps on every backend, as JAX's x[5] does
    if backend_name == "torch":
        with pytest.raises(IndexError, match="out of bounds"):
            x[5]
    else:
        assert float(x[5]) == 2.0


def test_numpy_conversion_inside_grad_is_an_error_on_every_backend(backend_name, xp):
    x = xp.asarray([1.0, 2.0])
    error = RuntimeError if backend_name == "torch" else TypeError  # JAX: TracerArrayConversionError
    with pytest.raises(error, match="numpy|__array__"):
        portax.grad(lambda v: np.asarray(v).sum())(x)


def test_boolean_mask_under_jit(backend_name, xp):
    portax.config.update("torch_compile_backend", "aot_eager")
    x = xp.asarray([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(to_numpy(portax.jit(lambda v: xp.where(v > 1.5, v, 0.0))(x)), [0.0, 2.0, 3.0])
    if backend_name == "jax":
        with pytest.raises(IndexError, match="concrete"):  # NonConcreteBooleanIndexError
            portax.jit(lambda v: v[v > 1.5])(x)
    else:  # torch's compiler handles the data-dependent shape: the values are right where JAX refuses
        np.testing.assert_array_equal(to_numpy(portax.jit(lambda v: v[v > 1.5])(x)), [2.0, 3.0])


def test_torch_results_may_alias_arguments(backend_name, xp):
    _native(backend_name, "torch")
    x = xp.zeros(4)
    y = xp.reshape(x, (2, 2))
    y += 1.0  # not portable: the documented contract is "do not update results in place"
    np.testing.assert_array_equal(to_numpy(x), np.ones(4))  # torch: reshape returned a view
    z = xp.array(x, copy=True)
    z += 1.0
    np.testing.assert_array_equal(to_numpy(x), np.ones(4))  # a copy does not alias
