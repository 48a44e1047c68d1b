"""Array creation functions of portax.numpy on torch (``arange``, ``zeros``, ``linspace``, windows, ...)."""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np
import torch

from portax_torch._common import (
    _UNSIGNED_WIDE,
    Tensor,
    _default_for_numpy,
    _default_for_traced_numpy,
    as_tensor,
    check_python_int,
    default_of_scalar,
    inexact_of_int,
    is_python_scalar,
    normalize_axis,
    operator_index,
    result_dtype,
    to_inexact,
)
from portax_torch._dtypes import (
    DEFAULT_FLOAT,
    DEFAULT_INT,
    INDEX_DTYPE,
    to_torch_dtype,
)
from portax_torch.elementwise import i0


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (tuple, list, torch.Size)):
        return tuple(operator_index(n) for n in shape)
    return (operator_index(shape),)


def _device(device: Any) -> Any:
    return device


def asarray(a, dtype=None, order=None, *, copy=None, device=None, out_sharding=None):
    dtype = to_torch_dtype(dtype)
    if isinstance(a, Tensor):
        if dtype is None or a.dtype is dtype:
            if copy:
                return a.clone() if device is None else a.to(device, copy=True)
            return a if device is None else a.to(device)
        if copy is False:
            raise ValueError(f"asarray: a copy is needed to cast {a.dtype} to {dtype}, but copy=False")
        return a.to(dtype=dtype, device=device)
    if type(a) is int:
        check_python_int(a, dtype)
    if isinstance(a, np.ndarray) and torch.compiler.is_compiling():
        # A NumPy array read inside portax.jit (a global weight table): dynamo traces it as a tensor, but not its
        # ``.dtype`` or ``.flags``; torch.as_tensor is what dynamo supports.
        t = torch.as_tensor(a)
        return t.to(dtype=_default_for_traced_numpy(t.dtype) if dtype is None else dtype, device=device)
    if dtype is None:
        if is_python_scalar(a):
            dtype = default_of_scalar(a)
        elif isinstance(a, (np.ndarray, np.generic)):
            dtype = _default_for_numpy(np.asarray(a).dtype)
        elif isinstance(a, (list, tuple)):
            if _contains_tensor(a):
                return _stack_nested(a, None, device)
            arr = np.asarray(a)
            dtype = _default_for_numpy(arr.dtype)
            return torch.asarray(arr, dtype=dtype, device=device)
    elif isinstance(a, (list, tuple)) and _contains_tensor(a):
        return _stack_nested(a, dtype, device)
    if isinstance(a, (np.ndarray, np.generic)):
        a = np.asarray(a)
        if not a.flags.writeable or not a.flags.c_contiguous:
            a = np.ascontiguousarray(a)
            return torch.asarray(a, dtype=dtype, device=device)
    return torch.asarray(a, dtype=dtype, copy=copy, device=device)


def _contains_tensor(value: Any) -> bool:
    if isinstance(value, Tensor):
        return True
    if isinstance(value, (list, tuple)):
        return builtins.any(_contains_tensor(v) for v in value)
    return False


def _stack_nested(value: Any, dtype: Any, device: Any) -> Tensor:
    def build(v: Any) -> Tensor:
        if isinstance(v, (list, tuple)):
            return torch.stack([build(u) for u in v]) if v else torch.zeros(0)
        return as_tensor(v)

    leaves = []

    def collect(v: Any) -> None:
        if isinstance(v, (list, tuple)):
            for u in v:
                collect(u)
        else:
            leaves.append(v)

    collect(value)
    target = dtype or result_dtype(*leaves)
    def build_typed(v: Any) -> Tensor:
        if isinstance(v, (list, tuple)):
            return torch.stack([build_typed(u) for u in v])
        return torch.asarray(v, dtype=target, device=device) if not isinstance(v, Tensor) else v.to(target)

    return build_typed(value)


def array(object, dtype=None, *args, copy=True, order="K", ndmin=0, device=None, out_sharding=None):
    out = asarray(object, dtype, copy=True if copy else None, device=device)
    if isinstance(object, Tensor) and out is object and copy:
        out = out.clone()
    if out.ndim < ndmin:
        out = out.reshape((1,) * (ndmin - out.ndim) + tuple(out.shape))
    return out


def copy(a, order=None):
    return as_tensor(a).clone()


def from_dlpack(x, /, *, device=None, copy=None):
    out = torch.from_dlpack(x)
    if copy:
        out = out.clone()
    return out if device is None else out.to(device)


