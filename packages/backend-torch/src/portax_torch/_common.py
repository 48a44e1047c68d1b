"""Helpers shared by the torch NumPy namespace: JAX's type promotion (weak Python scalars), one
x64-aware ``as_tensor``, axis normalising.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import torch

from portax_torch._dtypes import (
    DEFAULT_COMPLEX,
    DEFAULT_FLOAT,
    DEFAULT_INT,
    INDEX_DTYPE,
    to_torch_dtype,
)

Tensor = torch.Tensor


_UNSIGNED_WIDE = frozenset({torch.uint16, torch.uint32, torch.uint64})


def is_wide_unsigned(x: Any) -> bool:
    """Whether ``x`` is a uint16/32/64 tensor: torch 2.13 has no CPU add/sub/mul/pow kernels for those, and int64
    arithmetic wraps modulo 2**64, so ``fn(x.to(torch.int64)).to(x.dtype)`` gives the same bits (casts wrap too)."""
    return isinstance(x, Tensor) and x.dtype in _UNSIGNED_WIDE


def as_signed_bits(fn: Any, x: Tensor, *args: Any) -> Tensor:
    """``fn(x, *args)`` for a bit-pattern operation (flip, bitwise not) that torch 2.13 has no uint16/32/64 CPU kernel
    for: run on the signed integer view of the same bits and viewed back (exact)."""
    if x.dtype not in _UNSIGNED_WIDE:
        return fn(x, *args)
    signed = {torch.uint16: torch.int16, torch.uint32: torch.int32, torch.uint64: torch.int64}[x.dtype]
    return fn(x.view(signed), *args).view(x.dtype)


# JAX's kinds, ordered: a weak Python scalar of a higher kind than the array beside it decides the kind only.
_KIND_BOOL, _KIND_INT, _KIND_FLOAT, _KIND_COMPLEX = 0, 1, 2, 3


def kind_of_dtype(dtype: torch.dtype) -> int:
    if dtype is torch.bool:
        return _KIND_BOOL
    if dtype.is_complex:
        return _KIND_COMPLEX
    if dtype.is_floating_point:
        return _KIND_FLOAT
    return _KIND_INT


def _kind_of_scalar(value: Any) -> int:
    if isinstance(value, bool):
        return _KIND_BOOL
    if isinstance(value, int):
        return _KIND_INT
    if isinstance(value, float):
        return _KIND_FLOAT
    return _KIND_COMPLEX


def is_python_scalar(value: Any) -> bool:
    return type(value) in (int, float, bool, complex)


def promote_strong(a: torch.dtype, b: torch.dtype) -> torch.dtype:
    """JAX's promotion of two (strong) dtypes."""
    if a is b:
        return a
    if a in _UNSIGNED_WIDE or b in _UNSIGNED_WIDE:
        return _promote_wide_unsigned(a, b)
    return torch.promote_types(a, b)


_UINT_BITS = {torch.uint8: 8, torch.uint16: 16, torch.uint32: 32, torch.uint64: 64}


_INT_BITS = {torch.int8: 8, torch.int16: 16, torch.int32: 32, torch.int64: 64}


_UINT_OF_BITS = {bits: dt for dt, bits in _UINT_BITS.items()}


_INT_OF_BITS = {bits: dt for dt, bits in _INT_BITS.items()}


def _promote_wide_unsigned(a: torch.dtype, b: torch.dtype) -> torch.dtype:
    # JAX's lattice (jax._src.dtypes): uN with uM -> u(max); uN with iM -> i(2*max) capped at i64; u64 with iM -> f*.
    if a not in _UINT_BITS:
        a, b = b, a
    if b is torch.bool:
        return a
    if b in _UINT_BITS:
        return _UINT_OF_BITS[builtins.max(_UINT_BITS[a], _UINT_BITS[b])]
    if b in _INT_BITS:
        if _UINT_BITS[a] == 64:
            return DEFAULT_FLOAT
        bits = builtins.min(builtins.max(2 * _UINT_BITS[a], _INT_BITS[b]), 64)
        if bits == 64 and _INT_BITS[b] < 64 and DEFAULT_INT is torch.int32:
            bits = 32  # x64 off: JAX canonicalizes the int64 of uint32 + int32 to int32
        return _INT_OF_BITS[bits]
    return b  # float or complex: the float wins


