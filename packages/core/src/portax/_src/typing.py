"""Type aliases used in portax's signatures (``portax.typing`` re-exports them) and ``portax.Array``."""

from __future__ import annotations

from typing import Any

import numpy as np

from portax._src import registry


class _ArrayMeta(type):
    # isinstance asks the registry which backend owns type(x): a dict lookup after the first time, and no engine is
    # imported to answer (a torch tensor can only exist once torch is imported).
    def __instancecheck__(cls, instance: object) -> bool:
        return registry.backend_of_type(type(instance)) is not None

    def __subclasscheck__(cls, subclass: type) -> bool:
        return isinstance(subclass, type) and registry.backend_of_type(subclass) is not None


class Array(metaclass=_ArrayMeta):
    """An array of any portax backend (a ``jax.Array``, a ``torch.Tensor``, ...), as ``jax.Array``.

    Use it in annotations and ``isinstance`` checks; it is never instantiated (portax never wraps arrays).

    Example:
        >>> import portax, portax.numpy as jnp
        >>> isinstance(jnp.ones(2), portax.Array), isinstance([1.0], portax.Array)
        (True, False)
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("portax.Array is for isinstance checks and annotations; create arrays with portax.numpy")


#: What portax accepts where an array is expected: a backend array, a NumPy array, a Python scalar or nested lists.
ArrayLike = Array | np.ndarray | np.generic | bool | int | float | complex | list | tuple
#: A dtype object of any backend, a NumPy dtype, a dtype name, or a Python scalar type.
DTypeLike = str | type | Any
