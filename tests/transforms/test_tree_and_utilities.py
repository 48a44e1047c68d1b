"""portax.tree, user-registered pytree nodes through every transformation, devices and shape utilities."""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import numpy as np
import portax
import pytest
from transform_util import assert_close


class Point:
    """A user class registered with portax.tree.register_pytree_node (not a tuple/dict)."""

    def __init__(self, x: Any, y: Any, label: str = "p") -> None:
        self.x, self.y, self.label = x, y, label


portax.tree.register_pytree_node(Point, lambda p: ((p.x, p.y), p.label), lambda label, xy: Point(*xy, label=label))


@dataclasses.dataclass
class Layer:
    weight: Any
    bias: Any
    name: str = dataclasses.field(default="dense", metadata={"static": True})


portax.tree.register_dataclass(Layer)


class Pair(NamedTuple):
    a: Any
    b: Any


def test_tree_functions_follow_jax_conventions():
    tree = {"b": [1, 2], "a": (3, None), "c": Point(4, 5)}
    leaves, treedef = portax.tree.flatten(tree)
    assert leaves == [3, 1, 2, 4, 5]  # dict keys sorted, None is an empty node
    assert portax.tree.leaves(tree) == leaves
    assert portax.tree.structure(tree) == treedef
    rebuilt = portax.tree.unflatten(treedef, [x * 10 for x in leaves])
    assert rebuilt["a"] == (30, None) and rebuilt["c"].y == 50 and rebuilt["c"].label == "p"
    doubled = portax.tree.map(lambda a, b: a + b, {"x": 1, "y": [2]}, {"x": 10, "y": [20]})
    assert doubled == {"x": 11, "y": [22]}
    assert portax.tree.reduce(lambda a, b: a + b, [1, (2, 3)]) == 6
    assert portax.tree.reduce(lambda a, b: a + b, [], 7) == 7
    assert portax.tree.all([True, (1, 2)]) and not portax.tree.all([True, 0])


def test_tree_transpose():
    outer = portax.tree.structure([0, 0])
    inner = portax.tree.structure({"a": 0, "b": 0})
    out = portax.tree.transpose(outer, inner, [{"a": 1, "b": 2}, {"a": 3, "b": 4}])
    assert out == {"a": [1, 3], "b": [2, 4]}


def test_registered_node_through_grad(xp):
    g = portax.grad(lambda p: xp.sum(p.x * p.y))(Point(xp.asarray([2.0]), xp.asarray([3.0]), label="q"))
    assert isinstance(g, Point) and g.label == "q"
    assert_close((g.x, g.y), (np.array([3.0]), np.array([2.0])))


def test_registered_dataclass_through_vmap_and_jit(xp):
    layer = Layer(xp.asarray(np.ones((2,), np.float32)), xp.asarray(np.float32(0.5)))
    apply = lambda layer, x: xp.sum(layer.weight * x) + layer.bias  # noqa: E731
    X = np.arange(6, dtype=np.float32).reshape(3, 2)
    out = portax.jit(portax.vmap(apply, in_axes=(None, 0)))(layer, xp.asarray(X))
    assert_close(out, X.sum(1) + 0.5)
    grads = portax.jit(portax.grad(apply))(layer, xp.asarray(X[0]))
    assert isinstance(grads, Layer) and grads.name == "dense"
    assert_close((grads.weight, grads.bias), (X[0], np.float32(1.0)))


def test_namedtuple_through_jacrev_and_hessian(xp):
    jac = portax.jacrev(lambda p: p.a * p.b)(Pair(xp.asarray([2.0]), xp.asarray([5.0])))
    assert isinstance(jac, Pair)
    assert_close(jac, Pair(np.array([[5.0]]), np.array([[2.0]])))
    hess = portax.hessian(lambda p: xp.sum(p.a**2 * p.b))(Pair(xp.asarray([1.0]), xp.asarray([3.0])))
    assert_close(hess.a.a, np.array([[6.0]]))


def test_eval_shape(xp):
    out = portax.eval_shape(
        lambda a, b: {"y": xp.dot(a, b), "z": a.T}, xp.ones((3, 4)), portax.ShapeDtypeStruct((4,), np.float32)
    )
    assert tuple(out["y"].shape) == (3,) and tuple(out["z"].shape) == (4, 3)
    assert "float32" in str(out["y"].dtype)


def test_devices_and_device_put(xp, backend):
    devices = portax.devices()
    assert len(devices) == portax.device_count() == portax.local_device_count() >= 1
    assert portax.devices(backend.name) == list(backend.devices())
    x = portax.device_put(np.arange(3, dtype=np.float32), devices[0])
    assert portax.backend_of(x) is backend
    tree = portax.device_put({"a": xp.ones((2,)), "b": 1.0})
    assert portax.backend_of(tree["a"]) is backend


def test_block_until_ready_returns_its_argument(xp):
    tree = {"a": xp.ones((2,)), "n": 3}
    assert portax.block_until_ready(tree) is tree
    x = xp.ones((2,))
    assert portax.block_until_ready(x) is x


def test_unsupported_capability_raises_before_work(backend, monkeypatch, xp):
    calls = []
    monkeypatch.setattr(type(backend), "capabilities", property(lambda self: frozenset({"numpy"})))
    with pytest.raises(portax.errors.UnsupportedError, match=backend.name):
        portax.grad(lambda x: calls.append(1) or xp.sum(x))(xp.ones((2,)))
    with pytest.raises(portax.errors.UnsupportedError, match="vmap"):
        portax.vmap(lambda x: calls.append(1) or x)(xp.ones((2,)))
    with pytest.raises(portax.errors.UnsupportedError, match="jit"):
        portax.jit(lambda x: calls.append(1) or x)(xp.ones((2,)))
    assert calls == []


def test_arrays_of_two_backends_raise_mismatch():
    names = portax.backends()
    if len(names) < 2:
        pytest.skip("needs two backends")
    import portax.numpy as pnp

    with portax.use_backend(names[0]):
        a = pnp.ones((2,))
    with portax.use_backend(names[1]):
        b = pnp.ones((2,))
    with pytest.raises(portax.errors.BackendMismatchError):
        portax.grad(lambda a, b: (a * 1).sum())(a, b)


def test_transformed_function_follows_argument_backend():
    names = portax.backends()
    if len(names) < 2:
        pytest.skip("needs two backends")
    import portax.numpy as pnp

    g = portax.grad(lambda x: pnp.sum(pnp.sin(x)))
    results = {}
    for name in names:
        with portax.use_backend(name):
            x = pnp.asarray([0.5, 1.0])
        with portax.use_backend(names[-1] if name == names[0] else names[0]):  # current backend is the other one
            results[name] = g(x)
        assert portax.backend_of(results[name]) is portax.get_backend(name)
    assert_close(results[names[0]], results[names[1]])
