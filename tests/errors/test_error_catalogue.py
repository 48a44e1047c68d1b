"""The bad-input catalogue: each entry is a call JAX rejects; portax must reject it with JAX's exception class (a
portax subclass of it is fine) on every backend. The expected class comes from running real JAX on the same input
(skipped where jax is not installed), so the catalogue cannot drift from JAX.
"""

from __future__ import annotations

import warnings

import numpy as np
import portax
import pytest

jax = pytest.importorskip("jax")
jax_numpy = pytest.importorskip("jax.numpy")


def _f32(*shape):
    return np.arange(float(np.prod(shape)), dtype=np.float32).reshape(shape)


def _i32(*shape):
    return np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)


# Each entry: name -> function of (portax-or-jax module, numpy module of it, array maker). ``A(np_array)`` makes an
# array of the backend under test (or a jax array for the reference run).
def _catalogue():
    c = {}
    # shape mismatches
    for shapes in [((2, 3), (4,)), ((2, 3), (5, 7)), ((6,), (4,)), ((2, 3), (3, 3))]:
        c[f"reshape {shapes[0]} to {shapes[1]}"] = lambda x, A, s=shapes: x.numpy.reshape(A(_f32(*s[0])), s[1])
    for a, b in [((2, 3), (4, 5)), ((3,), (4,)), ((2, 3), (2,)), ((2, 2, 3), (2, 4, 2)), ((5,), (2, 3))]:
        c[f"matmul {a} @ {b}"] = lambda x, A, a=a, b=b: x.numpy.matmul(A(_f32(*a)), A(_f32(*b)))
        c[f"dot {a} . {b}"] = lambda x, A, a=a, b=b: x.numpy.dot(A(_f32(*a)), A(_f32(*b)))
    for a, b in [((3,), (4,)), ((2, 3), (3, 2)), ((2, 3, 4), (2, 4, 4)), ((3,), (2, 4)), ((2, 4), (3, 1, 1))]:
        for op in ["add", "multiply", "subtract", "maximum", "less", "where_xy"]:
            if op == "where_xy":
                c[f"where {a} {b}"] = lambda x, A, a=a, b=b: x.numpy.where(True, A(_f32(*a)), A(_f32(*b)))
            else:
                c[f"{op} {a} {b}"] = lambda x, A, a=a, b=b, op=op: getattr(x.numpy, op)(A(_f32(*a)), A(_f32(*b)))
        c[f"broadcast_to {a} -> {b}"] = lambda x, A, a=a, b=b: x.numpy.broadcast_to(A(_f32(*a)), b)
        c[f"broadcast_arrays {a} {b}"] = lambda x, A, a=a, b=b: x.numpy.broadcast_arrays(A(_f32(*a)), A(_f32(*b)))
    for a, b, axis in [((2, 3), (2, 4), 0), ((2, 3), (3,), 0), ((2, 3), (4, 3), 1)]:
        c[f"concatenate {a} {b} axis {axis}"] = lambda x, A, a=a, b=b, ax=axis: x.numpy.concatenate(
            [A(_f32(*a)), A(_f32(*b))], axis=ax)
        c[f"stack {a} {b}"] = lambda x, A, a=a, b=b: x.numpy.stack([A(_f32(*a)), A(_f32(*b))])
    # bad axes
    for name in ["sum", "mean", "max", "argmax", "cumsum", "sort", "argsort", "flip", "expand_dims", "squeeze",
                 "var", "prod", "any", "take", "moveaxis", "swapaxes"]:
        for axis in [2, -3, 5]:
            def call(x, A, name=name, axis=axis):
                a = A(_f32(2, 3))
                if name == "take":
                    return x.numpy.take(a, A(_i32(1)), axis=axis)
                if name == "moveaxis":
                    return x.numpy.moveaxis(a, axis, 0)
                if name == "swapaxes":
                    return x.numpy.swapaxes(a, axis, 0)
                return getattr(x.numpy, name)(a, axis=axis)
            c[f"{name} axis={axis}"] = call
    c["squeeze of a non-unit axis"] = lambda x, A: x.numpy.squeeze(A(_f32(2, 3)), axis=0)
    c["sort of 0-d"] = lambda x, A: x.numpy.sort(A(np.float32(1.0)))
    c["transpose bad axes"] = lambda x, A: x.numpy.transpose(A(_f32(2, 3)), (0, 0))
    c["transpose wrong count"] = lambda x, A: x.numpy.transpose(A(_f32(2, 3)), (0, 1, 2))
    c["split into unequal parts"] = lambda x, A: x.numpy.split(A(_f32(5)), 2)
    # non-array input
    for name in ["sin", "exp", "sum", "mean", "abs", "sqrt", "argmax", "cumsum", "sort", "ravel"]:
        c[f"{name} of a list"] = lambda x, A, name=name: getattr(x.numpy, name)([1.0, 2.0])
    c["matmul of lists"] = lambda x, A: x.numpy.matmul([[1.0]], [[2.0]])
    c["add of a string"] = lambda x, A: x.numpy.add(A(_f32(2)), "a")
    c["sin of a string"] = lambda x, A: x.numpy.sin("a")
    c["sin of None"] = lambda x, A: x.numpy.sin(None)
    # bad dtypes
    for dtype in ["float128", "not_a_dtype", "int3"]:
        c[f"zeros dtype={dtype}"] = lambda x, A, d=dtype: x.numpy.zeros(3, dtype=d)
        c[f"astype {dtype}"] = lambda x, A, d=dtype: x.numpy.astype(A(_f32(2)), d)
    for name in ["bitwise_and", "left_shift", "gcd", "bitwise_or"]:
        c[f"{name} of floats"] = lambda x, A, name=name: getattr(x.numpy, name)(A(_f32(2)), A(_f32(2)))
    c["invert of float"] = lambda x, A: x.numpy.invert(A(_f32(2)))
    for name in ["round", "vander", "ediff1d"]:
        c[f"{name} of bool"] = lambda x, A, name=name: getattr(x.numpy, name)(A(np.array([True, False])))
    for name in ["subtract", "polysub"]:
        c[f"{name} of bools"] = lambda x, A, name=name: getattr(x.numpy, name)(A(np.array([True])), A(np.array([0 > 1])))
    c["negative of bool"] = lambda x, A: x.numpy.negative(A(np.array([True])))
    c["fabs of complex"] = lambda x, A: x.numpy.fabs(A(np.array([1j], np.complex64)))
    c["ldexp float exponent"] = lambda x, A: x.numpy.ldexp(A(_f32(2)), A(_f32(2)))
    # linalg
    c["inv of non-square"] = lambda x, A: x.numpy.linalg.inv(A(_f32(2, 3)))
    c["inv of 1-d"] = lambda x, A: x.numpy.linalg.inv(A(_f32(3)))
    c["det of non-square"] = lambda x, A: x.numpy.linalg.det(A(_f32(2, 3)))
    c["solve shape mismatch"] = lambda x, A: x.numpy.linalg.solve(A(_f32(3, 3) + np.eye(3, dtype=np.float32)), A(_f32(4)))
    c["cholesky of 1-d"] = lambda x, A: x.numpy.linalg.cholesky(A(_f32(3)))
    c["eigh of non-square"] = lambda x, A: x.numpy.linalg.eigh(A(_f32(2, 3)))
    c["norm bad ord"] = lambda x, A: x.numpy.linalg.norm(A(_f32(2, 3)), ord="bad")
    # indexing
    c["index out of range"] = lambda x, A: A(_f32(3))[5]
    c["too many indices"] = lambda x, A: A(_f32(3))[0, 0]
    c["float index"] = lambda x, A: A(_f32(3))[1.5]
    c["at[] float index"] = lambda x, A: A(_f32(3)).at[1.5].set(0.0)
    c["take of float indices"] = lambda x, A: x.numpy.take(A(_f32(3)), A(np.array([1.0], np.float32)))
    c["take_along_axis of float indices"] = lambda x, A: x.numpy.take_along_axis(A(_f32(3)), A(_f32(1)), axis=0)
    c["delete out of range"] = lambda x, A: x.numpy.delete(A(_f32(4)), A(np.array([4, 0], np.int32)))
    c["delete float index"] = lambda x, A: x.numpy.delete(A(_f32(4)), A(np.array([1.0], np.float32)))
    c["insert float index"] = lambda x, A: x.numpy.insert(A(_f32(4)), A(np.array([1.0], np.float32)), 0.0)
    c["kron of bools"] = lambda x, A: x.numpy.kron(A(np.array([True])), A(np.array([True])))
    c["tensordot too many axes"] = lambda x, A: x.numpy.tensordot(A(_f32(4)), A(_f32(4)), 2)
    c["take_along_axis ndim mismatch"] = lambda x, A: x.numpy.take_along_axis(A(_f32(2, 3)), A(_i32(3)), axis=0)
    # complex input to functions jax.numpy defines for real input only (one check each: class and message)
    complex_pair = np.array([1 + 2j, 3 - 1j], np.complex64)
    for name in ("unwrap", "i0", "median", "nanmedian", "spacing", "signbit", "isneginf", "isposinf", "frexp", "cbrt",
                 "floor", "ceil", "trunc"):
        c[f"{name} of complex"] = lambda x, A, name=name: getattr(x.numpy, name)(A(complex_pair))
    c["hypot of complex"] = lambda x, A: x.numpy.hypot(A(complex_pair), A(complex_pair))
    c["quantile of complex"] = lambda x, A: x.numpy.quantile(A(complex_pair), 0.5)
    c["percentile of complex"] = lambda x, A: x.numpy.percentile(A(complex_pair), 50.0)
    c["interp of complex x"] = lambda x, A: x.numpy.interp(A(complex_pair), A(_f32(2)), A(_f32(2)))
    c["ldexp of complex"] = lambda x, A: x.numpy.ldexp(A(complex_pair), A(_i32(2)))
    # creation
    c["zeros negative shape"] = lambda x, A: x.numpy.zeros((-1, 2))
    c["ones float shape"] = lambda x, A: x.numpy.ones((2.5,))
    c["arange step 0"] = lambda x, A: x.numpy.arange(0, 5, 0)
    c["eye negative"] = lambda x, A: x.numpy.eye(-2)
    c["full bad shape"] = lambda x, A: x.numpy.full((2, "a"), 1.0)
    c["linspace negative num"] = lambda x, A: x.numpy.linspace(0, 1, -3)
    # transformations
    c["grad of integer output"] = lambda x, A: x.grad(lambda v: x.numpy.sum(v).astype(x.numpy.int32))(A(_f32(3)))
    c["grad of integer input"] = lambda x, A: x.grad(lambda v: x.numpy.sum(v * 1.0))(A(_i32(3)))
    c["grad of non-scalar output"] = lambda x, A: x.grad(lambda v: v * 2.0)(A(_f32(3)))
    c["grad argnums out of range"] = lambda x, A: x.grad(lambda v: x.numpy.sum(v), argnums=3)(A(_f32(3)))
    c["jit static_argnums out of range"] = lambda x, A: x.jit(lambda v: v * 2.0, static_argnums=(5,))(A(_f32(3)))
    c["vmap mismatched sizes"] = lambda x, A: x.vmap(lambda a, b: a + b)(A(_f32(3)), A(_f32(4)))
    c["vmap in_axes too big"] = lambda x, A: x.vmap(lambda a: a, in_axes=2)(A(_f32(3)))
    c["vmap in_axes wrong structure"] = lambda x, A: x.vmap(lambda a: a, in_axes=(0, 0))(A(_f32(3)))
    c["jvp tangent shape mismatch"] = lambda x, A: x.jvp(lambda v: v * 2.0, (A(_f32(3)),), (A(_f32(4)),))
    c["jvp tangent dtype mismatch"] = lambda x, A: x.jvp(lambda v: v * 2.0, (A(_f32(3)),), (A(_f32(3).astype(np.float16)),))
    c["jacrev of integer output"] = lambda x, A: x.jacrev(lambda v: (v * 2.0).astype(x.numpy.int32))(A(_f32(3)))
    c["jacrev of bool output in a dict"] = lambda x, A: x.jacrev(lambda v: {"a": v, "b": v > 1.0})(A(_f32(3)))
    c["jacrev of complex output"] = lambda x, A: x.jacrev(lambda v: v.astype(x.numpy.complex64))(A(_f32(3)))
    c["hessian of integer output"] = lambda x, A: x.hessian(lambda v: x.numpy.sum(v).astype(x.numpy.int32))(A(_f32(3)))
    c["vjp cotangent list for a tuple"] = lambda x, A: x.vjp(lambda v: (v, v), A(_f32(3)))[1]([A(_f32(3))] * 2)
    c["vjp cotangent missing a leaf"] = lambda x, A: x.vjp(lambda v: (v, v), A(_f32(3)))[1]((A(_f32(3)),))
    c["vjp cotangent leaf for a tuple"] = lambda x, A: x.vjp(lambda v: (v, v), A(_f32(3)))[1](A(_f32(3)))
    c["vjp cotangent other dict keys"] = lambda x, A: x.vjp(lambda v: {"a": v}, A(_f32(3)))[1]({"b": A(_f32(3))})
    c["vjp cotangent shape mismatch"] = lambda x, A: x.vjp(lambda v: v * 2.0, A(_f32(3)))[1](A(_f32(4)))

    def custom_vjp_forward(x, A):
        @x.custom_vjp
        def f(v):
            return v * 2.0

        f.defvjp(lambda v: (v * 2.0, None), lambda _, g: (g * 2.0,))
        return x.jvp(f, (A(_f32(3)),), (A(_f32(3)),))

    c["forward mode over custom_vjp"] = custom_vjp_forward
    c["jacfwd over custom_vjp"] = lambda x, A: x.jacfwd(_custom_vjp_double(x))(A(_f32(3)))
    c["python if on traced value under jit"] = lambda x, A: x.jit(lambda v: v if v.sum() > 0 else -v)(A(_f32(3)))
    c["float of traced value under grad"] = lambda x, A: x.grad(lambda v: float(v) * v)(A(np.float32(2.0)))
    c["float of traced value under jit"] = lambda x, A: x.jit(lambda v: float(v.sum()) * v)(A(_f32(3)))
    c["int of traced value under jit"] = lambda x, A: x.jit(lambda v: int(v.sum()) * v)(A(_f32(3)))
    c["item of traced value under jit"] = lambda x, A: x.jit(lambda v: v.sum().item() * v)(A(_f32(3)))
    c["float of traced value under vmap"] = lambda x, A: x.vmap(lambda v: float(v) * v)(A(_f32(3)))
    c["lax.cond branch mismatch"] = lambda x, A: x.lax.cond(True, lambda v: v, lambda v: v[:2], A(_f32(3)))
    c["lax.scan carry mismatch"] = lambda x, A: x.lax.scan(lambda c, v: (c[:1], v), A(_f32(2)), A(_f32(3)))
    c["lax.fori_loop carry dtype change"] = lambda x, A: x.lax.fori_loop(0, 2, lambda i, v: v.astype(x.numpy.int32), A(_f32(2)))
    return c