def weak_with(dtype: torch.dtype, scalar: Any) -> torch.dtype:
    """The result dtype of an array of ``dtype`` with a weakly typed Python scalar."""
    kind = _kind_of_scalar(scalar)
    have = kind_of_dtype(dtype)
    if kind <= have:
        return dtype
    if kind == _KIND_INT:
        return DEFAULT_INT
    if kind == _KIND_FLOAT:
        return DEFAULT_FLOAT
    # complex scalar
    if dtype is torch.float64:
        return torch.complex128
    return DEFAULT_COMPLEX


def default_of_scalar(value: Any) -> torch.dtype:
    kind = _kind_of_scalar(value)
    return (torch.bool, DEFAULT_INT, DEFAULT_FLOAT, DEFAULT_COMPLEX)[kind]


def dtype_of(value: Any) -> tuple[torch.dtype, bool]:
    """``(dtype, weak)`` of an operand: a tensor, a Python scalar, a dtype spelling or an array-like."""
    if isinstance(value, Tensor):
        return value.dtype, False
    if is_python_scalar(value):
        return default_of_scalar(value), True
    if isinstance(value, (np.ndarray, np.generic)):
        return to_torch_dtype(value.dtype), False
    if isinstance(value, (list, tuple)):
        return torch.asarray(value).dtype if value else DEFAULT_FLOAT, False
    dtype = getattr(value, "dtype", None)
    if dtype is not None and not isinstance(value, type):
        return to_torch_dtype(dtype), False
    return to_torch_dtype(value), False


def result_dtype(*args: Any) -> torch.dtype:
    """JAX's ``result_type`` (x64 off defaults) of tensors, dtypes and Python scalars."""
    strong: torch.dtype | None = None
    weak: list[Any] = []
    for arg in args:
        if is_python_scalar(arg):
            weak.append(arg)
            continue
        dtype, _ = dtype_of(arg)
        strong = dtype if strong is None else promote_strong(strong, dtype)
    if strong is None:
        if not weak:
            raise ValueError("at least one array or dtype is required")
        kind = builtins.max(_kind_of_scalar(w) for w in weak)
        return (torch.bool, DEFAULT_INT, DEFAULT_FLOAT, DEFAULT_COMPLEX)[kind]
    for scalar in weak:
        strong = weak_with(strong, scalar)
    return strong


def check_python_int(value: int, dtype: torch.dtype | None = None) -> None:
    """JAX's conversion of a Python int: OverflowError outside the default int's range (int32 with x64 off), or
    outside ``dtype``'s range when it is given explicitly (``jnp.asarray(255, dtype=jnp.int8)``)."""
    if dtype is None or not (dtype.is_floating_point or dtype.is_complex or dtype is torch.bool):
        info = torch.iinfo(dtype or DEFAULT_INT)
        if not info.min <= value <= info.max:
            raise OverflowError(
                f"Python int {value} too large to convert to {str(dtype or DEFAULT_INT).removeprefix('torch.')} (as "
                "JAX); give an array of a wider dtype (or enable x64) instead of the Python int"
            )


def weak_int_operand(value: int, dtype: torch.dtype, device: Any) -> Tensor:
    """A weakly typed Python int as a tensor of integer ``dtype``, as JAX converts it: checked against the default
    int's range, then wrapped to ``dtype`` (``jnp.add(255, int8_array)`` adds -1)."""
    check_python_int(value)
    return torch.asarray(value, dtype=torch.int64, device=device).to(dtype)


def promote_pair(x1: Any, x2: Any, scalars_ok: bool) -> tuple[Any, Any]:
    """Bring two operands to JAX's common dtype; Python scalars stay scalars when ``scalars_ok``."""
    dtype = result_dtype(x1, x2)
    like = x1 if isinstance(x1, Tensor) else x2
    device = like.device if isinstance(like, Tensor) else None
    return _as_operand(x1, dtype, device, scalars_ok), _as_operand(x2, dtype, device, scalars_ok)