def zeros(shape, dtype=None, *, device=None, out_sharding=None):
    return torch.zeros(_shape(shape), dtype=to_torch_dtype(dtype) or DEFAULT_FLOAT, device=device)


def ones(shape, dtype=None, *, device=None, out_sharding=None):
    return torch.ones(_shape(shape), dtype=to_torch_dtype(dtype) or DEFAULT_FLOAT, device=device)


def empty(shape, dtype=None, *, device=None, out_sharding=None):
    # jnp.empty is zeros (XLA has no uninitialised memory); match it so programs are deterministic on both.
    return zeros(shape, dtype, device=device)


def _int_fill(value: Any, dtype: torch.dtype) -> Any:
    """A Python int fill value as ``jnp.full``/``full_like`` take it (jax 0.10): wrapped to an integer ``dtype``
    (``full(2, 2**31, dtype=int32)`` is ``-2**31``, where torch raises), OverflowError beyond int64 only."""
    if type(value) is not int or dtype.is_floating_point or dtype.is_complex or dtype is torch.bool:
        return value
    if not -(2**63) <= value < 2**63:
        raise OverflowError(f"Python int {value} too large to convert to C long (as jax.numpy.full)")
    info = torch.iinfo(dtype)
    if info.min <= value <= info.max:
        return value
    return (value - info.min) % (info.max - info.min + 1) + info.min


def full(shape, fill_value, dtype=None, *, device=None, out_sharding=None):
    shape = _shape(shape)
    dtype = to_torch_dtype(dtype)
    if isinstance(fill_value, Tensor) or not is_python_scalar(fill_value):
        fill = asarray(fill_value, dtype)
        return torch.broadcast_to(fill, shape).clone()
    dtype = dtype or default_of_scalar(fill_value)
    return torch.full(shape, _int_fill(fill_value, dtype), dtype=dtype, device=device)


def _like(a: Any, dtype: Any, shape: Any, device: Any) -> tuple[tuple[int, ...], torch.dtype, Any]:
    a = as_tensor(a)
    shape = tuple(a.shape) if shape is None else _shape(shape)
    return shape, to_torch_dtype(dtype) or a.dtype, device if device is not None else a.device


def zeros_like(a, dtype=None, shape=None, *, device=None, out_sharding=None):
    shape, dtype, device = _like(a, dtype, shape, device)
    return torch.zeros(shape, dtype=dtype, device=device)


def ones_like(a, dtype=None, shape=None, *, device=None, out_sharding=None):
    shape, dtype, device = _like(a, dtype, shape, device)
    return torch.ones(shape, dtype=dtype, device=device)


def empty_like(prototype, dtype=None, shape=None, *, device=None):
    return zeros_like(prototype, dtype, shape, device=device)


def full_like(a, fill_value, dtype=None, shape=None, *, device=None, out_sharding=None):
    shape, dtype, device = _like(a, dtype, shape, device)
    if isinstance(fill_value, Tensor):
        return torch.broadcast_to(fill_value.to(dtype), shape).clone()
    return torch.full(shape, _int_fill(fill_value, dtype), dtype=dtype, device=device)


def _scalar_value(value: Any) -> Any:
    if isinstance(value, Tensor):
        if value.ndim:
            raise TypeError("arange: start, stop and step must be scalars (use linspace for arrays)")
        return value.item()
    if isinstance(value, (np.generic, np.ndarray)):
        if np.ndim(value):
            raise TypeError("arange: start, stop and step must be scalars (use linspace for arrays)")
        return value.item()
    return value


