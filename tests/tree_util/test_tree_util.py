"""portax.tree_util against jax.tree_util: structure, key paths, one registry with portax.tree, custom nodes
through grad/jit/vmap on every backend."""

from __future__ import annotations

import dataclasses
from collections import namedtuple

import numpy as np
import portax
import portax.numpy as jnp
import portax.tree_util as tu
import pytest
from helpers import to_numpy

# jit must really compile on torch, not fall back to running uncompiled
pytestmark = pytest.mark.filterwarnings("error::portax.errors.CompileFallbackWarning")

Point = namedtuple("Point", ["x", "y"])
TREE = {"b": [1.0, (2.0, None)], "a": Point(3.0, {"z": 4.0, "c": 5.0})}


def test_flatten_map_reduce_match_jax(jax_reference):
    jax, _ = jax_reference
    leaves, treedef = tu.tree_flatten(TREE)
    assert leaves == jax.tree_util.tree_leaves(TREE)
    assert tu.tree_unflatten(treedef, leaves) == TREE
    assert tu.tree_map(lambda v: v * 2, TREE) == jax.tree_util.tree_map(lambda v: v * 2, TREE)
    assert tu.tree_reduce(lambda a, b: a + b, TREE) == jax.tree_util.tree_reduce(lambda a, b: a + b, TREE)
    assert tu.tree_all([True, (1, {"a": 2})]) and not tu.tree_all([True, 0])
    assert tu.tree_structure(TREE).num_leaves == jax.tree_util.tree_structure(TREE).num_leaves


def test_transpose_matches_jax(jax_reference):
    jax, _ = jax_reference
    tree = [{"u": 1, "v": 2}, {"u": 3, "v": 4}]
    ours = tu.tree_transpose(tu.tree_structure([0, 0]), tu.tree_structure({"u": 0, "v": 0}), tree)
    theirs = jax.tree_util.tree_transpose(
        jax.tree_util.tree_structure([0, 0]), jax.tree_util.tree_structure({"u": 0, "v": 0}), tree
    )
    assert ours == theirs


def test_paths_and_keystr_match_jax(jax_reference):
    jax, _ = jax_reference
    ours = tu.tree_flatten_with_path(TREE)[0]
    theirs = jax.tree_util.tree_flatten_with_path(TREE)[0]
    assert [tu.keystr(p) for p, _ in ours] == [jax.tree_util.keystr(p) for p, _ in theirs]
    assert [v for _, v in ours] == [v for _, v in theirs]
    assert [tu.keystr(p, simple=True, separator="/") for p, _ in ours] == [
        jax.tree_util.keystr(p, simple=True, separator="/") for p, _ in theirs
    ]
    doubled = tu.tree_map_with_path(lambda p, v: tu.keystr(p), TREE)
    assert doubled == jax.tree_util.tree_map_with_path(lambda p, v: jax.tree_util.keystr(p), TREE)


@tu.register_pytree_node_class
class Affine:
    def __init__(self, w, b, name="affine"):
        self.w, self.b, self.name = w, b, name

    def tree_flatten(self):
        return (self.w, self.b), self.name

    @classmethod
    def tree_unflatten(cls, name, children):
        return cls(*children, name=name)

    def __call__(self, x):
        return self.w * x + self.b


@dataclasses.dataclass
class Params:
    scale: object
    shift: object
    label: str = dataclasses.field(default="p", metadata={"static": True})


tu.register_dataclass(Params)


@dataclasses.dataclass(frozen=True)
class Activation:
    kind: str


tu.register_static(Activation)


def test_one_registry_with_portax_tree():
    class Pair:
        def __init__(self, a, b):
            self.a, self.b = a, b

    portax.tree.register_pytree_node(Pair, lambda p: ((p.a, p.b), None), lambda _, c: Pair(*c))
    assert tu.tree_leaves(Pair(1, [2, 3])) == [1, 2, 3]
    assert portax.tree.leaves(Affine(1, 2)) == [1, 2]
    assert tu.tree_leaves({"act": Activation("relu"), "x": 1}) == [1]
    path = tu.tree_flatten_with_path(Params(1.0, 2.0))[0]
    assert [tu.keystr(p) for p, _ in path] == [".scale", ".shift"]


def _loss(params, act, x):
    affine, p = params
    y = affine(x) * p.scale + p.shift
    assert act.kind == "relu"
    return jnp.sum(jnp.maximum(y, 0.0) ** 2)