def _as_operand(value: Any, dtype: torch.dtype, device: Any, scalars_ok: bool) -> Any:
    if isinstance(value, Tensor):
        return value if value.dtype is dtype else value.to(dtype)
    if type(value) is int and not (dtype.is_floating_point or dtype.is_complex or dtype is torch.bool):
        if scalars_ok and -2147483648 <= value <= 2147483647:
            return value  # torch wraps it to dtype, as JAX
        return weak_int_operand(value, dtype, device)
    if scalars_ok and is_python_scalar(value) and not (type(value) is bool and dtype is not torch.bool):
        return value
    return torch.asarray(value, dtype=dtype, device=device)


def to_inexact(x: Tensor) -> Tensor:
    """JAX's ``promote_args_inexact`` for one tensor: ints and bools become the default float."""
    if x.dtype.is_floating_point or x.dtype.is_complex:
        return x
    return x.to(inexact_of_int(x.dtype))


def to_default_float(x: Tensor) -> Tensor:
    """JAX's ``lax.convert_element_type(x, dtypes.default_float_dtype())`` for integer and bool tensors: ``jnp.rint``,
    ``jnp.angle`` and ``jnp.unwrap`` (jax 0.10) give the default float for every integer width (float64 with x64 on,
    where ``to_inexact`` keeps float32 for integers narrower than 64 bits)."""
    if x.dtype.is_floating_point or x.dtype.is_complex:
        return x
    return x.to(DEFAULT_FLOAT)


def inexact_of_int(dtype: torch.dtype) -> torch.dtype:
    """JAX 0.10's float dtype for an integer or bool dtype: float32, float64 only for 64-bit integers with x64 on
    (``jnp.true_divide(int32, int32)`` is float32 even with x64 on)."""
    return DEFAULT_FLOAT if dtype is torch.int64 or dtype is torch.uint64 else torch.float32


def check_supported(x: Tensor, op: str) -> None:
    if x.dtype in _UNSIGNED_WIDE:
        raise TypeError(
            f"portax.numpy.{op} is not supported for {x.dtype} tensors on the torch backend (torch implements "
            "little arithmetic for uint16/uint32/uint64 in eager mode); cast to a signed integer dtype first"
        )


def via_int64(fn: Any, name: str, *args: Any) -> Any:
    """``fn`` on uint16/uint32/uint64 tensors, computed in int64 and cast back to the first tensor's dtype.

    torch 2.13 has no eager kernels for most uint16/32/64 arithmetic (``"div_floor_cpu" not implemented``). int64
    holds every uint16/uint32 value exactly, and wraparound arithmetic modulo 2**64 gives the same bits, so the cast
    back is exact; a uint64 value of 2**63 or more does not fit, and then a TypeError says so (rather than a wrong
    result). Integer results are cast back; bool (comparison) results are returned as they are.
    """
    dtype = next(a.dtype for a in args if isinstance(a, Tensor))
    wide = [a.to(torch.int64) if isinstance(a, Tensor) else a for a in args]
    if dtype is torch.uint64 and builtins.any(bool((w < 0).any()) for w in wide if isinstance(w, Tensor)):
        raise TypeError(
            f"portax.numpy.{name} on uint64 tensors with values >= 2**63 is not supported on the torch backend "
            "(torch has no uint64 kernel for it and the values do not fit in int64); use the jax backend or "
            "smaller values"
        )
    out = fn(*wide)
    if isinstance(out, tuple):
        return tuple(o.to(dtype) if o.dtype is torch.int64 else o for o in out)
    return out.to(dtype) if out.dtype is torch.int64 else out


def saturating_float_to_int(x: Tensor, dtype: torch.dtype) -> Tensor:
    """XLA's float -> integer conversion (what ``jnp.astype`` gives): NaN -> 0, values beyond the integer range
    clamp to its ends (torch's cast gives INT_MIN or wraps there)."""
    info = torch.iinfo(dtype)
    out = torch.where(torch.isnan(x), 0, x).to(dtype)
    out = torch.where(x >= info.max, torch.full((), info.max, dtype=dtype, device=x.device), out)
    return torch.where(x <= info.min, torch.full((), info.min, dtype=dtype, device=x.device), out)


def normalize_axis(axis: int, ndim: int) -> int:
    if not -ndim <= axis < builtins.max(ndim, 1) and not (ndim == 0 and axis in (0, -1)):
        # numpy's AxisError is both the ValueError and the IndexError that jax.numpy functions raise for a bad axis.
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim if ndim else 0


