"""Pytrees on optree, with JAX's conventions (``None`` is an empty node, dict keys sorted).

A node type registered here is also registered with every loaded backend's own pytree machinery (``jax.tree_util``,
``torch.utils._pytree``), and with backends loaded later, so native transformations see its children.
"""

from __future__ import annotations

import builtins as _builtins
import collections
import contextlib
import dataclasses
import functools
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import optree

from portax._src import registry

NAMESPACE = "portax"
_NO_INITIALIZER: Any = object()
PyTreeDef = optree.PyTreeSpec

# (nodetype, flatten, unflatten) in JAX's form, replayed on each backend as it loads.
_registrations: list[tuple[type, Callable[[Any], tuple[Iterable[Any], Any]], Callable[[Any, Iterable[Any]], Any]]] = []


def _register_with_backend(backend: Any, nodetype: type, flatten: Callable, unflatten: Callable) -> None:
    transforms = backend.transforms
    hook = transforms.register_pytree_node if transforms is not None else None
    if hook is not None:
        with _namedtuple_override_allowed():
            hook(nodetype, flatten, unflatten)


@contextlib.contextmanager
def _namedtuple_override_allowed() -> Iterator[None]:
    """Silence optree's warning on registering a namedtuple subclass: JAX lets a registration override the
    namedtuple default without a word (``jax.example_libraries.optimizers.OptimizerState`` does)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*is a subclass of `collections.namedtuple`", category=UserWarning)
        yield


def _on_backend_loaded(backend: Any) -> None:
    for nodetype, flatten, unflatten in _registrations:
        _register_with_backend(backend, nodetype, flatten, unflatten)


registry.on_load.append(_on_backend_loaded)


def register_pytree_node(
    nodetype: type,
    flatten_func: Callable[[Any], tuple[Iterable[Any], Any]],
    unflatten_func: Callable[[Any, Iterable[Any]], Any],
) -> None:
    """Make ``nodetype`` a pytree node for portax and every backend (``jax.tree_util.register_pytree_node``).

    Args:
        nodetype: the class.
        flatten_func: ``node -> (children, aux_data)``; ``aux_data`` must be hashable.
        unflatten_func: ``(aux_data, children) -> node``.

    Example:
        >>> class Pair:
        ...     def __init__(self, a, b): self.a, self.b = a, b
        >>> register_pytree_node(Pair, lambda p: ((p.a, p.b), None), lambda _, c: Pair(*c))
        >>> leaves(Pair(1.0, 2.0))
        [1.0, 2.0]
    """
    with _namedtuple_override_allowed():
        optree.register_pytree_node(
            nodetype,
            functools.partial(_optree_flatten, flatten_func),
            unflatten_func,
            namespace=NAMESPACE,
        )
    _registrations.append((nodetype, flatten_func, unflatten_func))
    _custom_nodes[nodetype] = (flatten_func, unflatten_func)
    for backend in registry.loaded_backends():
        _register_with_backend(backend, nodetype, flatten_func, unflatten_func)


def register_tuple_like(nodetype: type) -> None:
    """Make a tuple subclass that an engine returns for shapes (``torch.Size``) a tuple node of portax's pytrees.

    JAX's ``x.shape`` is a tuple, so ``tree.leaves(x.shape)`` gives its ints and ``tree.map`` over it gives a tuple;
    optree would otherwise treat an unregistered tuple subclass as a leaf. Registered for portax only: the engine's
    own pytree machinery keeps its meaning.
    """
    if nodetype in _custom_nodes:
        return
    flatten_func = lambda node: (tuple(node), None)  # noqa: E731
    unflatten_func = lambda _, children: tuple(children)  # noqa: E731
    optree.register_pytree_node(nodetype, flatten_func, unflatten_func, namespace=NAMESPACE)
    _custom_nodes[nodetype] = (flatten_func, unflatten_func)


def _optree_flatten(flatten_func: Callable, node: Any) -> tuple[tuple[Any, ...], Any]:
    children, aux = flatten_func(node)
    return tuple(children), aux


def register_dataclass(
    nodetype: type,
    data_fields: Sequence[str] | None = None,
    meta_fields: Sequence[str] | None = None,
    drop_fields: Sequence[str] = (),
) -> type:
    """Register a dataclass as a pytree node whose ``data_fields`` are children (``jax.tree_util.register_dataclass``).

    Without ``data_fields``/``meta_fields``, fields with ``metadata={"static": True}`` (see :func:`static`) are
    metadata and the rest data; ``drop_fields`` are left out of both. Usable as a class decorator; returns
    ``nodetype``. Key paths name the data fields (``GetAttrKey``).
    """
    if data_fields is None or meta_fields is None:
        if not dataclasses.is_dataclass(nodetype):
            raise TypeError(
                f"register_dataclass: {nodetype.__name__} is not a dataclass; pass data_fields and meta_fields"
            )
        fields = [f for f in dataclasses.fields(nodetype) if f.init and f.name not in drop_fields]
        meta_fields = [f.name for f in fields if f.metadata.get("static", False)]
        data_fields = [f.name for f in fields if not f.metadata.get("static", False)]
    data_names, meta_names = tuple(data_fields), tuple(meta_fields)

    def flatten(node: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        return tuple(getattr(node, n) for n in data_names), tuple(getattr(node, n) for n in meta_names)

    def unflatten(meta: tuple[Any, ...], children: Iterable[Any]) -> Any:
        kwargs = dict(zip(data_names, children, strict=False))
        kwargs.update(zip(meta_names, meta, strict=False))
        return nodetype(**kwargs)

    register_pytree_node(nodetype, flatten, unflatten)
    _attribute_children[nodetype] = data_names
    return nodetype


def flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list[Any], PyTreeDef]:
    """Leaves of ``tree`` (left to right, dict keys sorted) and its structure."""
    if registry.tracing_backend() is not None:
        return _py_flatten(tree, is_leaf)  # type: ignore[return-value]  # same interface as PyTreeSpec
    return optree.tree_flatten(tree, is_leaf, none_is_leaf=False, namespace=NAMESPACE)


def unflatten(treedef: PyTreeDef, leaves: Iterable[Any]) -> Any:
    """The pytree of structure ``treedef`` with ``leaves`` (dicts with their keys sorted, as JAX builds them)."""
    if isinstance(treedef, _PyTreeDef):
        return treedef.unflatten(leaves)
    tree = optree.tree_unflatten(treedef, leaves)
    has_dict = _has_dict.get(id(treedef))
    if has_dict is None:
        has_dict = _remember_has_dict(treedef)
    return _sorted_dicts(tree) if has_dict else tree


#: id(spec) -> whether the spec holds a dict node (an entry leaves with its spec). optree restores a dict's insertion
#: order, and its specs compare equal (and hash alike) across key orders, so the sorted spec cannot be cached per
#: spec: specs that hold a dict get their result's dicts rebuilt with sorted keys. Keyed by id: hashing a spec costs
#: more than the unflatten.
_has_dict: dict[int, bool] = {}


def _remember_has_dict(treedef: PyTreeDef) -> bool:
    has_dict = "{" in str(treedef)
    key = id(treedef)
    _has_dict[key] = has_dict
    weakref.finalize(treedef, _has_dict.pop, key, None)
    return has_dict


def _sorted_dicts(node: Any) -> Any:
    """``node`` with the dicts in its built-in containers rebuilt in sorted key order (JAX's ``tree_unflatten``)."""
    kind = type(node)
    if kind is dict or kind is collections.defaultdict:
        try:
            keys = sorted(node)
        except TypeError:  # keys of mixed types: optree's order stays
            keys = list(node)
        items = [(key, _sorted_dicts(node[key])) for key in keys]
        return dict(items) if kind is dict else collections.defaultdict(node.default_factory, items)
    if kind is list:
        return [_sorted_dicts(child) for child in node]
    if kind is tuple:
        return tuple(_sorted_dicts(child) for child in node)
    if isinstance(node, tuple) and hasattr(node, "_fields") and kind not in _custom_nodes:
        return kind(*(_sorted_dicts(child) for child in node))
    return node


def leaves(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list[Any]:
    """The leaves of ``tree``."""
    if registry.tracing_backend() is not None:
        return _py_flatten(tree, is_leaf)[0]
    return optree.tree_leaves(tree, is_leaf, none_is_leaf=False, namespace=NAMESPACE)


def structure(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> PyTreeDef:
    """The structure (treedef) of ``tree``."""
    if registry.tracing_backend() is not None:
        # The pure-Python structure, as flatten's: unflattening an optree spec reads str(spec), which torch dynamo
        # cannot trace ("Failed to trace builtin operator": jit of lax.cond on torch ran uncompiled).
        return _py_flatten(tree, is_leaf)[1]  # type: ignore[return-value]
    return optree.tree_structure(tree, is_leaf, none_is_leaf=False, namespace=NAMESPACE)


def map(f: Callable[..., Any], tree: Any, *rest: Any, is_leaf: Callable[[Any], bool] | None = None) -> Any:  # noqa: A001
    """Apply ``f`` to the leaves of ``tree`` (and the matching leaves of ``rest``), keeping the structure."""
    if registry.tracing_backend() is not None:
        flat, treedef = _py_flatten(tree, is_leaf)
        others = [treedef.flatten_up_to(other) for other in rest]
        return treedef.unflatten([f(*xs) for xs in zip(flat, *others, strict=False)])
    out = optree.tree_map(f, tree, *rest, is_leaf=is_leaf, none_is_leaf=False, namespace=NAMESPACE)
    return _sorted_dicts(out) if _holds_unsorted_dict(tree) else out  # optree keeps insertion order, JAX sorts


def _holds_unsorted_dict(node: Any) -> bool:
    """Whether a dict in the built-in containers of ``node`` has its keys out of sorted order."""
    kind = type(node)
    if kind is dict or kind is collections.defaultdict:
        keys = list(node)
        try:
            if keys != sorted(keys):
                return True
        except TypeError:  # keys of mixed types: optree's order stays
            pass
        return any(_holds_unsorted_dict(child) for child in node.values())
    if kind is list or kind is tuple or (isinstance(node, tuple) and hasattr(node, "_fields") and kind not in _custom_nodes):
        return any(_holds_unsorted_dict(child) for child in node)
    return False


def reduce(
    function: Callable[[Any, Any], Any], tree: Any, initializer: Any = _NO_INITIALIZER, is_leaf: Any = None
) -> Any:
    """``functools.reduce`` over the leaves of ``tree``."""
    items = leaves(tree, is_leaf)
    if initializer is _NO_INITIALIZER:
        return functools.reduce(function, items)
    return functools.reduce(function, items, initializer)


def all(tree: Any) -> bool:  # noqa: A001
    """Whether every leaf of ``tree`` is truthy."""
    return builtins_all(leaves(tree))


builtins_all = _builtins.all


def transpose(outer_treedef: PyTreeDef, inner_treedef: PyTreeDef | None, pytree_to_transpose: Any) -> Any:
    """Turn a tree of structure ``outer(inner)`` into ``inner(outer)`` (``jax.tree.transpose``)."""
    if inner_treedef is None:
        inner_treedef = structure(outer_treedef.flatten_up_to(pytree_to_transpose)[0])
    return optree.tree_transpose(outer_treedef, inner_treedef, pytree_to_transpose)


class _Unmapped:
    def __repr__(self) -> str:
        return "None"


_UNMAPPED = _Unmapped()


def broadcast_prefix(prefix: Any, tree: Any) -> list[Any]:
    """The leaves of ``prefix`` repeated over the leaves of ``tree`` below them (for ``in_axes``/``out_axes``).

    A ``None`` in ``prefix`` is a leaf (JAX's "not mapped") while a ``None`` in ``tree`` is an empty node.

    Raises:
        ValueError: ``prefix`` is not a tree prefix of ``tree``.
    """
    if registry.tracing_backend() is not None:
        return _py_broadcast_prefix(prefix, tree)
    marked = optree.tree_map(lambda a: _UNMAPPED if a is None else a, prefix, none_is_leaf=True, namespace=NAMESPACE)
    flat = optree.broadcast_prefix(marked, tree, none_is_leaf=False, namespace=NAMESPACE)
    return [None if a is _UNMAPPED else a for a in flat]


# -- a pure-Python pytree engine for engine compilers ------------------------------------------------------------
#
# torch dynamo (torch 2.13) cannot trace optree's dict metadata (``DictMetaData``: "Unexpected type in sourceless
# builder"), so while a backend compiler traces (``registry.tracing_backend()`` set) the functions above use this
# small engine with the same conventions (None is an empty node, dict keys sorted, registered nodes).

_custom_nodes: dict[type, tuple[Callable[[Any], tuple[Iterable[Any], Any]], Callable[[Any, Iterable[Any]], Any]]] = {}


class _PyTreeDef:
    __slots__ = ("kind", "node_type", "aux", "_children", "num_leaves")

    def __init__(self, kind: str, node_type: Any, aux: Any, children: tuple[_PyTreeDef, ...]) -> None:
        self.kind = kind
        self.node_type = node_type
        self.aux = aux
        self._children = children
        self.num_leaves: int = 1 if kind == "leaf" else sum(child.num_leaves for child in children)

    @property
    def num_children(self) -> int:
        return len(self._children)

    def _key(self) -> tuple[Any, ...]:
        return (self.kind, self.node_type, self.aux, tuple(child._key() for child in self._children))

    def __eq__(self, other: object) -> bool:  # structural, as PyTreeSpec's (aux data is compared too)
        return isinstance(other, _PyTreeDef) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        if self.kind == "leaf":
            return "*"
        inner = ", ".join(repr(child) for child in self._children)
        return f"PyTreeDef({self.kind} {getattr(self.node_type, '__name__', self.node_type)}: [{inner}])"

    def children(self) -> list[_PyTreeDef]:
        return list(self._children)

    def unflatten(self, leaves: Iterable[Any]) -> Any:
        return self._build(iter(leaves))

    def _build(self, leaves: Any) -> Any:
        if self.kind == "leaf":
            return next(leaves)
        if self.kind == "none":
            return None
        values = [child._build(leaves) for child in self._children]
        if self.kind == "tuple":
            return tuple(values)
        if self.kind == "list":
            return values
        if self.kind == "dict":
            return self.node_type(zip(self.aux, values, strict=False))
        if self.kind == "namedtuple":
            return self.node_type(*values)
        return _custom_nodes[self.node_type][1](self.aux, values)

    def flatten_up_to(self, tree: Any) -> list[Any]:
        if self.kind == "leaf":
            return [tree]
        if self.kind == "none":
            return []
        if self.kind == "dict":
            children = [tree[key] for key in self.aux]
        elif self.kind == "custom":
            children = list(_custom_nodes[self.node_type][0](tree)[0])
        else:
            children = list(tree)
        if len(children) != len(self._children):
            raise ValueError(f"tree structure mismatch: expected {len(self._children)} children, got {len(children)}")
        out: list[Any] = []
        for child, sub in zip(self._children, children, strict=False):
            out.extend(child.flatten_up_to(sub))
        return out


def _py_node(tree: Any) -> tuple[str, Any, list[Any]] | None:
    if tree is None:
        return "none", None, []
    tp = type(tree)
    if tp in _custom_nodes:
        children, aux = _custom_nodes[tp][0](tree)
        return "custom", aux, list(children)
    if isinstance(tree, tuple):
        return ("namedtuple" if hasattr(tree, "_fields") else "tuple"), None, list(tree)
    if isinstance(tree, list):
        return "list", None, list(tree)
    if isinstance(tree, dict):
        keys = sorted(tree)
        return "dict", tuple(keys), [tree[key] for key in keys]
    return None


def _py_flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list[Any], _PyTreeDef]:
    leaves: list[Any] = []
    return leaves, _py_flatten_into(tree, is_leaf, leaves)


def _py_flatten_into(tree: Any, is_leaf: Callable[[Any], bool] | None, leaves: list[Any]) -> _PyTreeDef:
    node = None if is_leaf is not None and is_leaf(tree) else _py_node(tree)
    if node is None:
        leaves.append(tree)
        return _PyTreeDef("leaf", None, None, ())
    kind, aux, children = node
    return _PyTreeDef(kind, type(tree), aux, tuple(_py_flatten_into(child, is_leaf, leaves) for child in children))


def _py_broadcast_prefix(prefix: Any, tree: Any) -> list[Any]:
    prefix_node = None if prefix is None else _py_node(prefix)
    if prefix_node is None:  # a leaf of the prefix covers the whole subtree
        return [prefix] * len(_py_flatten(tree)[0])
    tree_node = _py_node(tree)
    if tree_node is None or prefix_node[0] != tree_node[0] or len(prefix_node[2]) != len(tree_node[2]):
        raise ValueError(f"{prefix!r} is not a tree prefix of {tree!r}")
    out: list[Any] = []
    for sub_prefix, sub_tree in zip(prefix_node[2], tree_node[2], strict=False):
        out.extend(_py_broadcast_prefix(sub_prefix, sub_tree))
    return out


# -- jax.tree_util's extra names: static nodes, Partial, key paths ------------------------------------------------


def register_pytree_node_class(cls: type) -> type:
    """Class decorator registering ``cls`` with its ``tree_flatten`` method and ``tree_unflatten`` classmethod.

    Example:
        >>> @register_pytree_node_class
        ... class Box:
        ...     def __init__(self, x): self.x = x
        ...     def tree_flatten(self): return (self.x,), None
        ...     @classmethod
        ...     def tree_unflatten(cls, aux, children): return cls(*children)
        >>> leaves(Box(3.0))
        [3.0]
    """
    if not (hasattr(cls, "tree_flatten") and hasattr(cls, "tree_unflatten")):
        raise TypeError(
            f"register_pytree_node_class: {cls.__name__} needs a tree_flatten method and a tree_unflatten "
            "classmethod; or call register_pytree_node(cls, flatten, unflatten)"
        )
    register_pytree_node(cls, _call_tree_flatten, cls.tree_unflatten)
    return cls


def _call_tree_flatten(node: Any) -> Any:
    return node.tree_flatten()  # a plain function, not operator.methodcaller: torch dynamo traces this one


def register_static(cls: type) -> type:
    """Register ``cls`` as a node with no children: its instances are part of the tree structure (static).

    Instances must be hashable and comparable, as ``jax.tree_util.register_static`` requires.
    """
    register_pytree_node(cls, lambda node: ((), node), lambda node, _: node)
    return cls


class Partial:
    """A partial application that is a pytree: the bound arguments are children, the function is static.

    As ``jax.tree_util.Partial``, it can be passed into and returned from ``jit``/``grad``/``vmap``. Unlike JAX's it
    is not a ``functools.partial`` subclass (torch dynamo cannot build those inside ``jit``); it has the same
    ``func``, ``args`` and ``keywords`` attributes.

    Example:
        >>> add = Partial(lambda a, b: a + b, 1.0)
        >>> add(2.0), leaves(add)
        (3.0, [1.0])
    """

    __slots__ = ("func", "args", "keywords")

    def __init__(self, func: Callable[..., Any], *args: Any, **keywords: Any) -> None:
        if not callable(func):
            raise TypeError(f"Partial: the first argument must be callable, got {type(func).__name__}")
        self.func = func
        self.args = args
        self.keywords = keywords

    def __call__(self, *args: Any, **keywords: Any) -> Any:
        return self.func(*self.args, *args, **{**self.keywords, **keywords})

    def __repr__(self) -> str:
        return f"Partial({self.func!r}, *{self.args!r}, **{self.keywords!r})"


register_pytree_node(
    Partial,
    lambda partial: ((partial.args, partial.keywords), partial.func),
    lambda func, children: Partial(func, *tuple(children)[0], **tuple(children)[1]),
)


@dataclasses.dataclass(frozen=True)
class DictKey:
    """A path entry for a mapping key (``jax.tree_util.DictKey``)."""

    key: Any

    def __str__(self) -> str:
        return f"[{self.key!r}]"


@dataclasses.dataclass(frozen=True)
class SequenceKey:
    """A path entry for a list/tuple index (``jax.tree_util.SequenceKey``)."""

    idx: int

    def __str__(self) -> str:
        return f"[{self.idx!r}]"


@dataclasses.dataclass(frozen=True)
class GetAttrKey:
    """A path entry for an attribute: namedtuple fields and dataclass fields (``jax.tree_util.GetAttrKey``)."""

    name: str

    def __str__(self) -> str:
        return f".{self.name}"


@dataclasses.dataclass(frozen=True)
class FlattenedIndexKey:
    """A path entry for the i-th child of a custom node (``jax.tree_util.FlattenedIndexKey``)."""

    key: int

    def __str__(self) -> str:
        return f"[<flat index {self.key}>]"


KeyPath = tuple[Any, ...]
# Attribute names of the children of nodes registered by register_dataclass (their paths are GetAttrKey).
_attribute_children: dict[type, tuple[str, ...]] = {}
# ``node -> ([(key, child), ...], aux)`` of nodes registered by register_pytree_with_keys.
_key_flatteners: dict[type, Callable[[Any], tuple[Iterable[tuple[Any, Any]], Any]]] = {}


def _keyed_children(tree: Any) -> list[tuple[Any, Any]] | None:
    """``[(key, child), ...]`` of a node in flatten order, or None for a leaf (same rules as :func:`flatten`)."""
    if tree is None:
        return []
    tp = type(tree)
    if tp in _key_flatteners:
        return [(key, child) for key, child in _key_flatteners[tp](tree)[0]]
    if tp in _custom_nodes:
        children = list(_custom_nodes[tp][0](tree)[0])
        names = _attribute_children.get(tp)
        if names is not None:
            return [(GetAttrKey(name), child) for name, child in zip(names, children, strict=False)]
        return [(FlattenedIndexKey(i), child) for i, child in enumerate(children)]
    if isinstance(tree, tuple):
        if hasattr(tree, "_fields"):
            return [(GetAttrKey(name), getattr(tree, name)) for name in tree._fields]
        return [(SequenceKey(i), child) for i, child in enumerate(tree)]
    if isinstance(tree, list):
        return [(SequenceKey(i), child) for i, child in enumerate(tree)]
    if isinstance(tree, dict):
        return [(DictKey(key), tree[key]) for key in sorted(tree)]
    return None


def flatten_with_path(
    tree: Any, is_leaf: Callable[..., bool] | None = None, is_leaf_takes_path: bool = False
) -> tuple[list[tuple[KeyPath, Any]], PyTreeDef]:
    """``([(key_path, leaf), ...], treedef)`` (``jax.tree_util.tree_flatten_with_path``).

    Args:
        tree: the pytree.
        is_leaf: a predicate that stops the flattening at a subtree; called as ``is_leaf(path, subtree)`` when
            ``is_leaf_takes_path``.
        is_leaf_takes_path: whether ``is_leaf`` takes the key path first.

    Example:
        >>> flatten_with_path({"a": [1, 2]})[0]
        [((DictKey(key='a'), SequenceKey(idx=0)), 1), ((DictKey(key='a'), SequenceKey(idx=1)), 2)]
    """
    pairs = leaves_with_path(tree, is_leaf, is_leaf_takes_path)
    if is_leaf is None or not is_leaf_takes_path:
        return pairs, structure(tree, is_leaf)
    leaf_ids = {id(leaf) for _, leaf in pairs}
    # the stopping points are known by path: mark them so the structure stops at the same subtrees
    return pairs, structure(tree, lambda node: id(node) in leaf_ids)


def leaves_with_path(
    tree: Any, is_leaf: Callable[..., bool] | None = None, is_leaf_takes_path: bool = False
) -> list[tuple[KeyPath, Any]]:
    """``[(key_path, leaf), ...]`` (``jax.tree_util.tree_leaves_with_path``)."""
    pairs: list[tuple[KeyPath, Any]] = []
    _collect_paths(tree, (), is_leaf, is_leaf_takes_path, pairs)
    return pairs


def _collect_paths(
    tree: Any, path: KeyPath, is_leaf: Any, takes_path: bool, out: list[tuple[KeyPath, Any]]
) -> None:
    stop = is_leaf is not None and (is_leaf(path, tree) if takes_path else is_leaf(tree))
    children = None if stop else _keyed_children(tree)
    if children is None:
        out.append((path, tree))
        return
    for key, child in children:
        _collect_paths(child, (*path, key), is_leaf, takes_path, out)


def map_with_path(
    f: Callable[..., Any],
    tree: Any,
    *rest: Any,
    is_leaf: Callable[..., bool] | None = None,
    is_leaf_takes_path: bool = False,
) -> Any:
    """``f(key_path, leaf, *other_leaves)`` over the leaves of ``tree`` (``jax.tree_util.tree_map_with_path``)."""
    pairs, treedef = flatten_with_path(tree, is_leaf, is_leaf_takes_path)
    others = [treedef.flatten_up_to(other) for other in rest]
    return unflatten(treedef, [f(path, leaf, *xs) for (path, leaf), *xs in zip(pairs, *others, strict=False)])


def keystr(keys: KeyPath, *, simple: bool = False, separator: str = "") -> str:
    """A key path as a string: ``"['a'][0].b"`` (``jax.tree_util.keystr``); ``simple=True`` gives ``"a0b"``-style keys
    joined by ``separator``."""
    if not simple:
        return separator.join(str(key) for key in keys)
    return separator.join(str(_simple_key(key)) for key in keys)


def _simple_key(key: Any) -> Any:
    for attribute in ("key", "idx", "name"):
        if hasattr(key, attribute):
            return getattr(key, attribute)
    return key


# -- keyed registration, one-level flattening, treedef helpers (the rest of ``jax.tree_util``) ---------------------

KeyEntry = Any  # a key path entry: DictKey, SequenceKey, GetAttrKey, FlattenedIndexKey or a user class
KeyLeafPair = tuple[KeyEntry, Any]


def register_pytree_with_keys(
    nodetype: type,
    flatten_with_keys: Callable[[Any], tuple[Iterable[KeyLeafPair], Any]],
    unflatten_func: Callable[[Any, Iterable[Any]], Any],
    flatten_func: Callable[[Any], tuple[Iterable[Any], Any]] | None = None,
) -> None:
    """Register ``nodetype`` as a pytree node whose children have key path entries
    (``jax.tree_util.register_pytree_with_keys``).

    Args:
        nodetype: the class.
        flatten_with_keys: ``node -> ([(key, child), ...], aux_data)``.
        unflatten_func: ``(aux_data, children) -> node``.
        flatten_func: ``node -> (children, aux_data)``, a faster flatten without keys (derived when omitted).

    Example:
        >>> class Pair:
        ...     def __init__(self, a, b): self.a, self.b = a, b
        >>> register_pytree_with_keys(
        ...     Pair, lambda p: (((GetAttrKey("a"), p.a), (GetAttrKey("b"), p.b)), None), lambda _, c: Pair(*c))
        >>> keystr(leaves_with_path(Pair(1.0, 2.0))[1][0])
        '.b'
    """
    if flatten_func is None:

        def flatten_func(node: Any) -> tuple[list[Any], Any]:
            pairs, aux = flatten_with_keys(node)
            return [child for _, child in pairs], aux

    register_pytree_node(nodetype, flatten_func, unflatten_func)
    _key_flatteners[nodetype] = flatten_with_keys


def register_pytree_with_keys_class(cls: type) -> type:
    """Class decorator: :func:`register_pytree_with_keys` with the class's ``tree_flatten_with_keys`` method and
    ``tree_unflatten`` classmethod (and ``tree_flatten`` when it has one)."""
    if not (hasattr(cls, "tree_flatten_with_keys") and hasattr(cls, "tree_unflatten")):
        raise TypeError(
            f"register_pytree_with_keys_class: {cls.__name__} needs a tree_flatten_with_keys method and a "
            "tree_unflatten classmethod; or call register_pytree_with_keys(cls, flatten_with_keys, unflatten)"
        )
    register_pytree_with_keys(
        cls,
        lambda node: node.tree_flatten_with_keys(),
        cls.tree_unflatten,
        _call_tree_flatten if hasattr(cls, "tree_flatten") else None,
    )
    return cls


def static(**kwargs: Any) -> Any:
    """A ``dataclasses.field`` marked static, for :func:`register_dataclass` (``jax.tree.static``)."""
    metadata = {**kwargs.pop("metadata", {}), "static": True}
    return dataclasses.field(metadata=metadata, **kwargs)


def broadcast(prefix_tree: Any, full_tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """``prefix_tree`` with each leaf repeated over the subtree of ``full_tree`` below it (``jax.tree.broadcast``).

    Example:
        >>> broadcast({"a": 1, "b": 2}, {"a": (0, 0), "b": [0]})
        {'a': (1, 1), 'b': [2]}
    """
    broadcast_leaves = optree.broadcast_prefix(prefix_tree, full_tree, is_leaf, none_is_leaf=False, namespace=NAMESPACE)
    return unflatten(structure(full_tree, is_leaf), broadcast_leaves)


def reduce_associative(
    operation: Callable[[Any, Any], Any],
    tree: Any,
    *,
    identity: Any = _NO_INITIALIZER,
    is_leaf: Callable[[Any], bool] | None = None,
) -> Any:
    """Reduce the leaves of ``tree`` with an associative ``operation``, pairwise as a balanced tree (depth log n)
    (``jax.tree.reduce_associative``).

    Raises:
        TypeError: ``tree`` has no leaves and no ``identity`` was given.
    """
    items = leaves(tree, is_leaf)
    if not items:
        if identity is _NO_INITIALIZER:
            raise TypeError("reduce_associative of a tree without leaves needs an identity= value")
        return identity
    while len(items) > 1:
        paired = [operation(a, b) for a, b in zip(items[0::2], items[1::2], strict=False)]
        items = [*paired, items[-1]] if len(items) % 2 else paired
    return items[0]


def all_leaves(iterable: Iterable[Any], is_leaf: Callable[[Any], bool] | None = None) -> bool:
    """Whether every element of ``iterable`` is a leaf (``jax.tree_util.all_leaves``)."""
    if is_leaf is None:
        return optree.all_leaves(iterable, none_is_leaf=False, namespace=NAMESPACE)
    return builtins_all(is_leaf(item) or leaves(item, is_leaf) == [item] for item in iterable)


def is_tree_node(typ: type) -> bool:
    """Whether instances of ``typ`` are pytree nodes, built in or registered (``jax.tree_util.is_tree_node``)."""
    if typ in _custom_nodes or typ is type(None):
        return True
    return issubclass(typ, (tuple, list, dict))


def flatten_one_level(tree: Any) -> tuple[Sequence[Any], Any]:
    """The children of the node ``tree`` and its metadata (``jax.tree_util.flatten_one_level``).

    Raises:
        ValueError: ``tree`` is a leaf.

    Example:
        >>> flatten_one_level({"a": [1, 2], "b": {"c": 3}})
        (([1, 2], {'c': 3}), ('a', 'b'))
    """
    pairs, metadata = flatten_one_level_with_keys(tree)
    children = [child for _, child in pairs]
    # container types as JAX's registry gives them: a list for lists and namedtuples, a tuple otherwise
    if isinstance(tree, list) or hasattr(tree, "_fields") or type(tree) in _custom_nodes:
        return children, metadata
    return tuple(children), metadata


def flatten_one_level_with_keys(tree: Any) -> tuple[list[KeyLeafPair], Any]:
    """``([(key, child), ...], metadata)`` of the node ``tree`` (``jax.tree_util.flatten_one_level_with_keys``)."""
    children = _keyed_children(tree)
    if children is None:
        raise ValueError(f"can't tree-flatten type: {type(tree)}")
    tp = type(tree)
    if tp in _custom_nodes:
        metadata = _custom_nodes[tp][0](tree)[1]
    elif isinstance(tree, dict):
        metadata = tuple(sorted(tree))
    elif hasattr(tree, "_fields"):
        metadata = tp
    else:
        metadata = None
    return children, metadata


def treedef_children(treedef: PyTreeDef) -> list[PyTreeDef]:
    """The treedefs of the children of ``treedef``'s root (``jax.tree_util.treedef_children``)."""
    return list(treedef.children())


def treedef_is_leaf(treedef: PyTreeDef) -> bool:
    """Whether ``treedef`` is a single leaf (``jax.tree_util.treedef_is_leaf``)."""
    return treedef.num_nodes == 1  # as JAX's: the treedef of None is a leaf here too


def treedef_tuple(treedefs: Iterable[PyTreeDef]) -> PyTreeDef:
    """The treedef of a tuple whose children have ``treedefs`` (``jax.tree_util.treedef_tuple``)."""
    return optree.treespec_tuple(list(treedefs), none_is_leaf=False, namespace=NAMESPACE)


def portable_flatten(tree: Any) -> tuple[list[Any], Any]:
    """:func:`flatten` whose treedef is portax's pure-Python one on every path, eager or traced by a backend
    compiler (torch dynamo cannot unflatten optree's treedefs). For structures kept in state that goes through
    ``jit``, such as ``example_libraries.optimizers.OptimizerState``; treedefs compare structurally."""
    return _py_flatten(tree)
