"""portax's own checks of bad input give JAX's exception class *and* JAX's message (jax 0.10), on every backend.

Each case runs on real JAX (the reference, skipped where jax is not installed) and on portax with the backend under
test: the class must be JAX's (a portax subclass is fine) and portax's message must start with JAX's. The catalogue
(``test_error_catalogue.py``) checks classes over many more inputs; these are the checks portax makes before the
engine sees the input (a list where jax.numpy takes arrays only, grad of an integer output, out-of-range
static_argnums, jvp tangents and vjp cotangents that do not match).
"""

from __future__ import annotations

import numpy as np
import portax
import pytest

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

F32 = np.arange(3.0, dtype=np.float32)
F32_4 = np.arange(4.0, dtype=np.float32)

CASES = {
    "sin of a list": lambda x, A: x.numpy.sin([1.0, 2.0]),
    "sum of a tuple": lambda x, A: x.numpy.sum((1.0, 2.0)),
    "matmul with a list": lambda x, A: x.numpy.matmul(A(np.eye(2, dtype=np.float32)), [[1.0], [2.0]]),
    "linalg.inv of a list": lambda x, A: x.numpy.linalg.inv([[1.0, 0.0], [0.0, 1.0]]),
    "concatenate of a list item": lambda x, A: x.numpy.concatenate([A(F32), [1.0, 2.0]]),
    "grad of an integer output": lambda x, A: x.grad(lambda v: x.numpy.sum(v).astype(x.numpy.int32))(A(F32)),
    "grad of a bool output": lambda x, A: x.grad(lambda v: x.numpy.sum(v) > 0)(A(F32)),
    "jit static_argnums beyond the signature": lambda x, A: x.jit(lambda v: v * 2.0, static_argnums=(5,)),
    "jit negative static_argnums beyond": lambda x, A: x.jit(lambda v, w: v * w, static_argnums=-3),
    "jvp tangent of another shape": lambda x, A: x.jvp(lambda v: v * 2.0, (A(F32),), (A(F32_4),)),
    "jvp tangent of another dtype": lambda x, A: x.jvp(lambda v: v * 2.0, (A(F32),), (A(F32.astype(np.float16)),)),
    "vjp cotangent of another shape": lambda x, A: x.vjp(lambda v: v * 2.0, A(F32))[1](A(F32_4)),
    "vjp cotangent of another dtype": lambda x, A: x.vjp(lambda v: v * 2.0, A(F32))[1](A(F32.astype(np.float16))),
    "vjp cotangent of a 2-d output": lambda x, A: x.vjp(lambda v: v.reshape(3, 1), A(F32))[1](A(np.ones((1, 3), np.float32))),
}


def _jax_error(name: str) -> BaseException:
    try:
        CASES[name](jax, jnp.asarray)
    except Exception as error:  # noqa: BLE001 (the reference: any class)
        return error
    raise AssertionError(f"{name}: JAX raises nothing: not a bad input")


@pytest.mark.parametrize("name", list(CASES))
def test_class_and_message_are_jax(name, backend, xp):
    theirs = _jax_error(name)
    with pytest.raises(Exception) as info:  # noqa: PT011 (checked below against JAX's)
        CASES[name](portax, xp.asarray)
    ours = info.value
    accepted = tuple(c for c in type(theirs).__mro__ if c not in (Exception, BaseException, object))
    assert isinstance(ours, accepted), f"{name}: JAX {type(theirs).__name__}, portax {type(ours).__name__}: {ours}"
    expected = str(theirs).split(" because ")[0] if "VJP function" in str(theirs) else str(theirs)
    assert str(ours).startswith(expected.split("\n")[0]), f"{name}:\n JAX:    {theirs}\n portax: {ours}"


def test_lists_still_accepted_where_jax_accepts_them(backend, xp):
    np.testing.assert_array_equal(np.asarray(xp.asarray([1.0, 2.0]).tolist()), [1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(xp.array((1, 2)).tolist()), [1, 2])
    x = xp.asarray(F32)
    assert tuple(xp.concatenate([x, x]).shape) == (6,)  # a list of arrays is the sequence itself
    assert tuple(xp.stack((x, x)).shape) == (2, 3)
    assert tuple(xp.zeros((2, 3)).shape) == (2, 3)  # a shape tuple is not an array argument
    assert float(xp.sin(1.0)) == pytest.approx(np.sin(1.0))  # scalars are arrays to JAX
    np.testing.assert_allclose(np.asarray(xp.sin(np.float32([1.0, 2.0])).tolist()), np.sin([1.0, 2.0]), rtol=1e-6)


@pytest.fixture
def cheap_torch_compile():
    previous = portax.config.torch_compile_backend
    portax.config.update("torch_compile_backend", "eager")
    yield
    portax.config.update("torch_compile_backend", previous)


def test_matching_tangents_and_scalar_cotangents_still_work(backend, xp, cheap_torch_compile):
    x = xp.asarray(F32)
    out, tangent = portax.jvp(lambda v: v * 2.0, (x,), (xp.ones(3),))
    np.testing.assert_allclose(np.asarray(tangent.tolist()), 2.0 * np.ones(3))
    _, tangent = portax.jvp(lambda v: v * 2.0, (xp.asarray(np.float32(1.5)),), (1.0,))  # a Python scalar tangent
    assert float(tangent) == 2.0
    out, pullback = portax.vjp(lambda v: (v * v).sum(), x)
    (grad,) = pullback(1.0)  # a Python scalar cotangent of a 0-d output
    np.testing.assert_allclose(np.asarray(grad.tolist()), 2.0 * F32)
    assert float(portax.jit(lambda v, n: v * n, static_argnums=1)(x, 3)[1]) == 3.0
    assert float(portax.jit(lambda *vs: vs[0] * vs[1], static_argnums=3)(x, 2.0, 0, 1)[2]) == 4.0  # *args: any
