"""The ``portax.numpy`` names written once over ``portax.vmap`` and ``portax.numpy`` (as JAX 0.10 writes them over
``jax.vmap`` and ``jax.numpy``), and the NumPy helpers ``jax.numpy`` re-exports: I/O, printing, scalar type classes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

# jax.numpy re-exports these NumPy objects unchanged (jnp.save is np.save, jnp.floating is np.floating, ...;
# portax.numpy.dtype is namespace.dtype, which also reads torch dtypes).
from numpy import (  # noqa: E402,F401
    character as character,
    complexfloating as complexfloating,
    flexible as flexible,
    floating as floating,
    generic as generic,
    get_printoptions as get_printoptions,
    inexact as inexact,
    integer as integer,
    iterable as iterable,
    number as number,
    object_ as object_,
    printoptions as printoptions,
    save as save,
    savez as savez,
    set_printoptions as set_printoptions,
    signedinteger as signedinteger,
    unsignedinteger as unsignedinteger,
)
from numpy.exceptions import ComplexWarning as ComplexWarning  # noqa: E402

from portax._src.numpy.vectorize import vectorize as vectorize


def _pnp() -> Any:
    from portax._src.numpy import api

    return api


def apply_along_axis(func1d: Callable[..., Any], axis: int, arr: Any, *args: Any, **kwargs: Any) -> Any:
    """``func1d`` applied to the 1-d slices of ``arr`` along ``axis`` (``portax.vmap`` over the other axes).

    Example:
        >>> import portax.numpy as jnp
        >>> tuple(jnp.apply_along_axis(jnp.sum, 1, jnp.ones((2, 3))).shape)
        (2,)
    """
    from portax._src import transforms

    arr = _pnp().asarray(arr)
    num_dims = arr.ndim
    axis = operator.index(axis)
    if not -num_dims <= axis < num_dims:
        raise ValueError(f"axis {axis} is out of bounds for array of dimension {num_dims}")
    axis %= num_dims

    def func(a: Any) -> Any:
        return func1d(a, *args, **kwargs)

    for i in range(1, num_dims - axis):
        func = transforms.vmap(func, in_axes=i, out_axes=-1)
    for _ in range(axis):
        func = transforms.vmap(func, in_axes=0, out_axes=0)
    return func(arr)


def apply_over_axes(func: Callable[[Any, int], Any], a: Any, axes: Sequence[int]) -> Any:
    """``func(a, axis)`` applied for each of ``axes`` in turn, keeping the number of dimensions.

    Example:
        >>> import portax.numpy as jnp
        >>> tuple(jnp.apply_over_axes(jnp.sum, jnp.ones((2, 3, 4)), [0, 2]).shape)
        (1, 3, 1)
    """
    pnp = _pnp()
    a_arr = pnp.asarray(a)
    for axis in axes:
        b = func(a_arr, axis)
        if b.ndim == a_arr.ndim:
            a_arr = b
        elif b.ndim == a_arr.ndim - 1:
            a_arr = pnp.expand_dims(b, axis)
        else:
            raise ValueError("function is not returning an array of the correct shape")
    return a_arr


def fromfunction(function: Callable[..., Any], shape: Any, *, dtype: Any = float, **kwargs: Any) -> Any:
    """An array whose element at index ``(i, j, ...)`` is ``function(i, j, ...)`` (``function`` is vmapped).

    Example:
        >>> import portax.numpy as jnp
        >>> tuple(jnp.fromfunction(lambda i, j: i + j, (2, 3)).shape)
        (2, 3)
    """
    from portax._src import transforms

    shape = (operator.index(shape),) if np.ndim(shape) == 0 else tuple(operator.index(d) for d in shape)
    for i in range(len(shape)):
        in_axes = [0 if i == j else None for j in range(len(shape))]
        function = transforms.vmap(function, in_axes=tuple(in_axes[::-1]))
    pnp = _pnp()
    return function(*(pnp.arange(s, dtype=dtype) for s in shape), **kwargs)


def frombuffer(buffer: Any, dtype: Any = float, count: int = -1, offset: int = 0) -> Any:
    """An array of the current backend from a buffer (``asarray(np.frombuffer(...))``, as jax.numpy)."""
    from portax._src.dtypes import to_numpy_dtype

    array = np.frombuffer(buffer=buffer, dtype=to_numpy_dtype(dtype), count=count, offset=offset).copy()
    return _pnp().asarray(array)


def fromstring(string: str, dtype: Any = float, count: int = -1, *, sep: str) -> Any:
    """An array of the current backend from text data (``asarray(np.fromstring(...))``, as jax.numpy)."""
    from portax._src.dtypes import to_numpy_dtype

    return _pnp().asarray(np.fromstring(string, dtype=to_numpy_dtype(dtype), count=count, sep=sep))


def fromfile(*args: Any, **kwargs: Any) -> Any:
    """Not implemented, exactly as in ``jax.numpy``: reading a file is impure; use ``asarray(np.fromfile(...))``."""
    raise NotImplementedError(
        "jnp.fromfile() is not implemented because it may be non-pure and thus unsafe for use with JIT and other "
        "JAX transformations. Consider using jnp.asarray(np.fromfile(...)) instead."
    )


def fromiter(*args: Any, **kwargs: Any) -> Any:
    """Not implemented, exactly as in ``jax.numpy``: consuming an iterator is impure; use ``asarray(np.fromiter(...))``."""
    raise NotImplementedError(
        "jnp.fromiter() is not implemented because it may be non-pure and thus unsafe for use with JIT and other "
        "JAX transformations. Consider using jnp.asarray(np.fromiter(...)) instead."
    )


def load(file: Any, *args: Any, **kwargs: Any) -> Any:
    """``np.load``, with an array result converted to the current backend (as ``jax.numpy.load``)."""
    out = np.load(file, *args, **kwargs)
    if isinstance(out, np.ndarray):
        try:
            return _pnp().asarray(out)
        except (TypeError, ValueError):  # a dtype the backend lacks: keep NumPy's array, as jax does
            return out
    return out


def _to_numpy(arr: Any) -> np.ndarray:
    if hasattr(arr, "detach"):  # a torch tensor (possibly requiring grad)
        arr = arr.detach().cpu()
    return np.asarray(arr)


def array_repr(arr: Any, max_line_width: int | None = None, precision: int | None = None,
               suppress_small: bool | None = None) -> str:  # fmt: skip
    """NumPy's ``array_repr`` of the array's values (jax.numpy's prints NumPy's text as well)."""
    return np.array_repr(_to_numpy(arr), max_line_width, precision, suppress_small)


def array_str(a: Any, max_line_width: int | None = None, precision: int | None = None,
              suppress_small: bool | None = None) -> str:  # fmt: skip
    """NumPy's ``array_str`` of the array's values."""
    return np.array_str(_to_numpy(a), max_line_width, precision, suppress_small)
