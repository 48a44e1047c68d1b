"""jax.random's samplers written once over a small backend "random ops" namespace.

A backend without a bit-identical native ``jax.random`` (torch, third-party plugins) provides an ops object (see
``portax_torch.random.TorchRandomOps``) and gets every sampler from :class:`ThreefrySamplers`. Each sampler follows
the formula of the same-named private function in ``jax/_src/random/core.py`` (jax 0.10.2), so the bits are the
same; the docstring of each says which.

Internal convention: 32-bit words travel as int64 arrays holding values in ``[0, 2**32)`` (see ``prng.py``).
Keys at the API boundary are the backend's uint32 arrays of shape ``(2,)``. ``ops.kernel(fn)`` returns ``fn``
compiled for the backend (cached; ``ops.kernel(fn, size)`` may skip compiling for small draws); kernels are
module-level functions taking ``ops`` first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from portax._src import prng
from portax._src.errors import UnsupportedError

_FLOAT_BITS = {"float16": (16, 10), "bfloat16": (16, 7), "float32": (32, 23), "float64": (64, 52)}
_ONE_BITS = {"float16": 0x3C00, "bfloat16": 0x3F80, "float32": 0x3F800000, "float64": 0x3FF0000000000000}
_INT_BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64, "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64}


def _finfo(name: str) -> Any:
    if name == "bfloat16":
        import ml_dtypes  # a numpy dependency of jax; only needed for bfloat16 constants

        return ml_dtypes.finfo(ml_dtypes.bfloat16)
    return np.finfo(np.dtype(name))


# -- kernels (compiled per backend by ops.kernel) ----------------------------------------------------------------


def kernel_hash_words(ops: Any, key: Any, shape: tuple[int, ...]) -> tuple[Any, Any]:
    """Both Threefry output words for the partitionable counters of ``shape`` (jax ``iota_2x32_shape``), in the
    backend's word representation: int64 in ``[0, 2**32)``, or int32 bit patterns where ``ops.int32_words``.

    Kernels take the key as int64 words (``ops.key_to_int64``, done outside the kernel: inductor does not vectorize
    a loop that loads uint32, which made every sampler ~8x slower).
    """
    k0, k1 = key[0], key[1]
    flat = ops.iota(math.prod(shape), shape)
    if getattr(ops, "int32_words", False):
        return prng.threefry2x32(ops.to_int32_word(k0), ops.to_int32_word(k1), ops.to_int32_word(flat >> 32),
                                 ops.to_int32_word(flat & prng.MASK32), int32_words=True)  # fmt: skip
    return prng.threefry2x32(k0, k1, flat >> 32, flat & prng.MASK32)


def kernel_hash(ops: Any, key: Any, shape: tuple[int, ...]) -> tuple[Any, Any]:
    """:func:`kernel_hash_words` as int64 words in ``[0, 2**32)`` (what unsigned arithmetic and sorting need)."""
    hi, lo = kernel_hash_words(ops, key, shape)
    if getattr(ops, "int32_words", False):
        return ops.from_int32_word(hi), ops.from_int32_word(lo)
    return hi, lo


def kernel_bits(ops: Any, key: Any, shape: tuple[int, ...], width: int) -> Any:
    """jax ``_threefry_random_bits_partitionable``: words (int64; 64-bit as int64 bit pattern) of ``width`` bits."""
    hi, lo = kernel_hash(ops, key, shape)
    if width == 64:
        return (hi << 32) | lo
    bits = hi ^ lo
    return bits if width == 32 else bits & ((1 << width) - 1)


def kernel_split(ops: Any, key: Any, shape: tuple[int, ...]) -> Any:
    """jax ``_threefry_split_foldlike``: key ``i`` is the hash of counter ``i``."""
    hi, lo = kernel_hash(ops, key, shape)
    return ops.to_uint32(ops.stack([hi, lo], -1))


def kernel_fold_in(ops: Any, key: Any, data: Any) -> Any:
    """jax ``_threefry_fold_in``: the hash of counter ``(0, uint32(data))``."""
    k0, k1 = key[0], key[1]
    hi, lo = prng.threefry2x32(k0, k1, data * 0, data & prng.MASK32)
    return ops.to_uint32(ops.stack([hi, lo], -1))


def kernel_unit_uniform(ops: Any, key: Any, shape: tuple[int, ...], dtype: str) -> Any:
    """jax ``_uniform`` before scaling: ``bitcast(mantissa | bits(1.0)) - 1``, which is exactly ``mantissa * 2**-nmant``.

    The product form avoids a bitcast (which kept inductor from fusing the kernel) and gives the same floats:
    ``1 + m * 2**-nmant`` is exact, and so is subtracting 1.
    """
    nbits, nmant = _FLOAT_BITS[dtype]
    rng_bits = 8 if nmant < 8 else nbits  # jax draws 8 bits for bfloat16 (nmant 7), then widens them
    if rng_bits == 64:
        bits = kernel_bits(ops, key, shape, rng_bits)
    else:
        # shift-and-mask is the same on int64 words and on int32 bit patterns: no widening needed (2x vector width)
        hi, lo = kernel_hash_words(ops, key, shape)
        bits = (hi ^ lo) & ((1 << rng_bits) - 1) if rng_bits < 32 else hi ^ lo
    mantissa = (bits >> (rng_bits - nmant)) & ((1 << nmant) - 1)
    return ops.astype(mantissa, dtype) * (2.0**-nmant)


def kernel_uniform(ops: Any, key: Any, shape: tuple[int, ...], dtype: str, minval: Any, maxval: Any) -> Any:
    """jax ``_uniform``: ``max(minval, floats * (maxval - minval) + minval)`` in ``dtype``."""
    floats = kernel_unit_uniform(ops, key, shape, dtype)
    return ops.maximum(minval, floats * (maxval - minval) + minval)


def erfinv(ops: Any, x: Any) -> Any:
    """XLA's float32 ``ErfInv`` (Giles' polynomial), which ``lax.erf_inv`` uses; torch.erfinv differs by ~60 ulp."""
    w = -ops.log1p(-x * x)
    small = w < 5.0
    w = ops.where(small, w - 2.5, ops.sqrt(w) - 3.0)
    p = ops.where(small, prng.ERFINV_SMALL[0], prng.ERFINV_LARGE[0])
    for c_small, c_large in zip(prng.ERFINV_SMALL[1:], prng.ERFINV_LARGE[1:], strict=True):
        p = ops.where(small, c_small, c_large) + p * w
    return ops.where(ops.abs(x) == 1.0, x * math.inf, p * x)


def kernel_normal(ops: Any, key: Any, shape: tuple[int, ...], dtype: str) -> Any:
    """jax ``_normal_real``: ``sqrt(2) * erf_inv(uniform(nextafter(-1, 0), 1))``."""
    np_dtype = np.float32 if dtype == "bfloat16" else np.dtype(dtype).type
    lo = np.nextafter(np_dtype(-1.0), np_dtype(0.0))
    scale = float(np_dtype(1.0) - lo)  # (maxval - minval) rounded in dtype, as jax computes it
    u = ops.maximum(float(lo), kernel_unit_uniform(ops, key, shape, dtype) * scale + float(lo))
    sqrt2 = float(np_dtype(math.sqrt(2.0)))
    return (erfinv(ops, u) if dtype == "float32" else ops.erfinv(u)) * sqrt2


def _backend_name(ops: Any) -> str:
    """The backend a random-ops object belongs to (``portax_torch.random`` -> ``"torch"``), for error messages."""
    return type(ops).__module__.partition(".")[0].removeprefix("portax_")


class ThreefrySamplers:
    """jax.random's API over a backend's random ops (keys: uint32 arrays of shape ``(2,)``)."""

    def __init__(self, ops: Any) -> None:
        self.ops = ops

    # -- keys -------------------------------------------------------------------------------------------------

    def PRNGKey(self, seed: Any) -> Any:  # noqa: N802 (jax's name)
        if hasattr(seed, "shape") and not isinstance(seed, (int, np.integer)):
            return self.ops.seed_key(seed)
        return self.ops.key_from_words(*prng.seed_words(seed))

    def split(self, key: Any, num: int | Sequence[int] = 2) -> Any:
        shape = tuple(num) if isinstance(num, Sequence) else (int(num),)
        return self.ops.kernel(kernel_split, math.prod(shape))(self.ops, self.ops.key_to_int64(key), shape)

    def fold_in(self, key: Any, data: Any) -> Any:
        return self.ops.kernel(kernel_fold_in, 1)(self.ops, self.ops.key_to_int64(key), self.ops.asarray(data, "int64"))

    # -- bits and floats --------------------------------------------------------------------------------------

    def _bits(self, key: Any, width: int, shape: tuple[int, ...]) -> Any:
        return self.ops.kernel(kernel_bits, math.prod(shape))(self.ops, self.ops.key_to_int64(key), shape, width)

    def bits(self, key: Any, shape: tuple[int, ...], dtype: str) -> Any:
        words = self._bits(key, _INT_BITS[dtype], shape)
        return self.ops.to_unsigned(words, dtype)

    def uniform(self, key: Any, shape: tuple[int, ...], dtype: str, minval: Any, maxval: Any) -> Any:
        ops = self.ops
        if _is_python_value(minval, 0) and _is_python_value(maxval, 1):
            # max(0, f * 1 + 0) == f exactly, so skip the scaling (and its extra kernel arguments)
            return ops.kernel(kernel_unit_uniform, math.prod(shape))(ops, ops.key_to_int64(key), shape, dtype)
        minval = ops.broadcast_to_rank(ops.asarray(minval, dtype), len(shape))
        maxval = ops.broadcast_to_rank(ops.asarray(maxval, dtype), len(shape))
        return ops.kernel(kernel_uniform, math.prod(shape))(ops, ops.key_to_int64(key), shape, dtype, minval, maxval)

    def normal(self, key: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        if dtype.startswith("complex"):
            real = "float32" if dtype == "complex64" else "float64"
            key_re, key_im = self.split(key)
            re = ops.kernel(kernel_normal, math.prod(shape))(ops, ops.key_to_int64(key_re), shape, real)
            im = ops.kernel(kernel_normal, math.prod(shape))(ops, ops.key_to_int64(key_im), shape, real)
            return ops.complex(re, im) / ops.asarray(math.sqrt(2.0), real)
        return ops.kernel(kernel_normal, math.prod(shape))(ops, ops.key_to_int64(key), shape, dtype)

    def truncated_normal(self, key: Any, lower: Any, upper: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        ops = self.ops
        lower, upper = ops.asarray(lower, dtype), ops.asarray(upper, dtype)
        if shape is None:
            shape = ops.broadcast_shapes(ops.shape(lower), ops.shape(upper))
        sqrt2 = ops.asarray(math.sqrt(2.0), dtype)
        a, b = ops.erf(lower / sqrt2), ops.erf(upper / sqrt2)
        u = self.uniform(key, shape, dtype, a, b)
        out = sqrt2 * (erfinv(ops, u) if dtype == "float32" else ops.erfinv(u))
        return ops.clip(out, ops.nextafter(lower, math.inf), ops.nextafter(upper, -math.inf))

    def bernoulli(self, key: Any, p: Any, shape: tuple[int, ...] | None, mode: str) -> Any:
        ops = self.ops
        p = ops.asarray(p, ops.float_name(p))
        dtype = ops.float_name(p)
        if shape is None:
            shape = ops.shape(p)
        if mode == "high":
            u = self.uniform(key, (2, *shape), dtype, 0, 1)
            u1, u2 = u[0], u[1] * (2.0 ** -_FLOAT_BITS[dtype][1])
            return u2 < p - u1
        return self.uniform(key, shape, dtype, 0, 1) < p

    def exponential(self, key: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        return -ops.log1p(-self.uniform(key, shape, dtype, 0, 1))

    def gumbel(self, key: Any, shape: tuple[int, ...], dtype: str, mode: str) -> Any:
        ops = self.ops
        info = _finfo(dtype)
        if mode in ("high", "highest"):
            u = self.uniform(key, (2, *shape), dtype, 0, 1)
            high, low = u[0], u[1]
            x = ops.where(high >= 0.5, high, high + (2.0 ** -int(info.nmant)) * low + float(info.tiny))
            return -ops.log(-ops.log1p(-x))
        return -ops.log(-ops.log(self.uniform(key, shape, dtype, float(info.tiny), 1.0)))

    def laplace(self, key: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        u = self.uniform(key, shape, dtype, -1.0 + float(_finfo(dtype).epsneg), 1.0)
        return ops.sign(u) * ops.log1p(-ops.abs(u))

    def logistic(self, key: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        x = self.uniform(key, shape, dtype, float(_finfo(dtype).tiny), 1.0)
        return ops.log(x) - ops.log1p(-x)

    def cauchy(self, key: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        u = self.uniform(key, shape, dtype, float(_finfo(dtype).eps), 1.0)
        return ops.tan(ops.asarray(math.pi, dtype) * (u - 0.5))

    def rademacher(self, key: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        b = ops.astype(self.bernoulli(key, 0.5, shape, "low"), dtype)
        return ops.astype(2 * b - 1, dtype)

    # -- integers and shuffles ---------------------------------------------------------------------------------

    def randint(self, key: Any, shape: tuple[int, ...], minval: Any, maxval: Any, dtype: str) -> Any:
        """jax ``randint``/``_randint``: two 32-bit draws combined modulo the span (sub-32-bit dtypes via int32)."""
        ops = self.ops
        nbits = _INT_BITS[dtype]
        sample_dtype = dtype if nbits >= 32 else "int32"
        info = np.iinfo(np.dtype(dtype))
        lo_clip, hi_clip = int(np.iinfo(np.dtype(sample_dtype)).min), int(np.iinfo(np.dtype(sample_dtype)).max)
        minval, maxval = ops.asarray(minval, "int64"), ops.asarray(maxval, "int64")
        if nbits < 32:
            minval = ops.clip(minval, int(info.min), int(info.max))
            maxval = ops.clip(maxval, int(info.min), int(info.max) + 1)
        maxval_out_of_range = maxval > hi_clip
        minval = ops.clip(minval, lo_clip, hi_clip)
        maxval = ops.clip(maxval, lo_clip, hi_clip)
        minval = ops.broadcast_to_rank(minval, len(shape))
        maxval = ops.broadcast_to_rank(maxval, len(shape))
        sample_bits = _INT_BITS[sample_dtype]
        if sample_bits != 32:
            raise UnsupportedError(
                _backend_name(self.ops),
                f"portax.random.randint with dtype {dtype} (64-bit draws)",
                "draw int32 values (the default) or run this call on the jax backend",
            )
        key_high, key_low = self.split(key)
        higher_bits, lower_bits = self._bits(key_high, 32, shape), self._bits(key_low, 32, shape)
        span = (maxval - minval) & prng.MASK32
        span = ops.where(maxval <= minval, 1, span)
        span = ops.where(maxval_out_of_range & (maxval > minval), (span + 1) & prng.MASK32, span)
        multiplier = (2**16) % span
        multiplier = ((multiplier * multiplier) & prng.MASK32) % span
        offset = (((higher_bits % span) * multiplier) & prng.MASK32) + (lower_bits % span)
        offset = (offset & prng.MASK32) % span
        result = minval + offset  # int32 wraparound of jax's lax.add, computed in int64
        result = ((result - lo_clip) & prng.MASK32) + lo_clip if dtype.startswith("int") else result
        return ops.astype(ops.broadcast_to(result, shape), dtype)

    def _shuffle(self, key: Any, x: Any, axis: int) -> Any:
        ops = self.ops
        for _ in range(prng.shuffle_rounds(ops.size(x))):
            key, subkey = self.split(key)
            sort_keys = self._bits(subkey, 32, ops.shape(x))
            x = ops.sort_key_val(sort_keys, x, axis)
        return x

    def permutation(self, key: Any, x: Any, axis: int, independent: bool) -> Any:
        ops = self.ops
        if isinstance(x, (int, np.integer)) or (hasattr(x, "shape") and ops.ndim(x) == 0):
            return self._shuffle(key, ops.arange(int(x), "int32"), 0)
        x = ops.asarray(x, None)
        if independent or ops.ndim(x) == 1:
            return self._shuffle(key, x, axis)
        indices = self._shuffle(key, ops.arange(ops.shape(x)[axis], "int32"), 0)
        return ops.take(x, indices, axis)

    def choice(self, key: Any, a: Any, shape: tuple[int, ...], replace: bool, p: Any, axis: int, mode: str) -> Any:
        ops = self.ops
        scalar = isinstance(a, (int, np.integer)) or ops.ndim(a) == 0
        arr = ops.asarray(a, None)
        n_inputs = int(a) if scalar else ops.shape(arr)[axis]
        n_draws = math.prod(shape)
        if n_draws == 0:
            return ops.zeros(shape, ops.dtype_name(arr))
        if n_inputs <= 0:
            raise ValueError("a must be greater than 0 unless no samples are taken")
        if not replace and n_draws > n_inputs:
            raise ValueError(
                f"Cannot take a larger sample (size {n_draws}) than population (size {n_inputs}) when 'replace=False'"
            )
        if p is None:
            if replace:
                ind = self.randint(key, shape, 0, n_inputs, "int32")
                result = ind if scalar else ops.take(arr, ind, axis)
            else:
                permuted = self.permutation(key, n_inputs if scalar else arr, axis, False)
                result = ops.narrow(permuted, axis if not scalar else 0, n_draws)
        else:
            p_arr = ops.asarray(p, ops.float_name(p))
            if ops.shape(p_arr) != (n_inputs,):
                raise ValueError(
                    "p must be None or a 1D vector with the same size as a.shape[axis]. "
                    f"p has shape {ops.shape(p_arr)} and a.shape[axis] is {n_inputs}."
                )
            dtype = ops.float_name(p_arr)
            if replace:
                p_cuml = ops.cumsum(p_arr)
                r = p_cuml[-1] * (1 - self.uniform(key, shape, dtype, 0, 1))
                ind = ops.astype(ops.searchsorted(p_cuml, r), "int32")
            else:
                g = self.gumbel(key, (n_inputs,), dtype, mode) + ops.log(p_arr)
                ind = ops.astype(ops.top_k_indices(g, n_draws), "int32")
            result = ind if scalar else ops.take(arr, ind, axis)
        arr_shape = ops.shape(arr)
        return ops.reshape(result, shape if scalar else arr_shape[:axis] + tuple(shape) + arr_shape[axis + 1 :])

    def categorical(self, key: Any, logits: Any, axis: int, shape: tuple[int, ...] | None, replace: bool,
                    mode: str) -> Any:  # fmt: skip
        ops = self.ops
        logits = ops.asarray(logits, ops.float_name(logits))
        dtype = ops.float_name(logits)
        ndim = ops.ndim(logits)
        axis = axis % ndim if axis < 0 or axis < ndim else axis
        batch_shape = tuple(d for i, d in enumerate(ops.shape(logits)) if i != axis)
        if shape is None:
            shape = batch_shape
        shape_prefix = shape[: len(shape) - len(batch_shape)]
        if replace:
            logits_shape = list(shape[len(shape) - len(batch_shape) :])
            logits_shape.insert(axis, ops.shape(logits)[axis])
            g = self.gumbel(key, (*shape_prefix, *logits_shape), dtype, mode)
            expanded = ops.reshape(logits, (1,) * len(shape_prefix) + ops.shape(logits))
            return ops.argmax(g + expanded, axis + len(shape_prefix))
        logits = logits + self.gumbel(key, ops.shape(logits), dtype, mode)
        k = math.prod(shape_prefix)
        if k > ops.shape(logits)[axis]:
            raise ValueError(
                f"Number of samples without replacement ({k}) cannot exceed number of categories "
                f"({ops.shape(logits)[axis]})."
            )
        indices = ops.top_k_indices(ops.moveaxis(logits, axis, -1), k)  # batch_shape + (k,)
        indices = ops.moveaxis(indices, -1, 0)
        return ops.reshape(indices, shape)

    # -- loops: gamma, beta, dirichlet, poisson, binomial ------------------------------------------------------
    #
    # jax runs these as ``lax.while_loop``s (gamma: ``vmap(_gamma_one)`` over one key per element). They are
    # written here as vectorized ``portax.lax.while_loop``s over 32-bit key words, so they run eagerly, under
    # ``jit`` (torch's while_loop operator) and under ``vmap`` (batched predicate: finished lanes are frozen, which
    # is also what jax's batched while_loop does, so every lane gets the same values as jax's).

    def _gamma_lanes(self, k0: Any, k1: Any, alpha: Any, dtype: str, log_space: bool) -> Any:
        """jax ``_gamma_one`` (Marsaglia-Tsang, jax's key schedule) for every lane of keys ``(k0, k1)`` at once."""
        from portax._src.lax_control import while_loop

        ops = self.ops
        const = lambda v: ops.asarray(v, dtype)  # noqa: E731
        zero, one = const(0.0), const(1.0)
        boost = alpha >= one
        alpha_boosted = ops.where(boost, alpha, alpha + one)
        d = alpha_boosted - const(1.0 / 3.0)
        c = const(1.0 / 3.0) / ops.sqrt(d)

        def rejected(x_sq: Any, v_cubed: Any, u: Any) -> Any:
            # jax's _cond_fn squares X = x**2 again in the squeeze test (kept: the same values need the same test)
            squeeze = u >= one - const(0.0331) * (x_sq * x_sq)
            return squeeze & (ops.log(u) >= x_sq * const(0.5) + d * ((one - v_cubed) + ops.log(v_cubed)))

        def next_normal(state: tuple) -> tuple:
            a0, a1, x, v = state
            active = v <= zero
            (b0, b1), (s0, s1) = _lane_split(ops, a0, a1, 2)
            x_new = kernel_normal(ops, (s0, s1), (), dtype)
            v_new = one + x_new * c
            return (ops.where(active, b0, a0), ops.where(active, b1, a1), ops.where(active, x_new, x),
                    ops.where(active, v_new, v))  # fmt: skip

        def body(state: tuple) -> tuple:
            a0, a1, x_sq, v_cubed, u = state
            active = rejected(x_sq, v_cubed, u)
            (n0, n1), (x0, x1), (u0, u1) = _lane_split(ops, a0, a1, 3)
            init_v = ops.where(active, -one, one)  # lanes already accepted skip the inner loop
            _, _, x, v = while_loop(lambda s: ops.any(s[3] <= zero), next_normal, (x0, x1, zero * init_v, init_v))
            u_new = kernel_unit_uniform(ops, (u0, u1), (), dtype)
            new = (n0, n1, x * x, v * v * v, u_new)
            return tuple(ops.where(active, n, o) for n, o in zip(new, state, strict=True))

        (a0, a1), (s0, s1) = _lane_split(ops, k0, k1, 2)
        init = (a0, a1, zero * alpha, one + zero * alpha, const(2.0) + zero * alpha)
        _, _, _, v_cubed, _ = while_loop(lambda s: ops.any(rejected(*s[2:])), body, init)
        u = kernel_unit_uniform(ops, (s0, s1), (), dtype)
        if log_space:
            log_samples = ops.log1p(-u)  # jax: -exponential(subkey) = -(-log1p(-u))
            log_boost = ops.where(boost | (log_samples == zero), zero, log_samples * (one / alpha))
            return (ops.log(d) + ops.log(v_cubed)) + log_boost
        boost_factor = ops.where(boost, one, ops.pow(one - u, one / alpha))
        return (d * v_cubed) * boost_factor

    def gamma(self, key: Any, a: Any, shape: tuple[int, ...] | None, dtype: str, log_space: bool = False) -> Any:
        ops = self.ops
        a = ops.asarray(a, dtype)
        if shape is None:
            shape = ops.shape(a)
        a = ops.broadcast_to(a, shape)
        n = math.prod(shape)
        if not n:
            return ops.zeros(shape, dtype)
        keys = ops.key_to_int64(self.split(key, n))
        samples = self._gamma_lanes(keys[:, 0], keys[:, 1], ops.reshape(a, (n,)), dtype, log_space)
        return ops.reshape(samples, shape)

    def loggamma(self, key: Any, a: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        return self.gamma(key, a, shape, dtype, log_space=True)

    def beta(self, key: Any, a: Any, b: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        ops = self.ops
        a, b = ops.asarray(a, dtype), ops.asarray(b, dtype)
        if shape is None:
            shape = ops.broadcast_shapes(ops.shape(a), ops.shape(b))
        key_a, key_b = self.split(key)
        log_a = self.gamma(key_a, ops.broadcast_to(a, shape), shape, dtype, True)
        log_b = self.gamma(key_b, ops.broadcast_to(b, shape), shape, dtype, True)
        log_max = ops.maximum(log_a, log_b)
        ga, gb = ops.exp(log_a - log_max), ops.exp(log_b - log_max)
        return ga / (ga + gb)

    def dirichlet(self, key: Any, alpha: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        ops = self.ops
        alpha = ops.asarray(alpha, dtype)
        if ops.ndim(alpha) < 1:
            raise ValueError(f"dirichlet requires alpha.ndim >= 1, got alpha.ndim == {ops.ndim(alpha)}")
        if shape is None:
            shape = ops.shape(alpha)[:-1]
        full = tuple(shape) + ops.shape(alpha)[-1:]
        log_gamma = self.gamma(key, ops.broadcast_to(alpha, full), full, dtype, True)
        return ops.softmax(log_gamma, -1)

    def poisson(self, key: Any, lam: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        """jax ``_poisson``: Knuth for lam < 10, transformed rejection (Hormann) otherwise."""
        from portax._src.lax_control import while_loop

        ops = self.ops
        lam = ops.asarray(lam, "float32")
        if shape is None:
            shape = ops.shape(lam)
        lam = ops.broadcast_to(lam, shape)
        use_knuth = ops.isnan(lam) | (lam < 10)
        lam_knuth = ops.where(use_knuth, lam, 0.0)
        lam_rejection = ops.where(use_knuth, 1e5, lam)
        words = ops.key_to_int64(key)

        def knuth_body(state: tuple) -> tuple:
            k, k0, k1, log_prod = state
            (r0, r1), (s0, s1) = _lane_split(ops, k0, k1, 2)
            k = ops.where(log_prod > -lam_knuth, k + 1, k)
            u = kernel_unit_uniform(ops, (s0, s1), shape, "float32")
            return k, r0, r1, log_prod + ops.log(u)

        knuth_init = (ops.zeros(shape, dtype), words[0], words[1], ops.zeros(shape, "float32"))
        k = while_loop(lambda s: ops.any(s[3] > -lam_knuth), knuth_body, knuth_init)[0]
        knuth = ops.astype(k - 1, dtype)

        log_lam = ops.log(lam_rejection)
        b = 0.931 + 2.53 * ops.sqrt(lam_rejection)
        a = -0.059 + 0.02483 * b
        inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
        v_r = 0.9277 - 3.6224 / (b - 2)

        def rejection_body(state: tuple) -> tuple:
            k_out, accepted, k0, k1 = state
            (r0, r1), (s0, s1), (t0, t1) = _lane_split(ops, k0, k1, 3)
            u = kernel_unit_uniform(ops, (s0, s1), shape, "float32") - 0.5
            v = kernel_unit_uniform(ops, (t0, t1), shape, "float32")
            u_shifted = 0.5 - ops.abs(u)
            kk = ops.floor((2 * a / u_shifted + b) * u + lam_rejection + 0.43)
            s = ops.log(v * inv_alpha / (a / (u_shifted * u_shifted) + b))
            t = -lam_rejection + kk * log_lam - ops.lgamma(kk + 1)
            accept1 = (u_shifted >= 0.07) & (v <= v_r)
            reject = (kk < 0) | ((u_shifted < 0.013) & (v > u_shifted))
            accept = accept1 | (~reject & (s <= t))
            return ops.where(accept, kk, k_out), accepted | accept, r0, r1

        rejection_init = (ops.full(shape, -1.0, "float32"), ops.zeros(shape, "bool"), words[0], words[1])
        k_out = while_loop(lambda s: ops.any(~s[1]), rejection_body, rejection_init)[0]
        result = ops.where(use_knuth, knuth, ops.astype(k_out, dtype))
        return ops.where(lam == 0, ops.zeros(shape, dtype), result)

    def binomial(self, key: Any, n: Any, p: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        """jax ``_binomial``: inversion for ``n * min(p, 1 - p) <= 10``, BTRS (Hormann) otherwise."""
        from portax._src.lax_control import while_loop

        ops = self.ops
        prob = ops.asarray(p, ops.float_name(p))
        fdtype = ops.float_name(prob)
        count = ops.asarray(n, fdtype)
        if shape is None:
            shape = ops.broadcast_shapes(ops.shape(count), ops.shape(prob))
        count, prob = ops.broadcast_to(count, shape), ops.broadcast_to(prob, shape)
        p_lt_half = prob < 0.5
        q = ops.where(p_lt_half, prob, 1.0 - prob)
        count_nan_or_neg = ops.isnan(count) | (count < 0.0)
        count_inf = ops.isinf(count)
        q_is_nan, q_l_0 = ops.isnan(q), q < 0.0
        q = ops.where(q_is_nan | q_l_0, ops.full(shape, 0.01, fdtype), q)
        use_inversion = count_nan_or_neg | (count * q <= 10.0)
        count = ops.floor(count)
        count_inv = ops.where(use_inversion, count, ops.full(shape, 0.0, fdtype))
        count_btrs = ops.where(use_inversion, ops.full(shape, 1e4, fdtype), count)
        q_btrs = ops.where(use_inversion, ops.full(shape, 0.5, fdtype), q)
        words = ops.key_to_int64(key)

        log1minusprob = ops.log1p(-q)

        def inversion_body(state: tuple) -> tuple:
            num_geom, geom_sum, k0, k1 = state
            (s0, s1), (r0, r1) = _lane_split(ops, k0, k1, 2)  # jax: ``subkey, key = split(key)``
            num_geom = ops.where(geom_sum <= count_inv, num_geom + 1, num_geom)
            u = kernel_unit_uniform(ops, (s0, s1), shape, fdtype)
            geom = ops.ceil(ops.log(u) / log1minusprob)
            return num_geom, geom_sum + geom, r0, r1

        zeros = ops.zeros(shape, fdtype)
        inversion_init = (zeros, zeros, words[0], words[1])
        num_geom = while_loop(lambda s: ops.any(s[1] <= count_inv), inversion_body, inversion_init)[0]
        inversion = ops.astype(num_geom - 1, dtype)

        stddev = ops.sqrt(count_btrs * q_btrs * (1 - q_btrs))
        b = 1.15 + 2.53 * stddev
        a = -0.0873 + 0.0248 * b + 0.01 * q_btrs
        c = count_btrs * q_btrs + 0.5
        v_r = 0.92 - 4.2 / b
        r = q_btrs / (1 - q_btrs)
        alpha = (2.83 + 5.1 / b) * stddev
        m = ops.floor((count_btrs + 1) * q_btrs)

        def btrs_body(state: tuple) -> tuple:
            k_out, accepted, k0, k1 = state
            (r0, r1), (s0, s1), (t0, t1) = _lane_split(ops, k0, k1, 3)
            u = kernel_unit_uniform(ops, (s0, s1), shape, fdtype)
            v = kernel_unit_uniform(ops, (t0, t1), shape, fdtype)
            u = u - 0.5
            us = 0.5 - ops.abs(u)
            accept1 = (us >= 0.07) & (v <= v_r)
            k = ops.floor((2 * a / us + b) * u + c)
            reject = (k < 0) | (k > count_btrs)
            v = ops.log(v * alpha / (a / (us * us) + b))
            ub = ((m + 0.5) * ops.log((m + 1) / (r * (count_btrs - m + 1)))
                  + (count_btrs + 1) * ops.log((count_btrs - m + 1) / (count_btrs - k + 1))
                  + (k + 0.5) * ops.log(r * (count_btrs - k + 1) / (k + 1))
                  + _stirling_approx_tail(ops, m) + _stirling_approx_tail(ops, count_btrs - m)
                  - _stirling_approx_tail(ops, k) - _stirling_approx_tail(ops, count_btrs - k))  # fmt: skip
            accept = accept1 | (~reject & (v <= ub))
            return ops.where(accept, k, k_out), accepted | accept, r0, r1

        btrs_init = (ops.full(shape, -1.0, fdtype), ops.zeros(shape, "bool"), words[0], words[1])
        btrs = ops.astype(while_loop(lambda s: ops.any(~s[1]), btrs_body, btrs_init)[0], dtype)
        samples = ops.where(use_inversion, inversion, btrs)
        invalid = q_l_0 | q_is_nan | count_nan_or_neg
        samples = ops.where(invalid, ops.full(shape, math.nan, dtype), samples)
        samples = ops.where(count_inf & ~invalid, ops.full(shape, math.inf, dtype), samples)
        keep = p_lt_half | count_nan_or_neg | q_is_nan | count_inf
        return ops.where(keep, samples, ops.astype(count, dtype) - samples)

    # -- transforms of uniform, normal and gamma draws (jax 0.10.2 ``_pareto``, ``_t``, ... in the same order) --

    def _params(self, dtype: str, shape: tuple[int, ...] | None, *values: Any) -> tuple[tuple[int, ...], list]:
        """``values`` as ``dtype`` arrays and the sample shape (jax ``_check_broadcast_shapes``: their broadcast)."""
        ops = self.ops
        arrays = [ops.asarray(v, dtype) for v in values]
        if shape is None:
            shape = ops.broadcast_shapes(*(ops.shape(a) for a in arrays))
        return tuple(shape), arrays

    def chisquare(self, key: Any, df: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        ops = self.ops
        shape, (df,) = self._params(dtype, shape, df)
        two = ops.asarray(2.0, dtype)
        return ops.exp(self.gamma(key, ops.broadcast_to(df / two, shape), shape, dtype, True)) * two

    def f(self, key: Any, dfnum: Any, dfden: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        shape, (dfnum, dfden) = self._params(dtype, shape, dfnum, dfden)
        key_dfd, key_dfn = self.split(key)
        num = self.chisquare(key_dfn, dfnum, shape, dtype) / dfnum
        den = self.chisquare(key_dfd, dfden, shape, dtype) / dfden
        return num / den

    def t(self, key: Any, df: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        ops = self.ops
        shape, (df,) = self._params(dtype, shape, df)
        key_n, key_g = self.split(key)
        n = self.normal(key_n, shape, dtype)
        half_df = df / ops.asarray(2.0, dtype)
        g = self.gamma(key_g, ops.broadcast_to(half_df, shape), shape, dtype)
        return n * ops.sqrt(half_df / g)

    def pareto(self, key: Any, b: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        shape, (b,) = self._params(dtype, shape, b)
        return self.ops.exp(self.exponential(key, shape, dtype) / b)

    def lognormal(self, key: Any, sigma: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        shape, (sigma,) = self._params(dtype, shape, sigma)
        return self.ops.exp(self.normal(key, shape, dtype) * sigma)

    def maxwell(self, key: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        z = self.normal(key, (*shape, 3), dtype)
        return ops.sqrt(ops.sum(z * z, -1))

    def double_sided_maxwell(self, key: Any, loc: Any, scale: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        loc, scale = ops.asarray(loc, dtype), ops.asarray(scale, dtype)
        params_shape = ops.broadcast_shapes(ops.shape(loc), ops.shape(scale))
        shape = (tuple(shape) or params_shape) + params_shape  # jax: shape + params_shapes, shape () -> params
        maxwell_key, rademacher_key = self.split(key)
        maxwell = self.maxwell(maxwell_key, shape, dtype)
        sign = self.rademacher(rademacher_key, shape, dtype)
        return sign * maxwell * scale + loc

    def weibull_min(self, key: Any, scale: Any, concentration: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        u = self.uniform(key, shape, dtype, 0, 1)
        concentration = ops.asarray(concentration, dtype)
        return ops.pow(-ops.log1p(-u), 1.0 / concentration) * ops.asarray(scale, dtype)

    def generalized_normal(self, key: Any, p: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        key_g, key_r = self.split(key)
        inv_p = 1 / ops.asarray(p, dtype)
        g = self.gamma(key_g, ops.broadcast_to(inv_p, shape), shape, dtype)
        r = self.rademacher(key_r, shape, dtype)
        return r * ops.pow(g, inv_p)

    def ball(self, key: Any, d: int, p: Any, shape: tuple[int, ...], dtype: str) -> Any:
        ops = self.ops
        key_g, key_e = self.split(key)
        g = self.generalized_normal(key_g, p, (*shape, d), dtype)
        e = self.exponential(key_e, shape, dtype)
        p = ops.asarray(p, dtype)
        return g / ops.expand_dims(ops.pow(ops.sum(ops.pow(ops.abs(g), p), -1) + e, 1 / p), -1)

    def rayleigh(self, key: Any, scale: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        ops = self.ops
        shape, (scale,) = self._params(dtype, shape, scale)
        u = self.uniform(key, shape, dtype, 0, 1)
        return ops.broadcast_to(scale, shape) * ops.sqrt(ops.log(u) * ops.asarray(-2.0, dtype))

    def wald(self, key: Any, mean: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        ops = self.ops
        shape, (mean,) = self._params(dtype, shape, mean)
        key_v, key_z = self.split(key)
        mean = ops.broadcast_to(mean, shape)
        v = self.normal(key_v, shape, dtype)
        z = self.uniform(key_z, shape, dtype, 0, 1)
        y = v * v
        mean_sq = mean * mean
        sqrt_term = ops.sqrt(4 * mean * y + mean_sq * (y * y))
        x = mean + mean_sq * y / 2 - mean / 2 * sqrt_term
        return ops.where(z <= mean / (mean + x), x, mean_sq / x)

    def geometric(self, key: Any, p: Any, shape: tuple[int, ...] | None, dtype: str) -> Any:
        ops = self.ops
        p = ops.asarray(p, ops.float_name(p))
        fdtype = ops.float_name(p)
        shape, (p,) = self._params(fdtype, shape, p)
        u = self.uniform(key, shape, fdtype, 0, 1)
        u = ops.where(u == 0, ops.asarray(1.0, fdtype), u)  # jax maps u == 0 to 1 (no -inf)
        g = ops.floor(ops.log(u) / ops.broadcast_to(ops.log1p(-p), shape)) + 1
        return ops.astype(g, dtype)

    def triangular(self, key: Any, left: Any, mode: Any, right: Any, shape: tuple[int, ...] | None,
                   dtype: str) -> Any:  # fmt: skip
        ops = self.ops
        shape, params = self._params(dtype, shape, left, mode, right)
        left, mode, right = (ops.broadcast_to(v, shape) for v in params)
        fc = (mode - left) / (right - left)
        u = self.uniform(key, shape, dtype, 0, 1)
        out1 = left + ops.sqrt(u * (right - left) * (mode - left))
        out2 = right - ops.sqrt((1 - u) * (right - left) * (right - mode))
        return ops.where(u < fc, out1, out2)

    def multinomial(self, key: Any, n: Any, p: Any, shape: tuple[int, ...] | None, dtype: str, unroll: Any) -> Any:
        """jax ``multinomial``: a scan over outcomes, each a binomial of what the previous ones left."""
        from portax._src.lax_control import scan

        ops = self.ops
        p = ops.asarray(p, ops.float_name(p))
        fdtype = ops.float_name(p)
        n = ops.asarray(n, fdtype)
        if shape is None:
            shape = ops.shape(p)
        n = ops.broadcast_to(n, tuple(shape)[:-1])
        p = ops.moveaxis(ops.broadcast_to(p, shape), -1, 0)
        remaining = ops.flip(ops.cumsum(ops.flip(p, 0), 0), 0)  # jax: cumsum(p, 0, reverse=True)
        ratios = p / ops.where(remaining == 0, ops.asarray(1.0, fdtype), remaining)
        keys = self.split(key, ops.shape(ratios)[0])

        def step(remainder: Any, ratio_key: tuple) -> tuple:
            ratio, subkey = ratio_key
            count = self.binomial(subkey, remainder, ops.clip(ratio, 0, 1), None, fdtype)
            return remainder - count, count

        _, counts = scan(step, n, (ratios, keys), unroll=unroll)
        return ops.astype(ops.moveaxis(counts, 0, -1), dtype)

    # -- linear algebra --------------------------------------------------------------------------------------

    def multivariate_normal(self, key: Any, mean: Any, cov: Any, shape: tuple[int, ...] | None, dtype: str,
                            method: str) -> Any:  # fmt: skip
        ops = self.ops
        mean, cov = ops.asarray(mean, dtype), ops.asarray(cov, dtype)
        if ops.ndim(mean) < 1:
            raise ValueError(f"multivariate_normal requires mean.ndim >= 1, got mean.ndim == {ops.ndim(mean)}")
        if ops.ndim(cov) < 2:
            raise ValueError(f"multivariate_normal requires cov.ndim >= 2, got cov.ndim == {ops.ndim(cov)}")
        n = ops.shape(mean)[-1]
        if ops.shape(cov)[-2:] != (n, n):
            raise ValueError(
                f"multivariate_normal requires cov.shape == (..., n, n) for n={n}, but got cov.shape == {ops.shape(cov)}."
            )
        if shape is None:
            shape = ops.broadcast_shapes(ops.shape(mean)[:-1], ops.shape(cov)[:-2])
        factor = ops.covariance_factor(cov, method)
        samples = self.normal(key, tuple(shape) + (n,), dtype)
        return mean + ops.einsum("...ij,...j->...i", factor, samples)

    def orthogonal(self, key: Any, n: int, shape: tuple[int, ...], dtype: str, m: int | None) -> Any:
        ops = self.ops
        m_ = n if m is None else m
        z = self.normal(key, (*shape, max(n, m_), min(n, m_)), dtype)
        q, r = ops.qr(z)
        d = ops.diagonal(r)
        x = q * ops.expand_dims(ops.sign(d), -2)
        if n < m_:
            x = ops.swapaxes(x, -1, -2)
        return x


_STIRLING_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
                  0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
                  0.00925546218271273, 0.00833056343336287)  # fmt: skip


def _stirling_approx_tail(ops: Any, k: Any) -> Any:
    """jax ``_stirling_approx_tail``: the tail of Stirling's series of ``log(k!)``, tabulated for ``k <= 9``."""
    use_tail_values = k <= 9
    k = ops.clip(k, 0.0, 9.0)
    kp1sq = (k + 1) * (k + 1)
    approx = (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)
    table = ops.asarray(np.asarray(_STIRLING_TAIL, np.float32), ops.dtype_of(k))
    tail = ops.take(table, ops.astype(ops.floor(k), "int32"), 0)
    return ops.where(use_tail_values, tail, approx)


def _lane_split(ops: Any, k0: Any, k1: Any, num: int) -> list[tuple[Any, Any]]:
    """``split(key, num)`` of every lane's key (words ``k0``, ``k1`` of any shape): ``num`` (k0, k1) pairs."""
    hi, lo = kernel_hash(ops, (ops.expand_dims(k0, -1), ops.expand_dims(k1, -1)), (num,))
    return [(hi[..., i], lo[..., i]) for i in range(num)]


def _is_python_value(value: Any, target: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == target