def normalize_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """``axis`` (None, an int or a sequence) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        axes = tuple(normalize_axis(operator_index(a), ndim) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"repeated axis in {axis}")
        return tuple(sorted(axes))
    return (normalize_axis(operator_index(axis), ndim),)


def operator_index(value: Any) -> int:
    import operator

    if isinstance(value, Tensor):
        return int(value)
    return operator.index(value)


def as_tensor(value: Any, dtype: torch.dtype | None = None, device: Any = None, *, like: Tensor | None = None) -> Tensor:
    """``value`` as a tensor: tensors pass (cast to ``dtype`` when given); Python scalars, lists and NumPy arrays get
    ``dtype``, else JAX's default dtypes of the current x64 mode (a Python scalar weakly typed against ``like``)."""
    if isinstance(value, Tensor):
        return value if dtype is None else value.to(dtype)
    if dtype is not None:
        return torch.as_tensor(value, dtype=dtype, device=device)
    if like is not None and device is None:
        device = like.device
    if is_python_scalar(value):
        dtype = default_of_scalar(value) if like is None else weak_with(like.dtype, value)
        return torch.asarray(value, dtype=dtype, device=device)
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        return torch.asarray(arr, dtype=_default_for_numpy(arr.dtype), device=device)
    if isinstance(value, (list, tuple)):
        if builtins.any(isinstance(v, Tensor) for v in value):
            return torch.stack([as_tensor(v) for v in value])
        arr = np.asarray(value)
        return torch.asarray(arr, dtype=_default_for_numpy(arr.dtype), device=device)
    return torch.asarray(value, device=device)


def _default_for_traced_numpy(dtype: torch.dtype) -> torch.dtype:
    """``_default_for_numpy`` of a NumPy array dynamo traces as a tensor (its NumPy ``dtype`` is out of reach)."""
    if dtype is torch.float64:
        return DEFAULT_FLOAT
    if dtype is torch.int64:
        return DEFAULT_INT
    if dtype is torch.complex128:
        return DEFAULT_COMPLEX
    if dtype is torch.uint64:
        return torch.uint64 if DEFAULT_INT is torch.int64 else torch.uint32
    return dtype


def _default_for_numpy(dtype: np.dtype) -> torch.dtype:
    # Python lists go through NumPy, whose defaults are 64-bit: JAX's x64-off defaults are 32-bit.
    if dtype == np.float64:
        return DEFAULT_FLOAT
    if dtype == np.int64:
        return DEFAULT_INT
    if dtype == np.complex128:
        return DEFAULT_COMPLEX
    if dtype == np.uint64:  # JAX with x64 off: uint32
        return torch.uint64 if DEFAULT_INT is torch.int64 else torch.uint32
    return to_torch_dtype(dtype)


def index_result(x: Tensor) -> Tensor:
    return x.to(INDEX_DTYPE)


def promote(*values: Any) -> list[torch.Tensor]:
    """Tensors of one result dtype; Python scalars are weakly typed, as in JAX (``int32 + 1.5`` is float32)."""
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    if not tensors:
        tensors = [as_tensor(values[0])]
        values = (tensors[0],) + tuple(values[1:])
    device = tensors[0].device
    dtype = tensors[0].dtype
    if builtins.any(t.dtype is not dtype for t in tensors) or builtins.any(
        not isinstance(v, torch.Tensor) for v in values
    ):
        # JAX's lattice (torch.promote_types refuses uint16/32/64 with other dtypes and differs for uint64 + int).
        dtype = result_dtype(*(v if isinstance(v, (torch.Tensor, bool, int, float, complex)) else as_tensor(v)
                               for v in values))
    return [v.to(dtype) if isinstance(v, torch.Tensor) else as_tensor(v, dtype=dtype, device=device) for v in values]


def is_inexact(dtype: torch.dtype) -> bool:
    return dtype.is_floating_point or dtype.is_complex


def complex_of(dtype: torch.dtype) -> torch.dtype:
    if dtype.is_complex:
        return dtype
    return torch.complex128 if dtype == torch.float64 else torch.complex64


def default_fill(dtype: torch.dtype) -> Any:
    """JAX's default fill for out-of-bounds gathers: NaN, the most negative int, the largest unsigned, True."""
    if is_inexact(dtype):
        return float("nan")
    if dtype == torch.bool:
        return True
    info = torch.iinfo(dtype)
    return info.max if info.min == 0 else info.min
