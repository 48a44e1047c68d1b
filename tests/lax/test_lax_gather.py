"""``lax.gather`` and the ``lax.scatter`` family against real ``jax.lax`` on every backend.

The dimension numbers of the ``jnp`` indexing forms are read from real JAX (``jax.make_jaxpr`` of ``x[i]``,
``x.at[i].add(u)``, ``take_along_axis``, ...), so the forms tested are the ones JAX programs produce; general forms
(windows, batching dimensions, the three modes) and compositions with jit, grad and vmap follow.
"""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import to_numpy
from lax_util import check_both

X = np.arange(60, dtype=np.float32).reshape(3, 4, 5) / 7.0 - 3.0
I = np.array([2, 0, 1], dtype=np.int32)  # noqa: E741 (an index vector)


def _equations(jaxpr, prefix):
    for equation in jaxpr.eqns:
        if equation.primitive.name.startswith(prefix):
            yield equation
        for param in equation.params.values():
            inner = getattr(param, "jaxpr", None)
            if inner is not None:
                yield from _equations(getattr(inner, "jaxpr", inner), prefix)


def _jax_numbers(jax_reference, function, *args, prefix="gather"):
    """The dimension numbers, slice sizes and mode of the one gather/scatter JAX emits for ``function(*args)``."""
    jax, jnp = jax_reference
    (equation,) = _equations(jax.make_jaxpr(function)(*[jnp.asarray(a) for a in args]).jaxpr, prefix)
    params = equation.params
    mode = {"FILL_OR_DROP": "fill"}.get(params["mode"].name, params["mode"].name.lower())
    return tuple(params["dimension_numbers"]), params.get("slice_sizes"), mode


#: name -> (the jnp form JAX lowers to a gather, its start indices as JAX computes them for in-range ``I``)
GATHER_FORMS = {
    "x[i]": (lambda x, i: x[i], I[:, None]),
    "x[:, i]": (lambda x, i: x[:, i], I[:, None]),
    "x[..., i]": (lambda x, i: x[..., i], I[:, None]),
    "x[i, i]": (lambda x, i: x[i, i], np.stack([I, I], -1)),
    "x[1:, i]": (lambda x, i: x[1:, i], np.stack([np.ones_like(I), I], -1)),
    "x[i, :, i]": (lambda x, i: x[i, :, i], np.stack([I, I], -1)),
    "x[i[:, None], i]": (lambda x, i: x[i[:, None], i], np.stack(np.broadcast_arrays(I[:, None], I), -1)),
}


@pytest.mark.parametrize("form", list(GATHER_FORMS))
def test_gather_forms_of_jnp_indexing(form, xp, jax_reference):
    index_form, start = GATHER_FORMS[form]
    numbers, sizes, mode = _jax_numbers(jax_reference, index_form, X, I)

    def build(t, lax, np_):
        return lambda x, s: lax.gather(x, s, lax.GatherDimensionNumbers(*numbers), sizes, mode=mode)

    check_both(build, "eager", xp, jax_reference, X, start)


def test_gather_take_along_axis_batching_dims(xp, jax_reference):
    index = np.array([[0, 3], [1, 1], [2, 0]], dtype=np.int32)[:, :, None].repeat(5, 2)
    numbers, sizes, mode = _jax_numbers(jax_reference, lambda x, i: xp_take(x, i), X, index)
    assert numbers[3], "take_along_axis lowers to a gather with batching dimensions"

    def build(t, lax, np_):
        return lambda x, s: lax.gather(x, s, lax.GatherDimensionNumbers(*numbers), sizes, mode=mode)

    check_both(build, "eager", xp, jax_reference, X, index[..., None])


def xp_take(x, i):
    import jax.numpy as jnp

    return jnp.take_along_axis(x, i, axis=1)


