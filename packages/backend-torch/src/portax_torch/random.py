"""``portax.random`` on PyTorch: core's Threefry samplers over torch ops, with the hash kernels compiled.

torch 2.13's eager ``torch.uint32`` lacks ``+``, shifts and comparisons, so 32-bit words travel as int64 masked to
32 bits (see ``portax._src.prng``). Eagerly, Threefry is 250-380x slower than ``torch.rand``; compiled it is within
about 2x, so every kernel (hash, bits, uniform, normal) runs through ``torch.compile`` also in eager code.

``PORTAX_RANDOM_COMPILE`` picks the compile backend: ``inductor`` (default), ``aot_eager`` (cheap compile, slow
run; for test suites), or ``none`` (plain eager). Draws smaller than ``PORTAX_RANDOM_COMPILE_MIN_SIZE`` elements
(default 4096: keys from ``split``/``fold_in``, scalars) run eagerly: a few hundred tiny ops cost well under a
millisecond, while compiling costs seconds. Inside another ``torch.compile`` graph (``portax.jit``) or a
``torch.func`` transform (``portax.vmap``/``grad``) kernels run as plain torch code, so the outer transform sees
ordinary ops.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from portax.backend import ThreefrySamplers
from portax.errors import CompileNoticeWarning

from portax_torch import _dtypes

_TORCH_DTYPES = {
    "bool": torch.bool, "int8": torch.int8, "int16": torch.int16, "int32": torch.int32, "int64": torch.int64,
    "uint8": torch.uint8, "uint16": torch.uint16, "uint32": torch.uint32, "uint64": torch.uint64,
    "float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32, "float64": torch.float64,
    "complex64": torch.complex64, "complex128": torch.complex128,
}  # fmt: skip
_NAMES = {v: k for k, v in _TORCH_DTYPES.items()}
# portax follows jax with x64 off on every backend: a 64-bit request samples its 32-bit kin (jax warns and does so).
_CANONICAL = {"float64": "float32", "int64": "int32", "uint64": "uint32", "complex128": "complex64"}
_INT_VIEW = {"float32": torch.int32, "float16": torch.int16, "bfloat16": torch.int16, "float64": torch.int64}


def compile_mode() -> str:
    """The compile backend for PRNG kernels, from ``PORTAX_RANDOM_COMPILE`` (inductor | aot_eager | none)."""
    mode = os.environ.get("PORTAX_RANDOM_COMPILE", "inductor").lower()
    if mode not in ("inductor", "aot_eager", "eager", "none"):
        raise ValueError(f"PORTAX_RANDOM_COMPILE={mode!r}: expected 'inductor', 'aot_eager' or 'none'")
    return mode


def _min_compile_size() -> int:
    return int(os.environ.get("PORTAX_RANDOM_COMPILE_MIN_SIZE", "4096"))


def _compile_after_seconds() -> float:
    return float(os.environ.get("PORTAX_RANDOM_COMPILE_AFTER", "2.0"))


def _announced(compiled: Callable, fn: Callable, mode: str) -> Callable:
    """``compiled``, whose first call says that it compiles (a silent multi-second stall is worse than a notice)."""
    first = True

    def run(*args: Any) -> Any:
        nonlocal first
        if first:
            first = False
            warnings.warn(
                f"portax: compiling the torch PRNG kernel {fn.__name__!r} with torch.compile({mode!r}), once per process"
                " (seconds on CPU; inductor's on-disk cache shortens later processes). PORTAX_RANDOM_COMPILE=none keeps"
                " it eager; PORTAX_RANDOM_COMPILE_AFTER sets how much eager time comes first.",
                CompileNoticeWarning,
                stacklevel=4,
            )
        return compiled(*args)

    return run


def _inside_transform() -> bool:
    if torch.compiler.is_compiling():
        return True
    return torch._C._functorch.peek_interpreter_stack() is not None


class TorchRandomOps:
    """The ops :class:`ThreefrySamplers` needs, on torch tensors (int64 words, JAX's dtype names)."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[Callable, str], Callable] = {}
        self._eager_seconds: dict[tuple[Callable, str], float] = {}

    # -- compilation ----------------------------------------------------------------------------------------

    def kernel(self, fn: Callable, size: int | None = None) -> Callable:
        """``fn`` compiled with the configured backend once compiling has paid off, else ``fn`` itself.

        Tiered like a JIT: a kernel runs eagerly (1.7 ms for 5,000 normals, 80 ms for 10**6) until the eager time
        spent in it passes ``PORTAX_RANDOM_COMPILE_AFTER`` seconds (default 2), then compiles (seconds on CPU,
        announced by a :class:`portax.errors.CompileNoticeWarning`). A program that draws a few arrays never waits
        for a compile; one that draws in a loop compiles after a bounded eager cost (the ski-rental rule).
        """
        mode = compile_mode()
        if mode in ("none", "eager") or (size is not None and size < _min_compile_size()):
            return fn
        slot = (fn, mode)
        compiled = self._compiled.get(slot)
        if compiled is None and self._eager_seconds.get(slot, 0.0) >= _compile_after_seconds():
            compiled = self._compiled[slot] = _announced(torch.compile(fn, backend=mode, dynamic=True, fullgraph=True), fn, mode)
        if compiled is not None:
            return lambda *args: fn(*args) if _inside_transform() else compiled(*args)

        def eager(*args: Any) -> Any:
            if _inside_transform():
                return fn(*args)
            start = time.perf_counter()
            out = fn(*args)
            self._eager_seconds[slot] = self._eager_seconds.get(slot, 0.0) + time.perf_counter() - start
            return out

        return eager

    # -- keys and words -------------------------------------------------------------------------------------

    @staticmethod
    def is_key(key: Any) -> bool:
        return isinstance(key, torch.Tensor) and key.dtype == torch.uint32 and tuple(key.shape) == (2,)

    @staticmethod
    def key_to_int64(key: Any) -> Any:
        return key.to(torch.int64)

    @staticmethod
    def key_from_words(high: int, low: int) -> Any:
        return torch.tensor([high, low], dtype=torch.int64).to(torch.uint32)

    def seed_key(self, seed: Any) -> Any:
        if seed.ndim:
            raise TypeError(f"PRNG key seed must be a scalar; got shape {tuple(seed.shape)}")
        low = seed.to(torch.int64) & 0xFFFFFFFF
        return torch.stack([low * 0, low]).to(torch.uint32)

    #: hash int32 bit patterns (wraparound add) instead of masked int64: ~1.5x faster compiled, same bits
    int32_words = True

    @staticmethod
    def to_int32_word(words: Any) -> Any:
        return (words - ((words >> 31) << 32)).to(torch.int32)  # [0, 2**32) -> same bits as int32

    @staticmethod
    def from_int32_word(words: Any) -> Any:
        return words.to(torch.int64) & 0xFFFFFFFF

    @staticmethod
    def iota(size: int, shape: tuple[int, ...]) -> Any:
        return torch.arange(size, dtype=torch.int64).reshape(shape)

    @staticmethod
    def to_uint32(words: Any) -> Any:
        return words.to(torch.uint32)

    @staticmethod
    def to_unsigned(words: Any, dtype: str) -> Any:
        return words.to(_TORCH_DTYPES[dtype])

    @staticmethod
    def bitcast_float(bits: Any, dtype: str) -> Any:
        return bits.to(_INT_VIEW[dtype]).view(_TORCH_DTYPES[dtype])

    # -- dtypes and construction ----------------------------------------------------------------------------

    @staticmethod
    def dtype_name(dtype: Any, default: str) -> str:
        if dtype is None:
            name = default
        elif dtype is float:
            name = "float64" if _dtypes.x64_enabled() else "float32"
        elif dtype is int:
            name = "int64" if _dtypes.x64_enabled() else "int32"
        elif dtype is bool:
            name = "bool"
        elif isinstance(dtype, torch.dtype):
            name = _NAMES[dtype]
        elif isinstance(dtype, str) and dtype in _TORCH_DTYPES:
            name = dtype
        else:
            name = np.dtype(dtype).name
        return name if _dtypes.x64_enabled() else _CANONICAL.get(name, name)

    @staticmethod
    def float_name(x: Any) -> str:
        if isinstance(x, torch.Tensor) and x.is_floating_point():
            name = _NAMES[x.dtype]
        elif isinstance(x, np.ndarray) and x.dtype.kind == "f":
            name = x.dtype.name
        else:
            return "float64" if _dtypes.x64_enabled() else "float32"
        return name if _dtypes.x64_enabled() else _CANONICAL.get(name, name)

    @staticmethod
    def dtype_of(x: Any) -> str:
        return _NAMES[x.dtype]

    dtype_name_of = dtype_of

    def asarray(self, x: Any, dtype: str | None) -> Any:
        if isinstance(x, torch.Tensor):
            return x if dtype is None else x.to(_TORCH_DTYPES[dtype])
        if dtype is None:
            array = np.asarray(x)
            name = _CANONICAL.get(array.dtype.name, array.dtype.name)
            return torch.as_tensor(array.astype(name))
        return torch.as_tensor(np.asarray(x, dtype=np.dtype(dtype) if dtype != "bfloat16" else np.float32),
                               dtype=_TORCH_DTYPES[dtype])  # fmt: skip

    @staticmethod
    def zeros(shape: tuple[int, ...], dtype: str) -> Any:
        return torch.zeros(shape, dtype=_TORCH_DTYPES[dtype])

    @staticmethod
    def full(shape: tuple[int, ...], value: float, dtype: str) -> Any:
        return torch.full(shape, value, dtype=_TORCH_DTYPES[dtype])

    @staticmethod
    def arange(n: int, dtype: str) -> Any:
        return torch.arange(n, dtype=_TORCH_DTYPES[dtype])

    @staticmethod
    def astype(x: Any, dtype: str) -> Any:
        return x.to(_TORCH_DTYPES[dtype])

    # -- shapes ---------------------------------------------------------------------------------------------

    @staticmethod
    def shape(x: Any) -> tuple[int, ...]:
        return tuple(x.shape)

    @staticmethod
    def ndim(x: Any) -> int:
        return x.ndim if hasattr(x, "ndim") else np.ndim(x)

    @staticmethod
    def size(x: Any) -> int:
        return x.numel()

    @staticmethod
    def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(torch.broadcast_shapes(*shapes))

    @staticmethod
    def broadcast_to(x: Any, shape: tuple[int, ...]) -> Any:
        return torch.broadcast_to(x, shape)

    @staticmethod
    def broadcast_to_rank(x: Any, rank: int) -> Any:
        return x.reshape((1,) * (rank - x.ndim) + tuple(x.shape)) if x.ndim < rank else x

    @staticmethod
    def reshape(x: Any, shape: tuple[int, ...]) -> Any:
        return x.reshape(shape)

    @staticmethod
    def stack(xs: Any, axis: int) -> Any:
        return torch.stack(list(xs), axis)

    @staticmethod
    def moveaxis(x: Any, source: int, destination: int) -> Any:
        return torch.movedim(x, source, destination)

    @staticmethod
    def swapaxes(x: Any, a: int, b: int) -> Any:
        return x.transpose(a, b)

    @staticmethod
    def expand_dims(x: Any, axis: int) -> Any:
        return x.unsqueeze(axis)

    @staticmethod
    def narrow(x: Any, axis: int, n: int) -> Any:
        return x.narrow(axis, 0, n)

    @staticmethod
    def diagonal(x: Any) -> Any:
        return torch.diagonal(x, dim1=-2, dim2=-1)

    # -- elementwise ----------------------------------------------------------------------------------------

    @staticmethod
    def maximum(x: Any, y: Any) -> Any:
        return torch.clamp_min(y, x) if isinstance(x, float) else torch.maximum(x, y)

    where = staticmethod(torch.where)
    log = staticmethod(torch.log)
    log1p = staticmethod(torch.log1p)
    exp = staticmethod(torch.exp)
    sqrt = staticmethod(torch.sqrt)
    tan = staticmethod(torch.tan)
    sign = staticmethod(torch.sign)
    abs = staticmethod(torch.abs)
    erf = staticmethod(torch.erf)
    erfinv = staticmethod(torch.erfinv)
    floor = staticmethod(torch.floor)
    ceil = staticmethod(torch.ceil)
    pow = staticmethod(torch.pow)
    isinf = staticmethod(torch.isinf)
    lgamma = staticmethod(torch.lgamma)
    isnan = staticmethod(torch.isnan)
    any = staticmethod(torch.any)
    cumsum = staticmethod(lambda x, axis=0: torch.cumsum(x, axis))

    @staticmethod
    def sum(x: Any, axis: int) -> Any:
        return torch.sum(x, axis)

    @staticmethod
    def flip(x: Any, axis: int) -> Any:
        return torch.flip(x, (axis,))
    complex = staticmethod(torch.complex)

    @staticmethod
    def clip(x: Any, lo: Any, hi: Any) -> Any:
        return torch.clamp(x, lo, hi)

    @staticmethod
    def nextafter(x: Any, direction: float) -> Any:
        return torch.nextafter(x, torch.full_like(x, direction))

    # -- reductions, sorting, linear algebra ----------------------------------------------------------------

    @staticmethod
    def argmax(x: Any, axis: int) -> Any:
        return torch.argmax(x, axis).to(torch.int32)

    @staticmethod
    def sort_key_val(keys: Any, values: Any, axis: int) -> Any:
        # jax's lax.sort_key_val; stable so ties (rare 32-bit collisions) keep XLA's CPU order
        order = torch.sort(keys, dim=axis, stable=True).indices
        return torch.take_along_dim(values, order, axis)

    @staticmethod
    def take(x: Any, indices: Any, axis: int) -> Any:
        taken = torch.movedim(x, axis, 0)[indices.to(torch.int64)]
        return torch.movedim(taken, list(range(indices.ndim)), list(range(axis, axis + indices.ndim)))

    @staticmethod
    def searchsorted(sorted_values: Any, values: Any) -> Any:
        return torch.searchsorted(sorted_values, values, side="left")

    @staticmethod
    def top_k_indices(x: Any, k: int) -> Any:
        return torch.topk(x, k, dim=-1).indices

    @staticmethod
    def softmax(x: Any, axis: int) -> Any:
        return torch.softmax(x, axis)

    @staticmethod
    def einsum(spec: str, *operands: Any) -> Any:
        return torch.einsum(spec, *operands)

    @staticmethod
    def qr(x: Any) -> Any:
        return torch.linalg.qr(x)

    @staticmethod
    def covariance_factor(cov: Any, method: str) -> Any:
        if method == "svd":
            u, s, _ = torch.linalg.svd(cov)
            return u * torch.sqrt(s[..., None, :])
        if method == "eigh":
            w, v = torch.linalg.eigh(cov)
            return v * torch.sqrt(w[..., None, :])
        return torch.linalg.cholesky(cov)


class TorchSamplers(ThreefrySamplers):
    """:class:`ThreefrySamplers` on torch, plus the key checks ``portax.random`` asks every backend for."""

    def is_key(self, key: Any) -> bool:
        return self.ops.is_key(key)

    def dtype_name(self, dtype: Any, default: str) -> str:
        return self.ops.dtype_name(dtype, default)


SAMPLERS = TorchSamplers(TorchRandomOps())
del math