def arange(start, stop=None, step=None, dtype=None, *, device=None, out_sharding=None):
    dtype = to_torch_dtype(dtype)
    # Python scalars arrive as given (the dispatcher does not round them through a float32 array first).
    start, stop, step = (_scalar_value(v) for v in (start, stop, step))
    is_float = builtins.any(isinstance(v, float) for v in (start, stop, step))
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if dtype is None:
        dtype = DEFAULT_FLOAT if is_float else DEFAULT_INT
    if step == 0:
        raise ZeroDivisionError("portax.numpy.arange: step must not be zero (as jax.numpy)")
    if (stop - start) / step <= 0:
        # torch raises for an empty range (arange(-3)); NumPy and JAX return an empty array.
        return torch.empty(0, dtype=dtype, device=device)
    if is_float and not (dtype.is_floating_point or dtype.is_complex):
        # Like NumPy: count ceil((stop - start) / step) items in float, then cast.
        return torch.arange(start, stop, step, dtype=torch.float64, device=device).to(dtype)
    if dtype in _UNSIGNED_WIDE:
        # torch has no arange kernel for uint16/32/64 ("arange_cpu" not implemented): count in int64 and cast back.
        return torch.arange(start, stop, step, dtype=torch.int64, device=device).to(dtype)
    return torch.arange(start, stop, step, dtype=dtype, device=device)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    num = operator_index(num)
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    out_dtype = to_torch_dtype(dtype)
    # Python scalars stay weakly typed and are converted once, in the compute dtype: through a default float32
    # tensor first, linspace(-4.924221142100693e16, 1.0, 5, dtype=float64) would start at a rounded value.
    start_t = start if is_python_scalar(start) else as_tensor(start)
    stop_t = stop if is_python_scalar(stop) else as_tensor(stop)
    if out_dtype is None:  # jax 0.10: to_inexact_dtype(result_type(start, stop)): int32 endpoints give float32
        compute = result_dtype(start_t, stop_t)
        compute = compute if compute.is_floating_point or compute.is_complex else inexact_of_int(compute)
    else:
        compute = result_dtype(start_t, stop_t, out_dtype, 1.0)
    if not (compute.is_floating_point or compute.is_complex):
        compute = DEFAULT_FLOAT
    start_t, stop_t = (
        v.to(compute) if isinstance(v, Tensor) else torch.asarray(v, dtype=compute) for v in (start_t, stop_t)
    )
    start_t, stop_t = torch.broadcast_tensors(start_t, stop_t)
    if out_dtype is None:
        out_dtype = compute
    bshape = tuple(start_t.shape)
    div = (num - 1) if endpoint else num
    delta = stop_t - start_t
    iota = torch.arange(num, dtype=compute, device=start_t.device).reshape((num,) + (1,) * len(bshape))
    if div > 0:
        step = delta / div
        # start + delta * i / div: differentiable in start and stop (torch.linspace is not under vmap), and
        # the endpoint is exactly stop. A `where` rather than a `cat` of the ramp's head and stop: one elementwise
        # kernel under torch.compile (jit(vmap(linspace)) sweep: the cat form traced 15 ops, this one fuses).
        out = start_t + delta * (iota / div)
        if endpoint and num > 1:
            out = torch.where(iota == div, stop_t, out)
    else:
        step = torch.full_like(delta, math.nan)
        out = (start_t + delta * iota)[:num] if num else torch.empty((0,) + bshape, dtype=compute)
    axis = normalize_axis(axis, out.ndim)
    out = torch.movedim(out, 0, axis)
    if not (out_dtype.is_floating_point or out_dtype.is_complex):
        out = torch.floor(out)
    out = out.to(out_dtype)
    if retstep:
        return out, step
    return out


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    dtype = to_torch_dtype(dtype)
    lin = linspace(start, stop, num, endpoint, False, None, axis)
    base_t = as_tensor(base).to(lin.dtype) if not isinstance(base, Tensor) else to_inexact(base)
    if base_t.ndim:
        base_t = torch.movedim(base_t.reshape((1,) * 0 + tuple(base_t.shape)).unsqueeze(0), 0, normalize_axis(axis, lin.ndim))
    out = torch.pow(base_t, lin)
    return out.to(dtype) if dtype is not None else out


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = to_torch_dtype(dtype)
    start_t, stop_t = to_inexact(as_tensor(start)), to_inexact(as_tensor(stop))
    if bool(torch.any(start_t == 0)) or bool(torch.any(stop_t == 0)):
        raise ValueError("Geometric sequence cannot include zero")
    if start_t.dtype.is_complex or stop_t.dtype.is_complex:
        out = torch.exp(linspace(torch.log(start_t), torch.log(stop_t), num, endpoint, False, None, axis))
    else:
        sign = torch.sign(start_t)
        out = sign * torch.pow(10.0, linspace(torch.log10(torch.abs(start_t)), torch.log10(torch.abs(stop_t)), num,
                                              endpoint, False, None, 0))
        if num:
            out = torch.cat([(sign * torch.abs(start_t)).unsqueeze(0), out[1:]], 0)
            if endpoint and num > 1:
                out = torch.cat([out[:-1], stop_t.broadcast_to(out.shape[1:]).unsqueeze(0)], 0)
        out = torch.movedim(out, 0, normalize_axis(axis, out.ndim))
    return out.to(dtype) if dtype is not None else out


