"""The toy backend's ``portax.numpy`` namespace: a few functions with JAX's names, signatures and dtype rules.

Every function returns a :class:`ToyArray` (the backend's native array). A function that is missing here is not an
error in the plugin: portax's dispatcher raises ``portax.errors.UnsupportedError("toy", "portax.numpy.<name>")``.
"""

from __future__ import annotations

import numpy as np


class ToyArray(np.ndarray):
    """The toy engine's array: a NumPy array whose type lives in ``portax_toy`` (so portax can tell it apart)."""


DTYPES = {"bool": np.dtype(bool), "int32": np.dtype(np.int32), "float32": np.dtype(np.float32)}
# JAX with x64 off: 64-bit requests and Python floats/ints become their 32-bit kin.
_CANONICAL = {np.dtype(np.float64): np.dtype(np.float32), np.dtype(np.int64): np.dtype(np.int32)}


def _wrap(value: object) -> ToyArray:
    array = np.asarray(value)
    array = array.astype(_CANONICAL.get(array.dtype, array.dtype), copy=False)
    return array.view(ToyArray)


def asarray(a, dtype=None, order=None, *, copy=None, device=None, out_sharding=None) -> ToyArray:
    return _wrap(np.array(a, dtype=dtype, copy=True) if copy else np.asarray(a, dtype=dtype))


def zeros(shape, dtype=None, *, device=None, out_sharding=None) -> ToyArray:
    return _wrap(np.zeros(shape, dtype=dtype or np.float32))


def ones(shape, dtype=None, *, device=None, out_sharding=None) -> ToyArray:
    return _wrap(np.ones(shape, dtype=dtype or np.float32))


def arange(start, stop=None, step=None, dtype=None, *, device=None, out_sharding=None) -> ToyArray:
    return _wrap(np.arange(start, stop, step, dtype=dtype))


def add(x1, x2, /) -> ToyArray:
    return _wrap(np.add(x1, x2))


def multiply(x1, x2, /) -> ToyArray:
    return _wrap(np.multiply(x1, x2))


def sin(x, /) -> ToyArray:
    return _wrap(np.sin(x))


def cos(x, /) -> ToyArray:
    return _wrap(np.cos(x))


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None, promote_integers=True):
    if out is not None:
        raise ValueError("portax arrays are immutable: out= is not supported")
    kwargs = {} if initial is None else {"initial": initial}
    return _wrap(np.sum(a, axis=axis, dtype=dtype, keepdims=keepdims, where=True if where is None else where, **kwargs))
