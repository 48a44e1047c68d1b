"""The rest of jax.tree_util against real JAX: keyed registration, one-level flattening, treedef helpers,
broadcast, associative reduction, ``tree.static``; keyed nodes through grad/jit/vmap on every backend."""

from __future__ import annotations

import dataclasses
from collections import namedtuple

import numpy as np
import portax
import portax.numpy as jnp
import portax.tree as ptree
import portax.tree_util as tu
import pytest
from helpers import to_numpy

pytestmark = pytest.mark.filterwarnings("error::portax.errors.CompileFallbackWarning")

Point = namedtuple("Point", ["x", "y"])
TREE = {"b": [1.0, (2.0, None)], "a": Point(3.0, {"z": 4.0, "c": 5.0})}


class Keyed:
    """A node registered with keys (``register_pytree_with_keys``), the same class for portax and for real JAX."""

    def __init__(self, w, b):
        self.w, self.b = w, b

    def __eq__(self, other):
        return isinstance(other, Keyed) and self.w == other.w and self.b == other.b


def _keyed_flatten(node, key_class):
    return ((key_class("w"), node.w), (key_class("b"), node.b)), None


tu.register_pytree_with_keys(Keyed, lambda n: _keyed_flatten(n, tu.GetAttrKey), lambda _, c: Keyed(*c))


@tu.register_pytree_with_keys_class
class KeyedClass:
    def __init__(self, scale, name="layer"):
        self.scale, self.name = scale, name

    def tree_flatten_with_keys(self):
        return ((tu.DictKey("scale"), self.scale),), self.name

    @classmethod
    def tree_unflatten(cls, name, children):
        return cls(*children, name=name)


@pytest.fixture(scope="module")
def jax_keyed(jax_reference):
    jax, _ = jax_reference

    class JaxKeyed(Keyed):
        pass

    jax.tree_util.register_pytree_with_keys(
        JaxKeyed, lambda n: _keyed_flatten(n, jax.tree_util.GetAttrKey), lambda _, c: JaxKeyed(*c)
    )
    return JaxKeyed


def _paths(pairs, keystr):
    return [(keystr(path), leaf) for path, leaf in pairs]


def test_keyed_registration_paths_match_jax(jax_reference, jax_keyed):
    jax, _ = jax_reference
    ours = tu.tree_flatten_with_path({"k": Keyed(1.0, [2.0, 3.0])})[0]
    theirs = jax.tree_util.tree_flatten_with_path({"k": jax_keyed(1.0, [2.0, 3.0])})[0]
    assert _paths(ours, tu.keystr) == _paths(theirs, jax.tree_util.keystr) == [
        ("['k'].w", 1.0),
        ("['k'].b[0]", 2.0),
        ("['k'].b[1]", 3.0),
    ]
    assert tu.tree_leaves(Keyed(1.0, 2.0)) == [1.0, 2.0]
    assert tu.tree_map(lambda v: v * 2, Keyed(1.0, 2.0)) == Keyed(2.0, 4.0)
    classed = tu.tree_flatten_with_path(KeyedClass(5.0, name="n"))
    assert _paths(classed[0], tu.keystr) == [("['scale']", 5.0)]
    assert tu.tree_unflatten(classed[1], [6.0]).name == "n"
    assert ptree.leaves_with_path(Keyed(1.0, 2.0))[1][0] == (tu.GetAttrKey("b"),)


def test_keyed_class_without_methods_says_what_to_do():
    with pytest.raises(TypeError, match="tree_flatten_with_keys"):

        @tu.register_pytree_with_keys_class
        class Bare:
            pass


def test_flatten_one_level_and_treedef_helpers_match_jax(jax_reference):
    jax, _ = jax_reference
    jtu = jax.tree_util
    for tree in (TREE, [1, 2], (1, {"a": 2}), Point(1, 2), None):
        assert tu.flatten_one_level(tree) == jtu.flatten_one_level(tree), tree
    with pytest.raises(ValueError, match="flatten"):
        tu.flatten_one_level(1.0)
    keys, meta = tu.flatten_one_level_with_keys({"b": 1, "a": 2})
    assert [(tu.keystr((k,)), v) for k, v in keys] == [("['a']", 2), ("['b']", 1)] and meta == ("a", "b")

    ours, theirs = tu.tree_structure(TREE), jtu.tree_structure(TREE)
    assert [tu.treedef_is_leaf(c) for c in tu.treedef_children(ours)] == [
        jtu.treedef_is_leaf(c) for c in jtu.treedef_children(theirs)
    ]
    assert [c.num_leaves for c in tu.treedef_children(ours)] == [c.num_leaves for c in jtu.treedef_children(theirs)]
    assert tu.treedef_is_leaf(tu.tree_structure(1.0)) and not tu.treedef_is_leaf(ours)
    assert tu.treedef_is_leaf(tu.tree_structure(None)) == jtu.treedef_is_leaf(jtu.tree_structure(None))
    joined = tu.treedef_tuple([ours, tu.tree_structure(0)])
    expected = jtu.treedef_tuple([theirs, jtu.tree_structure(0)])
    assert joined.unflatten(range(6)) == expected.unflatten(range(6))
    for values in ([1, 2, np.ones(2)], [1, (2,)], [None]):
        assert tu.all_leaves(values) == jtu.all_leaves(values), values
    for typ in (dict, list, tuple, type(None), Point, int, Keyed, np.ndarray):
        if typ is not Keyed:
            assert tu.is_tree_node(typ) == jtu.is_tree_node(typ), typ
    assert tu.is_tree_node(Keyed)


