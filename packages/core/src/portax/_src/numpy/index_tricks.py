"""``mgrid``, ``ogrid``, ``r_``, ``c_``, ``s_`` and ``index_exp`` of ``portax.numpy``, once for all backends.

A port of ``jax/_src/numpy/index_tricks.py`` (JAX 0.10) over ``portax.numpy``: arrays are made on the current
backend (``with portax.use_backend(...)``), or on the backend of the arrays given to ``r_``/``c_``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["c_", "index_exp", "mgrid", "ogrid", "r_", "s_"]


def _pnp() -> Any:
    from portax._src.numpy import api

    return api


def _make_1d_grid_from_slice(s: slice) -> Any:
    pnp = _pnp()
    start = s.start or 0
    stop = s.stop
    step = s.step or 1
    if np.iscomplex(step):
        return pnp.linspace(start, stop, int(abs(step)))
    return pnp.arange(start, stop, step)


def _promote(arrays: list[Any]) -> list[Any]:
    pnp = _pnp()
    if not arrays:
        return arrays
    dtype = pnp.result_type(*arrays)
    return [pnp.astype(a, dtype) for a in arrays]


class _Mgrid:
    """``mgrid[0:3, 0:2]``: a dense stack of coordinate grids (complex steps give that many points, as linspace)."""

    def __getitem__(self, key: slice | tuple[slice, ...]) -> Any:
        pnp = _pnp()
        if isinstance(key, slice):
            return _make_1d_grid_from_slice(key)
        output = _promote([_make_1d_grid_from_slice(k) for k in key])
        grids = pnp.meshgrid(*output, indexing="ij", sparse=False)
        if len(grids) == 0:
            return pnp.arange(0)
        return pnp.stack(grids, 0)

    def __repr__(self) -> str:
        return "portax.numpy.mgrid"


class _Ogrid:
    """``ogrid[0:3, 0:2]``: open (broadcastable) coordinate grids."""

    def __getitem__(self, key: slice | tuple[slice, ...]) -> Any:
        pnp = _pnp()
        if isinstance(key, slice):
            return _make_1d_grid_from_slice(key)
        output = _promote([_make_1d_grid_from_slice(k) for k in key])
        return pnp.meshgrid(*output, indexing="ij", sparse=True)

    def __repr__(self) -> str:
        return "portax.numpy.ogrid"


class _AxisConcat:
    axis: int
    ndmin: int
    trans1d: int
    op_name: str

    def __getitem__(self, key: Any) -> Any:
        pnp = _pnp()
        key_tup = key if isinstance(key, tuple) else (key,)
        params = [self.axis, self.ndmin, self.trans1d, -1]
        directive = key_tup[0]
        if isinstance(directive, str):
            key_tup = key_tup[1:]
            if directive == "r":
                params[-1] = 0
            elif directive == "c":
                params[-1] = 1
            else:
                vec: list[Any] = directive.split(",")
                k = len(vec)
                vec = vec + params[k:] if k < 4 else vec[:3] + [params[-1]]
                try:
                    params = [int(v) for v in vec]
                except ValueError as err:
                    raise ValueError(f"could not understand directive {directive!r}") from err
        axis, ndmin, trans1d, matrix = params
        output = []
        for item in key_tup:
            if isinstance(item, slice):
                newobj = _make_1d_grid_from_slice(item)
                item_ndim = 0
            elif isinstance(item, str):
                raise ValueError("string directive must be placed at the beginning")
            else:
                newobj = pnp.asarray(item)
                item_ndim = newobj.ndim
            if newobj.ndim < ndmin:
                newobj = pnp.reshape(newobj, (1,) * (ndmin - newobj.ndim) + tuple(newobj.shape))
            if trans1d != -1 and ndmin - item_ndim > 0:
                shape_obj = tuple(range(ndmin))
                num_lshifts = ndmin - abs(ndmin + trans1d + 1) % ndmin
                newobj = pnp.transpose(newobj, shape_obj[num_lshifts:] + shape_obj[:num_lshifts])
            output.append(newobj)
        res = pnp.concatenate(tuple(output), axis=axis)
        if matrix != -1 and res.ndim == 1:
            res = pnp.expand_dims(res, matrix)
        return res

    def __len__(self) -> int:
        return 0


class RClass(_AxisConcat):
    """``r_[a, b, 0:3]``: concatenation along the first axis (slices become ``arange``/``linspace``)."""

    axis = 0
    ndmin = 1
    trans1d = -1
    op_name = "r_"

    def __repr__(self) -> str:
        return "portax.numpy.r_"


class CClass(_AxisConcat):
    """``c_[a, b]``: concatenation along the last axis, 1-d items as columns."""

    axis = -1
    ndmin = 2
    trans1d = 0
    op_name = "c_"

    def __repr__(self) -> str:
        return "portax.numpy.c_"


mgrid = _Mgrid()
ogrid = _Ogrid()
r_ = RClass()
c_ = CClass()
s_ = np.s_
index_exp = np.index_exp
