"""portax.Array, portax.typing, ShapeDtypeStruct, device_get, portax.numpy.ndarray, portax.dtypes and make_jaxpr."""

from __future__ import annotations

import typing

import numpy as np
import portax
import portax.numpy as jnp
import pytest


def test_array_isinstance_and_annotations(backend):
    x = jnp.ones(2)
    assert isinstance(x, portax.Array) and isinstance(x, jnp.ndarray)
    assert issubclass(type(x), portax.Array)
    for value in (1.0, [1.0], np.ones(2), None):
        assert not isinstance(value, portax.Array)

    def f(a: portax.Array, b: portax.typing.ArrayLike, d: portax.typing.DTypeLike = None) -> portax.Array:
        return a

    assert typing.get_type_hints(f)["a"] is portax.Array
    with pytest.raises(TypeError, match="isinstance"):
        portax.Array()


def test_array_check_does_not_import_engines():
    import subprocess
    import sys

    code = "import portax, sys; isinstance(1.0, portax.Array); print('jax' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_device_get_and_shape_dtype_struct(backend):
    tree = {"w": jnp.ones((2, 3)), "n": 3, "b": [jnp.arange(2)]}
    host = portax.device_get(tree)
    assert isinstance(host["w"], np.ndarray) and host["w"].dtype == np.float32 and host["n"] == 3
    np.testing.assert_array_equal(host["b"][0], [0, 1])
    spec = portax.ShapeDtypeStruct((2, 3), jnp.float32)
    out = portax.eval_shape(lambda a: a.sum(0), spec)
    assert out.shape == (3,)


def test_dtypes_module(backend):
    assert portax.dtypes.canonicalize_dtype(jnp.float64) == np.float32
    assert portax.dtypes.canonicalize_dtype(float) == np.float32
    with portax.enable_x64():
        assert portax.dtypes.canonicalize_dtype(jnp.float64) == np.float64
        assert portax.dtypes.canonicalize_dtype(int) == np.int64
    assert portax.dtypes.issubdtype(jnp.float32, np.floating)
    assert portax.dtypes.issubdtype(jnp.bfloat16, np.floating)
    assert not portax.dtypes.issubdtype(jnp.int32, np.floating)
    assert portax.dtypes.issubdtype(jnp.ones(2).dtype, jnp.float32)
    assert portax.dtypes.finfo(jnp.float32).eps == np.finfo(np.float32).eps
    assert portax.dtypes.finfo(portax.dtypes.bfloat16).bits == 16
    assert portax.dtypes.iinfo(jnp.int8).max == 127
    assert float(jnp.finfo(jnp.float32).eps) == float(np.finfo(np.float32).eps)
    assert int(jnp.iinfo(jnp.int32).max) == np.iinfo(np.int32).max
    with pytest.raises(TypeError, match="dtype"):
        portax.dtypes.canonicalize_dtype("not-a-dtype")


def test_make_jaxpr_prints_a_traced_program(backend_name, backend):
    program = portax.make_jaxpr(lambda x: jnp.sin(x) * 2)(jnp.asarray(1.0))
    text = str(program)
    assert "sin" in text and "mul" in text
    if backend_name == "jax":
        import jax

        assert isinstance(program, jax.extend.core.ClosedJaxpr if hasattr(jax, "extend") else object)
    else:
        assert program.backend == backend_name
