"""Shape, slicing, padding and creation primitives of ``portax.lax`` against real ``jax.lax`` on every backend:
values, shapes and dtypes, JAX's errors, and compositions with jit, grad and vmap (traced and batched indices)."""

from __future__ import annotations

import re

import numpy as np
import portax
import pytest
from helpers import assert_native, to_numpy
from lax_util import check_both

A = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
M = np.arange(12, dtype=np.float32).reshape(3, 4) - 5.0


def compare(ours, theirs):
    """Same dtype, shape and values (pytrees of arrays too)."""
    if isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            compare(a, b)
        return
    assert_native(ours)
    actual, expected = to_numpy(ours), np.asarray(theirs)
    assert actual.dtype == expected.dtype, f"dtype {actual.dtype} != {expected.dtype}"
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=1e-6, equal_nan=True)


def both(call, xp, jax_reference, *arrays):
    """``call(lax, *arrays)`` with portax on the backend under test and with real JAX, compared."""
    jax, jnp = jax_reference
    compare(call(portax.lax, *[xp.asarray(a) for a in arrays]), call(jax.lax, *[jnp.asarray(a) for a in arrays]))


CASES = {
    "broadcast": (lambda lax, x: lax.broadcast(x, (2, 1)), M),
    "broadcast_in_dim": (lambda lax, x: lax.broadcast_in_dim(x, (5, 3, 2, 4), (1, 3)), M),
    "broadcast_in_dim_ones": (lambda lax, x: lax.broadcast_in_dim(x[:1], (3, 2, 4), (1, 2)), M),
    "broadcast_to_rank": (lambda lax, x: lax.broadcast_to_rank(x, 4), M),
    "reshape": (lambda lax, x: lax.reshape(x, (4, 6)), A),
    "reshape_dimensions": (lambda lax, x: lax.reshape(x, (6, 4), dimensions=(1, 0, 2)), A),
    "transpose": (lambda lax, x: lax.transpose(x, (2, 0, 1)), A),
    "rev": (lambda lax, x: lax.rev(x, (0, 2)), A),
    "rev_none": (lambda lax, x: lax.rev(x, ()), A),
    "squeeze": (lambda lax, x: lax.squeeze(x[:, :1, None], (1, 2)), A),
    "squeeze_negative": (lambda lax, x: lax.squeeze(x[:, :1], (-2,)), A),
    "expand_dims": (lambda lax, x: lax.expand_dims(x, (0, 3)), M),
    "expand_dims_negative": (lambda lax, x: lax.expand_dims(x, (-1,)), M),
    "collapse": (lambda lax, x: lax.collapse(x, 1), A),
    "collapse_range": (lambda lax, x: lax.collapse(x, 0, 2), A),
    "concatenate": (lambda lax, x: lax.concatenate([x, x * 2, x[:, :1]], 1), M),
    "pad_edges": (lambda lax, x: lax.pad(x, -1.0, [(1, 2, 0), (0, 3, 0)]), M),
    "pad_interior": (lambda lax, x: lax.pad(x, 0.5, [(1, 0, 2), (2, 1, 1)]), M),
    "pad_negative": (lambda lax, x: lax.pad(x, -1.0, [(-1, 2, 1), (1, -2, 0)]), M),
    "pad_negative_only": (lambda lax, x: lax.pad(x, 0.0, [(-1, 0, 0), (0, -3, 0)]), M),
    "slice": (lambda lax, x: lax.slice(x, (0, 1, 0), (2, 3, 4)), A),
    "slice_strides": (lambda lax, x: lax.slice(x, (0, 0, 1), (2, 3, 4), (1, 2, 2)), A),
    "slice_in_dim": (lambda lax, x: lax.slice_in_dim(x, 1, None, axis=1), M),
    "slice_in_dim_negative": (lambda lax, x: lax.slice_in_dim(x, -3, -1, 2, axis=1), M),
    "index_in_dim": (lambda lax, x: lax.index_in_dim(x, -1, 1), M),
    "index_in_dim_squeezed": (lambda lax, x: lax.index_in_dim(x, 2, 0, keepdims=False), M),
    "dynamic_slice": (lambda lax, x: lax.dynamic_slice(x, (1, 2), (2, 2)), M),
    "dynamic_slice_clamped": (lambda lax, x: lax.dynamic_slice(x, (5, -7), (2, 3)), M),
    "dynamic_slice_negative": (lambda lax, x: lax.dynamic_slice(x, (-1, -2), (1, 2)), M),
    "dynamic_slice_in_dim": (lambda lax, x: lax.dynamic_slice_in_dim(x, 1, 3, axis=1), M),
    "dynamic_index_in_dim": (lambda lax, x: lax.dynamic_index_in_dim(x, -1, 1, keepdims=False), M),
    "dynamic_update_slice": (lambda lax, x: lax.dynamic_update_slice(x, x[:2, :2] * 0 - 9, (1, 3)), M),
    "dynamic_update_slice_in_dim": (lambda lax, x: lax.dynamic_update_slice_in_dim(x, x[:1] + 100, 2, 0), M),
    "dynamic_update_index_in_dim": (lambda lax, x: lax.dynamic_update_index_in_dim(x, x[0] * 0, 1, 0), M),
    "select_n_bool": (lambda lax, x: lax.select_n(x > 0, x, -x * 2), M),
    "select_n_int": (lambda lax, x: lax.select_n((lax.convert_element_type(x, "int32") % 3 + 3) % 3, x, x * 2, x * 3), M),
    "select_n_scalar": (lambda lax, x: lax.select_n(x.sum() > 0, x, -x), M),
    "convert_element_type": (lambda lax, x: lax.convert_element_type(x / 3, "int32"), M),
    "convert_element_type_bool": (lambda lax, x: lax.convert_element_type(x, "bool"), M),
    "full_like": (lambda lax, x: lax.full_like(x, 3.5), M),
    "full_like_dtype_shape": (lambda lax, x: lax.full_like(x, 2, "int32", (2, 5)), M),
    "tile": (lambda lax, x: lax.tile(x, (2, 1)), M),
    "stack": (lambda lax, x: lax.stack([x, x + 1], axis=1), M),
    "unstack": (lambda lax, x: lax.unstack(x, axis=1), M),
    "split": (lambda lax, x: lax.split(x, (1, 3), axis=1), M),
    "bitcast_same_width": (lambda lax, x: lax.bitcast_convert_type(x, "int32"), M),
    "bitcast_narrower": (lambda lax, x: lax.bitcast_convert_type(x, "int16"), M),
    "bitcast_wider": (lambda lax, x: lax.bitcast_convert_type(lax.bitcast_convert_type(x, "uint8"), "float32"), M),
}


