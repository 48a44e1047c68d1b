"""Type aliases used in portax's signatures (``portax.typing`` re-exports them)."""

from __future__ import annotations

from typing import Any, Union

#: An array of any backend (a ``jax.Array``, a ``torch.Tensor``, ...).
Array = Any
#: What portax accepts where an array is expected: a backend array, a NumPy array, a Python scalar or nested lists.
ArrayLike = Union[Array, "numbers.Number", list, tuple]
#: A dtype object of any backend, a NumPy dtype, a dtype name, or a Python scalar type.
DTypeLike = Union[str, type, Any]