def test_broadcast_and_reduce_associative_match_jax(jax_reference):
    jax, _ = jax_reference
    prefix, full = {"a": 1, "b": [2, 3]}, {"a": (0, [0, 0]), "b": [{"x": 0}, 0]}
    assert tu.tree_broadcast(prefix, full) == ptree.broadcast(prefix, full) == jax.tree.broadcast(prefix, full)
    with pytest.raises(ValueError):
        ptree.broadcast([1, 2], [0, 0, 0])
    strings = {"a": "x", "b": ["y", "z", "w"]}
    concat = lambda a, b: a + b  # noqa: E731  (associative, not commutative: the order is checked)
    assert ptree.reduce_associative(concat, strings) == jax.tree.reduce_associative(concat, strings) == "xyzw"
    assert tu.tree_reduce_associative(concat, [], identity="") == ""
    with pytest.raises(TypeError, match="identity"):
        ptree.reduce_associative(concat, [])


def test_static_fields_and_drop_fields_match_jax(jax_reference):
    jax, _ = jax_reference

    @dataclasses.dataclass
    class Op:
        x: float
        y: float
        op: str = ptree.static(default="add")

    ptree.register_dataclass(Op)
    leaves, treedef = tu.tree_flatten(Op(1.0, 2.0, "mul"))
    assert leaves == [1.0, 2.0] and tu.tree_unflatten(treedef, [3.0, 4.0]) == Op(3.0, 4.0, "mul")
    assert dataclasses.fields(Op)[2].metadata["static"] is True

    @dataclasses.dataclass
    class WithCache:
        x: float
        cache: float = 0.0

    tu.register_dataclass(WithCache, drop_fields=("cache",))
    assert tu.tree_leaves(WithCache(1.0, 9.0)) == [1.0]

    # is_leaf_takes_path stops at a path, as JAX's does
    def stop_at_b(path, _):
        return tu.keystr(path) == "['b']"

    ours = tu.tree_flatten_with_path(TREE, is_leaf=stop_at_b, is_leaf_takes_path=True)
    theirs = jax.tree_util.tree_flatten_with_path(TREE, is_leaf=stop_at_b, is_leaf_takes_path=True)
    assert _paths(ours[0], tu.keystr) == _paths(theirs[0], jax.tree_util.keystr)
    assert ours[1].num_leaves == theirs[1].num_leaves
    mapped = tu.tree_map_with_path(lambda p, v: tu.keystr(p), TREE, is_leaf=stop_at_b, is_leaf_takes_path=True)
    assert mapped == jax.tree_util.tree_map_with_path(
        lambda p, v: jax.tree_util.keystr(p), TREE, is_leaf=stop_at_b, is_leaf_takes_path=True
    )


def test_keyed_nodes_through_grad_jit_vmap(backend):
    params = Keyed(jnp.asarray(2.0), jnp.asarray([1.0, -1.0]))

    def loss(p, x):
        return jnp.sum((p.w * x + p.b) ** 2)

    x = jnp.asarray([0.5, 1.5])
    grads = portax.jit(portax.grad(loss))(params, x)
    assert isinstance(grads, Keyed)
    w, b = 2.0, np.array([1.0, -1.0])
    residual = w * np.array([0.5, 1.5]) + b
    np.testing.assert_allclose(to_numpy(grads.w), np.sum(2 * residual * np.array([0.5, 1.5])), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(grads.b), 2 * residual, rtol=1e-6)
    batched = portax.vmap(loss, in_axes=(Keyed(0, None), None))(Keyed(jnp.asarray([1.0, 2.0]), params.b), x)
    expected = [np.sum((v * np.array([0.5, 1.5]) + b) ** 2) for v in (1.0, 2.0)]
    np.testing.assert_allclose(to_numpy(batched), expected, rtol=1e-6)
    scaled = portax.jit(lambda layer: tu.tree_map(lambda v: v * 3, layer))(KeyedClass(jnp.asarray(2.0), "n"))
    assert scaled.name == "n"
    np.testing.assert_allclose(to_numpy(scaled.scale), 6.0)