GENERAL_GATHERS = {
    # windows of 2x3 at (row, col) starts; the default mode clamps the window into the operand
    "windows": (((1, 2), (0,), (1, 2)), (1, 2, 3), None, np.array([[0, 1], [3, 4], [-1, 0]], np.int32)),
    "clip": (((1, 2), (0,), (1, 2)), (1, 2, 3), "clip", np.array([[0, 1], [3, 4], [-1, 0]], np.int32)),
    # out-of-range windows give the fill value (NaN by default)
    "fill": (((1, 2), (0,), (1, 2)), (1, 2, 3), "fill", np.array([[0, 1], [3, 4], [-1, 0]], np.int32)),
    "index_order_swapped": (((1,), (0, 2), (2, 0)), (1, 4, 1), None, np.array([[4, 2], [0, 1]], np.int32)),
    "batch_axes_2d": (((2,), (0, 1), (0, 1)), (1, 1, 5), None, np.array([[[0, 1], [2, 3]], [[1, 0], [0, 0]]], np.int32)),
    "no_index_vector": (((1, 2, 3), (), ()), (2, 4, 5), None, np.zeros((2, 0), np.int32)),
}


@pytest.mark.parametrize("case", list(GENERAL_GATHERS))
def test_gather_general(case, xp, jax_reference):
    numbers, sizes, mode, start = GENERAL_GATHERS[case]

    def build(t, lax, np_):
        return lambda x, s: lax.gather(x, s, lax.GatherDimensionNumbers(*numbers), sizes, mode=mode)

    check_both(build, "eager", xp, jax_reference, X, start)


def test_gather_fill_value_and_integer_default(xp, jax_reference):
    numbers = ((1,), (), (0,))

    def build(t, lax, np_):
        def run(x, s):
            dn = lax.GatherDimensionNumbers(*numbers)
            ints = lax.convert_element_type(x * 7, "int32")
            return (lax.gather(x, s, dn, (2,), mode="fill", fill_value=-1.0),
                    lax.gather(ints, s, dn, (2,), mode="fill"))

        return run

    check_both(build, "eager", xp, jax_reference, X[0, 0], np.array([[0], [3], [4], [-1]], np.int32))


GATHER_MODES = ("grad", "vmap", "vmap_grad", "jit_grad")


@pytest.mark.parametrize("mode", GATHER_MODES)
def test_gather_transforms(mode, xp, jax_reference):
    def build(t, lax, np_):
        dn = lax.GatherDimensionNumbers(offset_dims=(1, 2), collapsed_slice_dims=(0,), start_index_map=(0, 2))

        def run(x):
            start = np_.array([[2, 1], [0, 3], [2, 1]], dtype=np_.int32)
            return lax.gather(x * x, start, dn, (1, 4, 2)) * 2.0

        return run

    check_both(build, mode, xp, jax_reference, np.stack([X, X[::-1]]) if "vmap" in mode else X)


@pytest.mark.parametrize("mode", ("jit_vmap",))
def test_gather_batched_indices(mode, xp, jax_reference):
    def build(t, lax, np_):
        dn = lax.GatherDimensionNumbers(offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0,))
        return lambda x, s: lax.gather(x, s, dn, (1, 4))

    check_both(build, mode, xp, jax_reference, X, np.array([[[2], [0]], [[1], [1]], [[0], [2]]], np.int32))


# -- scatter --------------------------------------------------------------------------------------------------------


U = np.arange(60, dtype=np.float32).reshape(3, 4, 5) / 11.0 + 0.5

SCATTER_FORMS = {
    # name: (the jnp form, scatter primitive name prefix, lax function, start indices, updates)
    "x.at[i].add": (lambda x, i, u: x.at[i].add(u), "scatter-add", "scatter_add", I[:, None], U),
    "x.at[i].set": (lambda x, i, u: x.at[i].set(u), "scatter", "scatter", I[:, None], U),
    "x.at[:, i].mul": (lambda x, i, u: x.at[:, i].multiply(u), "scatter-mul", "scatter_mul", I[:, None],
                       U[:, :3].transpose(0, 1, 2)),
    "x.at[i, 1:3].max": (lambda x, i, u: x.at[i, 1:3].max(u), "scatter-max", "scatter_max",
                         np.stack([I, np.ones_like(I)], -1), U[:, :2]),
    "x.at[i, :, i].min": (lambda x, i, u: x.at[i, :, i].min(u), "scatter-min", "scatter_min",
                          np.stack([I, I], -1), U[:, :, 0] - 3.0),
}