def eye(N, M=None, k=0, dtype=None, *, device=None):
    N = operator_index(N)
    M = N if M is None else operator_index(M)
    k = operator_index(k)
    dtype = to_torch_dtype(dtype) or DEFAULT_FLOAT
    rows = torch.arange(N, device=device).unsqueeze(1)
    cols = torch.arange(M, device=device).unsqueeze(0)
    return (cols - rows == k).to(dtype)


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):
    N = operator_index(N)
    M = N if M is None else operator_index(M)
    rows = torch.arange(N).unsqueeze(1)
    cols = torch.arange(M).unsqueeze(0)
    return (cols <= rows + operator_index(k)).to(to_torch_dtype(dtype) or DEFAULT_FLOAT)


def tril(m, k=0):
    m = as_tensor(m)
    if m.ndim < 2:
        raise ValueError("tril requires an array of at least two dimensions")
    return torch.tril(m, operator_index(k))


def triu(m, k=0):
    m = as_tensor(m)
    if m.ndim < 2:
        raise ValueError("triu requires an array of at least two dimensions")
    return torch.triu(m, operator_index(k))


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Valid values for indexing are 'xy' and 'ij', got {indexing!r}")
    arrays = [as_tensor(x).reshape(-1) for x in xi]
    n = len(arrays)
    if not n:
        return []
    shapes = [[1] * n for _ in arrays]
    for i, arr in enumerate(arrays):
        shapes[i][i] = arr.shape[0]
    if indexing == "xy" and n >= 2:
        for shape in shapes:
            shape[0], shape[1] = shape[1], shape[0]
    out = [arr.reshape(shape) for arr, shape in zip(arrays, shapes, strict=False)]
    if not sparse:
        out = list(torch.broadcast_tensors(*out))
        out = [o.clone() for o in out] if copy else out
    return out


def indices(dimensions, dtype=None, sparse=False):
    dimensions = _shape(dimensions)
    dtype = to_torch_dtype(dtype) or DEFAULT_INT
    n = len(dimensions)
    out = []
    for i, size in enumerate(dimensions):
        shape = [1] * n
        shape[i] = size
        idx = torch.arange(size, dtype=dtype).reshape(shape)
        out.append(idx if sparse else idx.expand(dimensions))
    if sparse:
        return tuple(out)
    return torch.stack(out) if out else torch.zeros((0,), dtype=dtype)


def diag_indices(n, ndim=2):
    idx = torch.arange(operator_index(n), dtype=INDEX_DTYPE)
    return (idx,) * operator_index(ndim)


def tril_indices(n, k=0, m=None):
    n = operator_index(n)
    m = n if m is None else operator_index(m)
    rows, cols = torch.nonzero(tri(n, m, k, torch.bool), as_tuple=True)
    return rows.to(INDEX_DTYPE), cols.to(INDEX_DTYPE)


def triu_indices(n, k=0, m=None):
    n = operator_index(n)
    m = n if m is None else operator_index(m)
    rows, cols = torch.nonzero(~tri(n, m, operator_index(k) - 1, torch.bool), as_tuple=True)
    return rows.to(INDEX_DTYPE), cols.to(INDEX_DTYPE)


def _window_index(M: Any) -> torch.Tensor | None:
    """``iota(M)`` in the default float dtype, or ``None`` when the window is ``ones(M)`` (``M <= 1``)."""
    return None if int(M) <= 1 else torch.arange(int(M), dtype=DEFAULT_FLOAT)


def _ones(M: Any) -> torch.Tensor:
    return torch.ones(max(int(M), 0), dtype=DEFAULT_FLOAT)


def blackman(M: int) -> torch.Tensor:
    n = _window_index(M)
    if n is None:
        return _ones(M)
    return 0.42 - 0.5 * torch.cos(2 * math.pi * n / (M - 1)) + 0.08 * torch.cos(4 * math.pi * n / (M - 1))


def bartlett(M: int) -> torch.Tensor:
    n = _window_index(M)
    if n is None:
        return _ones(M)
    return 1 - torch.abs(2 * n + 1 - M) / (M - 1)


def hamming(M: int) -> torch.Tensor:
    n = _window_index(M)
    if n is None:
        return _ones(M)
    return 0.54 - 0.46 * torch.cos(2 * math.pi * n / (M - 1))


def hanning(M: int) -> torch.Tensor:
    n = _window_index(M)
    if n is None:
        return _ones(M)
    return 0.5 * (1 - torch.cos(2 * math.pi * n / (M - 1)))


def kaiser(M: int, beta: Any) -> torch.Tensor:
    n = _window_index(M)
    if n is None:
        return _ones(M)
    alpha = 0.5 * (M - 1)
    beta = as_tensor(beta)
    return i0(beta * torch.sqrt(1 - ((n - alpha) / alpha) ** 2)) / i0(beta)