def test_custom_nodes_through_grad_jit_vmap(backend):
    x = jnp.asarray(np.array([1.0, -2.0, 3.0], np.float32))
    params = (Affine(jnp.asarray(2.0), jnp.asarray(0.5)), Params(jnp.asarray(1.5), jnp.asarray(0.1)))
    act = Activation("relu")
    # reference: analytic gradient in NumPy
    w, b, s, t, xs = 2.0, 0.5, 1.5, 0.1, np.array([1.0, -2.0, 3.0])
    y = (w * xs + b) * s + t
    g = 2 * np.maximum(y, 0.0) * (y > 0)
    expected = [np.sum(g * xs * s), np.sum(g * s), np.sum(g * (w * xs + b)), np.sum(g)]

    grads = portax.grad(_loss)(params, act, x)
    assert isinstance(grads[0], Affine) and isinstance(grads[1], Params) and grads[0].name == "affine"
    np.testing.assert_allclose([to_numpy(v) for v in tu.tree_leaves(grads)], expected, rtol=1e-5)

    jitted = portax.jit(portax.grad(_loss), static_argnums=1)(params, act, x)
    np.testing.assert_allclose([to_numpy(v) for v in tu.tree_leaves(jitted)], expected, rtol=1e-5)

    batched = portax.vmap(lambda p, xi: _loss(p, act, xi), in_axes=(None, 0))(params, x)
    np.testing.assert_allclose(
        to_numpy(batched), [float(np.maximum((w * v + b) * s + t, 0) ** 2) for v in xs], rtol=1e-5
    )
    out = portax.jit(lambda p: tu.tree_map(lambda v: v * 2, p))(params)
    assert isinstance(out[1], Params) and out[1].label == "p"
    np.testing.assert_allclose(to_numpy(out[1].scale), 3.0)


def test_partial_is_a_pytree_through_transforms(backend):
    add = tu.Partial(lambda a, x: a * x, jnp.asarray(3.0))
    assert len(tu.tree_leaves(add)) == 1
    np.testing.assert_allclose(to_numpy(portax.jit(lambda f, x: f(x))(add, jnp.asarray(2.0))), 6.0)
    made = portax.jit(lambda a: tu.Partial(lambda c, x: c + x, a))(jnp.asarray(1.0))
    assert isinstance(made, tu.Partial)
    np.testing.assert_allclose(to_numpy(made(jnp.asarray(2.0))), 3.0)
    grad_a = portax.grad(lambda f: f(jnp.asarray(2.0)))(add)
    assert isinstance(grad_a, tu.Partial)
    np.testing.assert_allclose(to_numpy(grad_a.args[0]), 2.0)


def test_register_class_without_methods_says_what_to_do():
    with pytest.raises(TypeError, match="tree_flatten"):
        tu.register_pytree_node_class(type("Bare", (), {}))


def _scan_loss(w):
    def step(carry, x):
        return Params(carry.scale * w + x, carry.shift + carry.scale), carry.scale

    carry, ys = portax.lax.scan(step, Params(jnp.asarray(1.0), jnp.asarray(0.0)), jnp.arange(3.0))
    return carry.shift + jnp.sum(ys)


def _scan_loss_reference(w: float) -> float:
    scale, shift, total = 1.0, 0.0, 0.0
    for x in range(3):
        total += scale
        scale, shift = scale * w + x, shift + scale
    return shift + total


@pytest.mark.skipif(not hasattr(portax.lax, "scan"), reason="portax.lax.scan not built yet")
def test_custom_node_as_scan_carry_under_grad_and_jit(backend):
    w, eps = 0.5, 1e-6
    expected_grad = (_scan_loss_reference(w + eps) - _scan_loss_reference(w - eps)) / (2 * eps)
    np.testing.assert_allclose(to_numpy(_scan_loss(jnp.asarray(w))), _scan_loss_reference(w), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(portax.grad(_scan_loss)(jnp.asarray(w))), expected_grad, rtol=1e-5)
    np.testing.assert_allclose(to_numpy(portax.jit(portax.grad(_scan_loss))(jnp.asarray(w))), expected_grad, rtol=1e-5)


@pytest.mark.skipif(not hasattr(portax, "pmap"), reason="portax.pmap not built yet")
def test_custom_node_through_pmap(backend):
    out = portax.pmap(lambda p: Params(p.scale * 2, p.shift), axis_name="i")(Params(jnp.ones(1), jnp.zeros(1)))
    assert isinstance(out, Params)
    np.testing.assert_allclose(to_numpy(out.scale), [2.0])