@pytest.mark.parametrize("form", list(SCATTER_FORMS))
def test_scatter_forms_of_jnp_at(form, xp, jax_reference):
    at_form, prefix, name, start, updates = SCATTER_FORMS[form]
    numbers, _, mode = _jax_numbers(jax_reference, at_form, X, I, updates, prefix=prefix)

    def build(t, lax, np_):
        return lambda x, s, u: getattr(lax, name)(x, s, u, lax.ScatterDimensionNumbers(*numbers), mode=mode)

    check_both(build, "eager", xp, jax_reference, X, start, updates)


def test_scatter_put_along_axis_and_batching_dims(xp, jax_reference):
    index = np.array([[0, 3], [1, 2], [2, 0]], dtype=np.int32)[:, :, None].repeat(5, 2)
    updates = U[:, :2]

    def build(t, lax, np_):
        def run(x, s, u):
            batched = lax.ScatterDimensionNumbers((), (1,), (1,), operand_batching_dims=(0, 2),
                                                  scatter_indices_batching_dims=(0, 2))
            return lax.scatter(x, s[..., None], u, batched), lax.scatter_add(x, s[..., None], u, batched)

        return run

    check_both(build, "eager", xp, jax_reference, X, index, updates)


SCATTER_GENERAL = {
    # repeated starts accumulate; a window that does not fit is dropped (default) or clamped ("clip")
    "add_windows_drop": ("scatter_add", None, np.array([[0, 1], [0, 1], [2, 4]], np.int32)),
    "add_windows_clip": ("scatter_add", "clip", np.array([[0, 1], [0, 1], [2, 4]], np.int32)),
    "add_promise": ("scatter_add", "promise_in_bounds", np.array([[0, 1], [-1, 1], [1, 0]], np.int32)),
    "mul": ("scatter_mul", None, np.array([[0, 1], [0, 1], [1, 0]], np.int32)),
    "min": ("scatter_min", None, np.array([[0, 1], [0, 2], [1, 0]], np.int32)),
    "max_clip": ("scatter_max", "clip", np.array([[0, 1], [5, 2], [1, 0]], np.int32)),
    "sub": ("scatter_sub", None, np.array([[0, 1], [0, 1], [1, 0]], np.int32)),
    "set_drop": ("scatter", None, np.array([[0, 0], [2, 3], [5, 0]], np.int32)),
}


@pytest.mark.parametrize("case", list(SCATTER_GENERAL))
def test_scatter_general(case, xp, jax_reference):
    name, mode, start = SCATTER_GENERAL[case]
    updates = np.linspace(-2.0, 2.0, 3 * 2 * 3 * 5, dtype=np.float32).reshape(3, 2, 3, 5)[..., 0]  # (3, 2, 3)

    def build(t, lax, np_):
        dn = lax.ScatterDimensionNumbers(update_window_dims=(1, 2), inserted_window_dims=(2,),
                                         scatter_dims_to_operand_dims=(0, 1))
        return lambda x, s, u: getattr(lax, name)(x[:, :, :3], s, u, dn, mode=mode)

    check_both(build, "eager", xp, jax_reference, X.transpose(0, 1, 2)[:3, :4], start, updates)


def test_scatter_no_index_vector(xp, jax_reference):
    def build(t, lax, np_):
        dn = lax.ScatterDimensionNumbers((1,), (), ())
        return lambda x, s, u: (lax.scatter_add(x, s, u, dn), lax.scatter_max(x, s, u, dn), lax.scatter(x, s, u, dn))

    check_both(build, "eager", xp, jax_reference, X[0, 0], np.zeros((2, 0), np.int32), U[:2, 0])


def test_scatter_apply(xp, jax_reference):
    def build(t, lax, np_):
        dn = lax.ScatterDimensionNumbers((1,), (0,), (0,))
        return lambda x, s: lax.scatter_apply(x, s, lambda v: v * 10.0 + 1.0, dn, update_shape=(2, 5))

    check_both(build, "eager", xp, jax_reference, X[:, 0], np.array([[2], [0]], np.int32))


SCATTER_NAMES = ("scatter_add", "scatter", "scatter_mul", "scatter_max", "scatter_sub")


