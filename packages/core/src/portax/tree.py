"""Pytree utilities (``jax.tree``): the public list; see ``portax._src.tree``."""

from portax._src.tree import (
    PyTreeDef as PyTreeDef,
    all as all,
    flatten as flatten,
    leaves as leaves,
    map as map,
    reduce as reduce,
    register_dataclass as register_dataclass,
    register_pytree_node as register_pytree_node,
    structure as structure,
    transpose as transpose,
    unflatten as unflatten,
)