def _custom_vjp_double(x):
    @x.custom_vjp
    def f(v):
        return v * 2.0

    f.defvjp(lambda v: (v * 2.0, None), lambda _, g: (g * 2.0,))
    return f


CATALOGUE = _catalogue()


def _jax_class(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(jax, jax_numpy.asarray)
        except Exception as error:  # noqa: BLE001 (any class: it is the reference)
            return type(error)
    return None


EXPECTED = {name: _jax_class(fn) for name, fn in CATALOGUE.items()}

#: (backend, entry) -> the docs section declaring why portax does not raise JAX's class there; everything else must
#: match.
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {
    ("torch", "float index"): "docs/sharp-bits.md#x15-a-float-index-is-indexerror-on-torch (torch.Tensor.__getitem__)",
}


@pytest.mark.parametrize("name", [n for n, cls in EXPECTED.items() if cls is not None])
def test_raises_jax_class(name, backend, xp):
    expected = EXPECTED[name]
    known = KNOWN_DIFFERENCES.get((backend.name, name))
    if known:
        pytest.skip(known)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as info:  # noqa: PT011 (checked below against JAX's class)
            CATALOGUE[name](portax, xp.asarray)
    error = info.value
    # JAX's own class, or (for JAX-only classes such as jax.errors.*) the builtin class it derives from.
    accepted = tuple(c for c in expected.__mro__ if c not in (Exception, BaseException, object))
    assert isinstance(error, accepted), (
        f"{name}: JAX raises {expected.__module__}.{expected.__name__}, portax on {backend.name} raised "
        f"{type(error).__module__}.{type(error).__name__}: {str(error)[:200]}"
    )


def test_float_index_class_is_the_engines(backend_name, xp):
    """The declared difference: ``x[1.5]`` is the engine's own ``__getitem__`` (torch IndexError, JAX TypeError)."""
    with pytest.raises(IndexError if backend_name == "torch" else TypeError):
        xp.asarray(_f32(3))[1.5]
    with pytest.raises(TypeError):  # portax's own indexing raises JAX's class on every backend
        xp.at(xp.asarray(_f32(3)))[1.5].get()
