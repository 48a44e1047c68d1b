"""Pytree utilities (``jax.tree``)."""

from portax._src.tree import (
    PyTreeDef as PyTreeDef,
    all as all,
    broadcast as broadcast,
    flatten as flatten,
    flatten_with_path as flatten_with_path,
    leaves as leaves,
    leaves_with_path as leaves_with_path,
    map as map,
    map_with_path as map_with_path,
    reduce as reduce,
    reduce_associative as reduce_associative,
    register_dataclass as register_dataclass,
    register_pytree_node as register_pytree_node,
    static as static,
    structure as structure,
    transpose as transpose,
    unflatten as unflatten,
)
