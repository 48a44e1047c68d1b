"""``tree_unflatten`` builds dicts with sorted keys, as JAX does (``custom_pytrees`` tutorial: ``{'b': 2., 'a': 3.}``
comes back as ``{'a': 3., 'b': 2.}``), nested in lists, tuples and namedtuples too."""

from __future__ import annotations

import collections

import portax

Point = collections.namedtuple("Point", ["x", "y"])
TREES = [
    (1.0, {"b": 2.0, "a": 3.0}),
    {"z": [1.0, {"d": 1.0, "c": 2.0}], "a": Point(1.0, {"y": 1.0, "x": 2.0})},
    collections.defaultdict(list, {"b": 1.0, "a": 2.0}),
]


def _key_orders(tree):
    if isinstance(tree, dict):
        return [list(tree)] + [order for value in tree.values() for order in _key_orders(value)]
    if isinstance(tree, (list, tuple)):
        return [order for child in tree for order in _key_orders(child)]
    return []


def test_unflatten_sorts_dict_keys_as_jax(backend, jax_reference):
    jax, _ = jax_reference
    for tree in TREES:
        leaves, treedef = portax.tree_util.tree_flatten(tree)
        expected_leaves, expected_def = jax.tree_util.tree_flatten(tree)
        assert leaves == expected_leaves
        rebuilt = portax.tree_util.tree_unflatten(treedef, leaves)
        expected = jax.tree_util.tree_unflatten(expected_def, expected_leaves)
        assert rebuilt == expected and type(rebuilt) is type(expected)
        assert _key_orders(rebuilt) == _key_orders(expected)


def test_map_builds_dicts_with_sorted_keys_as_jax(backend, xp, jax_reference):
    """``tree.map`` (``tree_util.tree_map``) too: the state tutorial prints ``{'b': 1.0, 'w': 2.0}`` for ``{'w', 'b'}``."""
    jax, _ = jax_reference
    for tree in TREES:
        for mapped, expected in [
            (portax.tree.map(lambda v: v * 2, tree), jax.tree.map(lambda v: v * 2, tree)),
            (portax.tree_util.tree_map(lambda a, b: a + b, tree, tree), jax.tree_util.tree_map(lambda a, b: a + b, tree, tree)),
        ]:
            assert mapped == expected and _key_orders(mapped) == _key_orders(expected)
    params = {"w": xp.asarray(1.0), "b": xp.asarray(0.0)}
    assert list(portax.tree.map(xp.zeros_like, params)) == ["b", "w"]
