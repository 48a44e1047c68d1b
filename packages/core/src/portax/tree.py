"""Pytree utilities (``jax.tree``): the public list; see ``portax._src.tree``."""

from portax._src.tree import (
    PyTreeDef as PyTreeDef,
)
from portax._src.tree import (
    all as all,
)
from portax._src.tree import (
    flatten as flatten,
)
from portax._src.tree import (
    leaves as leaves,
)
from portax._src.tree import (
    map as map,
)
from portax._src.tree import (
    reduce as reduce,
)
from portax._src.tree import (
    register_dataclass as register_dataclass,
)
from portax._src.tree import (
    register_pytree_node as register_pytree_node,
)
from portax._src.tree import (
    structure as structure,
)
from portax._src.tree import (
    transpose as transpose,
)
from portax._src.tree import (
    unflatten as unflatten,
)
from portax._src.tree import (
    flatten_with_path as flatten_with_path,
    leaves_with_path as leaves_with_path,
    map_with_path as map_with_path,
)