@pytest.mark.parametrize("case", list(CASES))
def test_structural_matches_jax(case, xp, jax_reference):
    call, operand = CASES[case]
    both(call, xp, jax_reference, operand)


@pytest.mark.parametrize(
    "call",
    [
        lambda lax: lax.iota("int32", 5),
        lambda lax: lax.iota("float32", 0),
        lambda lax: lax.broadcasted_iota("int32", (2, 3), 1),
        lambda lax: lax.broadcasted_iota("float32", (3, 2, 2), 0),
        lambda lax: lax.full((2, 3), 1.5),
        lambda lax: lax.full((4,), 7, "int8"),
        lambda lax: lax.full((), True),
    ],
    ids=["iota", "iota-empty", "broadcasted_iota", "broadcasted_iota-float", "full", "full-dtype", "full-scalar"],
)
def test_creation_matches_jax(call, xp, jax_reference):
    """Creation primitives make arrays of the current backend (no array argument decides)."""
    jax, _ = jax_reference
    compare(call(portax.lax), call(jax.lax))


def test_broadcast_shapes():
    assert portax.lax.broadcast_shapes((2, 1), (3,), ()) == (2, 3)
    with pytest.raises(ValueError, match="Incompatible shapes"):
        portax.lax.broadcast_shapes((2,), (3,))


def _error(function):
    with pytest.raises(Exception) as info:  # noqa: PT011 (compared with JAX's below)
        function()
    return info.value