@pytest.mark.parametrize("mode", ("jit", "grad", "vmap", "vmap_grad", "jit_grad"))
def test_scatter_transforms(mode, xp, jax_reference):
    # every scatter in one program: one compilation per mode keeps the jit tests cheap on torch
    def build(t, lax, np_):
        dn = lax.ScatterDimensionNumbers(update_window_dims=(1,), inserted_window_dims=(0,),
                                         scatter_dims_to_operand_dims=(0,))

        def run(x, u):
            start = np_.array([[2], [0]], dtype=np_.int32)
            return [getattr(lax, name)(x * 1.5, start, u * u, dn) * x for name in SCATTER_NAMES]

        return run

    x, u = X[:, 0] + 4.0, U[:2, 0]
    if "vmap" in mode:  # a leading batch axis for vmap to map over
        x, u = np.stack([x, x[::-1]]), np.stack([u, u * 0.5])
    check_both(build, mode, xp, jax_reference, x, u)


def test_scatter_batched_indices_under_vmap(xp, jax_reference):
    def build(t, lax, np_):
        dn = lax.ScatterDimensionNumbers((), (0,), (0,))
        return t.vmap(lambda x, s, u: lax.scatter_add(x, s, u, dn), in_axes=(None, 0, 0))

    starts = np.array([[[0], [2]], [[3], [3]], [[4], [9]]], np.int32)
    check_both(build, "eager", xp, jax_reference, X[0, 0], starts, U[:3, :2, 0])


# -- modes and errors -----------------------------------------------------------------------------------------------


def test_mode_names(backend):
    mode = portax.lax.GatherScatterMode
    assert mode.from_any(None) is mode.FILL_OR_DROP
    assert mode.from_any("fill") is mode.from_any("drop") is mode.FILL_OR_DROP
    assert mode.from_any("clip") is mode.CLIP
    assert mode.from_any("promise_in_bounds") is mode.PROMISE_IN_BOUNDS
    with pytest.raises(ValueError, match='Unknown gather mode "wrap"'):
        mode.from_any("wrap")


def test_errors(xp):
    lax = portax.lax
    x = xp.asarray(X)
    dn = lax.GatherDimensionNumbers(offset_dims=(1, 2), collapsed_slice_dims=(0,), start_index_map=(0,))
    with pytest.raises(TypeError, match="must be equal"):
        lax.gather(x, xp.zeros((2, 2), dtype=xp.int32), dn, (1, 4, 5))
    with pytest.raises(TypeError, match="one slice size for every input dimension"):
        lax.gather(x, xp.zeros((2, 1), dtype=xp.int32), dn, (1, 4))
    with pytest.raises(TypeError, match="collapse slice dims with bound 1"):
        lax.gather(x, xp.zeros((2, 1), dtype=xp.int32), dn, (2, 4, 5))
    with pytest.raises(ValueError, match="integer type"):
        lax.gather(x, xp.zeros((2, 1)), dn, (1, 4, 5))
    sdn = lax.ScatterDimensionNumbers((1, 2), (0,), (0,))
    with pytest.raises(TypeError, match="same dtypes"):
        lax.scatter_add(x, xp.zeros((2, 1), dtype=xp.int32), xp.ones((2, 4, 5), dtype=xp.int32), sdn)


def test_results_are_native_and_input_untouched(xp):
    x = xp.asarray(X)
    before = to_numpy(x).copy()
    out = portax.lax.scatter(x, xp.asarray([[1]], dtype=xp.int32), xp.zeros((1, 4, 5)),
                             portax.lax.ScatterDimensionNumbers((1, 2), (0,), (0,)))
    assert type(out) is type(x)
    np.testing.assert_array_equal(to_numpy(x), before)
    assert float(to_numpy(out)[1].sum()) == 0.0


@pytest.mark.parametrize("mode", ("grad", "jit_grad"))
def test_scatter_grad_in_updates(mode, xp, jax_reference):
    def build(t, lax, np_):
        dn = lax.ScatterDimensionNumbers((1,), (0,), (0,))

        def run(u, x):
            start = np_.array([[2], [0]], dtype=np_.int32)
            return [getattr(lax, name)(x, start, u * u, dn, unique_indices=True) * x
                    for name in ("scatter_add", "scatter", "scatter_mul", "scatter_min")]

        return run

    check_both(build, mode, xp, jax_reference, U[:2, 0], X[:, 0] + 4.0)
