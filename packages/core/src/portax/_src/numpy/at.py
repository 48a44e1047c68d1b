"""The portable ``.at[]`` update: ``portax.numpy.at(x)[idx].set(v)`` never mutates ``x``.

JAX semantics (``jax.numpy.ndarray.at``, JAX 0.10): for ``set`` with repeated indices one of the updates wins;
``add``/``multiply``/``min``/``max`` with repeated indices apply every update; out-of-bounds indices in an update
are dropped, and in ``get`` they are clamped to the bounds (``mode="fill"`` with ``fill_value`` returns the fill
value instead). Negative indices count from the end, as in NumPy. Backends implement ``at_get`` and ``at_update``
in their ``numpy`` namespace; this module only routes.
"""

from __future__ import annotations

from typing import Any

from portax._src.dispatch import ENGINE_ERRORS, new_table, reraise_engine_error, slow_path
from portax._src.typing import Array, ArrayLike

_t_at_get = new_table("numpy", "at_get")
_t_at_update = new_table("numpy", "at_update")

_OPS = ("set", "add", "multiply", "divide", "power", "min", "max")


class _AtIndexer:
    __slots__ = ("_array",)

    def __init__(self, array: Array) -> None:
        self._array = array

    def __getitem__(self, index: Any) -> _AtRef:
        return _AtRef(self._array, index)

    def __repr__(self) -> str:
        return f"at({self._array!r})"


class _AtRef:
    __slots__ = ("_array", "_index")

    def __init__(self, array: Array, index: Any) -> None:
        self._array = array
        self._index = index

    def get(self, *, mode: str | None = None, fill_value: ArrayLike | None = None, **kwargs: Any) -> Array:
        """``x[idx]`` with JAX's gather semantics (out-of-bounds indices clamp, or ``fill_value`` with ``mode="fill"``)."""
        impl = _t_at_get.get(type(self._array))
        if impl is None:
            impl, _ = slow_path(_t_at_get, "at_get", self._array)
        try:
            return impl(self._array, self._index, mode=mode, fill_value=fill_value, **kwargs)
        except ENGINE_ERRORS as error:
            reraise_engine_error(_t_at_get, error, self._array)
            raise

    def _update(self, op: str, values: ArrayLike, mode: str | None, kwargs: dict[str, Any]) -> Array:
        impl = _t_at_update.get(type(self._array))
        if impl is None:
            impl, _ = slow_path(_t_at_update, "at_update", self._array)
        try:
            return impl(self._array, self._index, values, op, mode=mode, **kwargs)
        except ENGINE_ERRORS as error:
            reraise_engine_error(_t_at_update, error, self._array)
            raise

    def set(self, values: ArrayLike, *, mode: str | None = None, **kwargs: Any) -> Array:
        """A copy of ``x`` with ``x[idx] = values``."""
        return self._update("set", values, mode, kwargs)

    def add(self, values: ArrayLike, *, mode: str | None = None, **kwargs: Any) -> Array:
        """A copy of ``x`` with ``x[idx] += values`` (repeated indices accumulate)."""
        return self._update("add", values, mode, kwargs)

    def multiply(self, values: ArrayLike, *, mode: str | None = None, **kwargs: Any) -> Array:
        """A copy of ``x`` with ``x[idx] *= values`` (repeated indices accumulate)."""
        return self._update("multiply", values, mode, kwargs)

    mul = multiply

    def divide(self, values: ArrayLike, *, mode: str | None = None, **kwargs: Any) -> Array:
        """A copy of ``x`` with ``x[idx] /= values``."""
        return self._update("divide", values, mode, kwargs)

    def power(self, values: ArrayLike, *, mode: str | None = None, **kwargs: Any) -> Array:
        """A copy of ``x`` with ``x[idx] **= values``."""
        return self._update("power", values, mode, kwargs)

    def min(self, values: ArrayLike, *, mode: str | None = None, **kwargs: Any) -> Array:
        """A copy of ``x`` with ``x[idx] = minimum(x[idx], values)``."""
        return self._update("min", values, mode, kwargs)

    def max(self, values: ArrayLike, *, mode: str | None = None, **kwargs: Any) -> Array:
        """A copy of ``x`` with ``x[idx] = maximum(x[idx], values)``."""
        return self._update("max", values, mode, kwargs)

    def __repr__(self) -> str:
        return f"at({self._array!r})[{self._index!r}]"


def at(x: Array) -> _AtIndexer:
    """The portable form of JAX's ``x.at``: ``at(x)[idx].set(v)`` returns an updated copy; ``x`` is untouched.

    Example:
        >>> import portax.numpy as pnp
        >>> y = pnp.at(pnp.zeros(3))[1].set(5.0)
    """
    return _AtIndexer(x)