ERRORS = {
    "broadcast_in_dim_length": lambda lax, x: lax.broadcast_in_dim(x, (3, 4, 5), (0,)),
    "broadcast_in_dim_size": lambda lax, x: lax.broadcast_in_dim(x, (3, 5), (0, 1)),
    "reshape_negative": lambda lax, x: lax.reshape(x, (-1,)),
    "reshape_dimensions": lambda lax, x: lax.reshape(x, (12,), (0,)),
    "transpose": lambda lax, x: lax.transpose(x, (0, 0)),
    "rev_negative": lambda lax, x: lax.rev(x, (-1,)),
    "rev_range": lambda lax, x: lax.rev(x, (2,)),
    "squeeze": lambda lax, x: lax.squeeze(x, (0,)),
    "concatenate_rank": lambda lax, x: lax.concatenate([x, x[0]], 0),
    "concatenate_sizes": lambda lax, x: lax.concatenate([x, x[:, :2]], 0),
    "concatenate_dtypes": lambda lax, x: lax.concatenate([x, lax.convert_element_type(x, "int32")], 0),
    "concatenate_dimension": lambda lax, x: lax.concatenate([x, x], -1),
    "concatenate_empty": lambda lax, x: lax.concatenate([], 0),
    "pad_dtype": lambda lax, x: lax.pad(x, 0, [(1, 1, 0), (0, 0, 0)]),
    "pad_length": lambda lax, x: lax.pad(x, 0.0, [(1, 1, 0)]),
    "pad_interior": lambda lax, x: lax.pad(x, 0.0, [(1, 1, -1), (0, 0, 0)]),
    "index_in_dim": lambda lax, x: lax.index_in_dim(x, 5, 0),
    "dynamic_slice_size": lambda lax, x: lax.dynamic_slice(x, (0, 0), (3, 5)),
    "dynamic_slice_count": lambda lax, x: lax.dynamic_slice(x, (0,), (1, 1)),
    "dynamic_update_slice_rank": lambda lax, x: lax.dynamic_update_slice(x, x[0], (0, 0)),
    "dynamic_update_slice_size": lambda lax, x: lax.dynamic_update_slice(x, lax.concatenate([x, x], 0), (0, 0)),
    "dynamic_update_slice_dtype": lambda lax, x: lax.dynamic_update_slice(x, lax.convert_element_type(x, "int32"), (0, 0)),
    "select_n_empty": lambda lax, x: lax.select_n(x > 0),
    "select_n_which_shape": lambda lax, x: lax.select_n(x[0] > 0, x, x),
    "select_n_bool_three": lambda lax, x: lax.select_n(x > 0, x, x, x),
    "select_n_float": lambda lax, x: lax.select_n(x, x, x),
    "select_n_dtypes": lambda lax, x: lax.select_n(x > 0, x, lax.convert_element_type(x, "int32")),
    "full_fill": lambda lax, x: lax.full((3,), x[0]),
    "broadcasted_iota": lambda lax, x: lax.broadcasted_iota("int32", (2, 3), 2),
    "iota": lambda lax, x: lax.iota("int32", -1),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_match_jax(case, xp, jax_reference):
    """Bad shapes, axes and dtypes raise JAX's error class with JAX's message."""
    jax, jnp = jax_reference
    ours = _error(lambda: ERRORS[case](portax.lax, xp.asarray(M)))
    theirs = _error(lambda: ERRORS[case](jax.lax, jnp.asarray(M)))
    assert type(ours) is type(theirs)
    # JAX's message shows sizes as np.int64(3) or 3 depending on how earlier calls in the process made them
    assert _plain_ints(str(ours)) == _plain_ints(str(theirs))


def _plain_ints(message: str) -> str:
    return re.sub(r"np\.u?int(?:8|16|32|64)\((-?\d+)\)", r"\1", message)


# -- compositions -----------------------------------------------------------------------------------------------------


def build_reshaping(t, lax, np_like):
    def program(x):
        padded = lax.pad(x, 0.0, [(1, -1, 1), (0, 2, 0)])
        moved = lax.transpose(lax.rev(padded, (0,)), (1, 0))
        window = lax.dynamic_slice(moved, (1, 2), (3, 3))
        grown = lax.broadcast_in_dim(window, (2, 3, 3), (1, 2))
        joined = lax.concatenate([lax.reshape(grown, (6, 3)), lax.expand_dims(lax.index_in_dim(x, 0, 0, False)[:3], (0,))], 0)
        updated = lax.dynamic_update_slice(joined, lax.slice(joined, (0, 0), (2, 3)) * 3.0, (4, 0))
        return lax.select_n(updated > 1.0, updated * updated, lax.sin(updated))

    return program


@pytest.mark.parametrize("mode", ["eager", "jit", "grad", "vmap_grad", "jit_vmap"])
def test_structural_program_under_transforms(mode, xp, jax_reference):
    x = np.linspace(-1.0, 2.0, 12, dtype=np.float32).reshape(3, 4)
    if mode in ("vmap_grad", "jit_vmap"):
        x = np.stack([x, x[::-1] * 0.5])
    check_both(build_reshaping, mode, xp, jax_reference, x)


def build_dynamic(t, lax, np_like):
    """Start indices computed from the data: traced under jit, batched under vmap."""

    def program(x, i):
        start = lax.convert_element_type(i, "int32")
        piece = lax.dynamic_slice_in_dim(x, start, 2, axis=0)
        put = lax.dynamic_update_slice_in_dim(x, piece * 10.0, start - 1, axis=0)
        return put + lax.dynamic_index_in_dim(x, start, 0, keepdims=True)

    return program


@pytest.mark.parametrize(
    ("mode", "start"),
    [("eager", 3.0), ("eager", 9.0), ("eager", -2.0), ("jit_grad", -2.0)],
    ids=["inside", "clamped", "negative", "jit_grad"],
)
def test_dynamic_indices_traced(mode, start, xp, jax_reference):
    x = np.arange(10, dtype=np.float32) / 3
    check_both(build_dynamic, mode, xp, jax_reference, x, np.float32(start))


@pytest.mark.parametrize("mode", ["vmap_grad", "jit_vmap"])
def test_dynamic_indices_batched(mode, xp, jax_reference):
    x = np.arange(30, dtype=np.float32).reshape(3, 10) / 7
    check_both(build_dynamic, mode, xp, jax_reference, x, np.array([0.0, 4.0, 9.0], np.float32))


def test_pad_gradient_against_finite_differences(xp):
    """d/dx and d/dpadding_value of sum(pad(x) * w) against central differences."""
    w = np.linspace(0.5, 2.0, 8, dtype=np.float32)

    def program(x, value):
        return portax.lax.reduce_sum(portax.lax.pad(x, value, [(2, -1, 1)]) * xp.asarray(w), (0,))

    x, value = np.array([1.0, -2.0, 3.0, 0.5], np.float32), np.float32(0.25)
    gx, gv = portax.grad(program, argnums=(0, 1))(xp.asarray(x), xp.asarray(value))
    # Result: v, v, x0, v, x1, v, x2, v (x3 cropped by high = -1).
    np.testing.assert_allclose(to_numpy(gx), [w[2], w[4], w[6], 0.0])
    np.testing.assert_allclose(float(to_numpy(gv)), w[0] + w[1] + w[3] + w[5] + w[7], rtol=1e-6)


def test_index_take_matches_jax(xp, jax_reference):
    jax, jnp = jax_reference
    idxs = [np.array([0, 1, -1, 3]), np.array([2, -4, 1, 0])]
    compare(
        portax.lax.index_take(xp.asarray(A), [xp.asarray(i) for i in idxs], (0, 2)),
        jax.lax.index_take(jnp.asarray(A), [jnp.asarray(i) for i in idxs], (0, 2)),
    )


def test_empty_dtype_and_optimization_barrier(xp, jax_reference):
    jax, jnp = jax_reference
    out = portax.lax.empty((2, 3), "int32")
    assert_native(out)
    assert tuple(out.shape) == (2, 3) and to_numpy(out).dtype == np.int32
    assert portax.lax.dtype(2.0) == jax.lax.dtype(2.0)
    assert portax.lax.dtype(xp.asarray(M)) == jax.lax.dtype(jnp.asarray(M))
    assert portax.lax.dtype(np.ones(2)) == jax.lax.dtype(np.ones(2))
    kept = portax.lax.optimization_barrier({"a": xp.asarray(M), "b": 1.0})
    assert_native(kept["b"])
    compare(kept["a"], M)
    grad = portax.grad(lambda x: portax.lax.optimization_barrier(x * x).sum())(xp.asarray(M))
    compare(grad, 2 * M)
