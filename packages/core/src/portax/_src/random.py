"""``portax.random``: jax.random's explicit-key PRNG with the same bits on every backend.

Keys are plain backend arrays: ``key(seed)`` and ``PRNGKey(seed)`` both return raw Threefry key data, a uint32
array of shape ``(2,)`` (what ``jax.random.PRNGKey`` returns), on every backend, so keys pass through ``jit``,
``vmap``, ``grad`` and pytrees as ordinary arrays. ``key_data`` and ``wrap_key_data`` therefore convert raw data
to raw data (``key_data`` also unwraps a typed ``jax.random.key`` on the JAX backend).

The backend is decided by the key (arrays decide, as everywhere in portax). Each backend package provides a
``random`` module with ``SAMPLERS``, an object with the private sampler methods of
:class:`portax._src.prng_samplers.ThreefrySamplers`: the JAX backend forwards to ``jax.random`` (bit-identical
by construction); others use ``ThreefrySamplers`` over their own ops.
"""

from __future__ import annotations

import importlib
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from portax._src import config as _config
from portax._src.errors import InvalidKeyError
from portax._src.registry import backend_of, backend_of_arrays, current_backend

Array = Any
Shape = Sequence[int]




_samplers_cache: dict[str, Any] = {}


def _samplers(backend: Any) -> Any:
    try:
        return _samplers_cache[backend.name]
    except KeyError:
        pass
    module_name = backend.random_module
    if module_name is None:
        from portax._src.errors import UnsupportedError

        raise UnsupportedError(backend.name, "portax.random", "the backend declares no `random_module`")
    samplers = importlib.import_module(module_name).SAMPLERS
    _samplers_cache[backend.name] = samplers
    return samplers


def _check_key(name: str, key: Any, *others: Any) -> tuple[Any, Any]:
    """The backend's samplers and the validated key, or a clear error."""
    backend = backend_of(key)
    if backend is None:
        if isinstance(key, np.ndarray) or isinstance(key, (list, tuple)):
            backend = backend_of_arrays(*others) or current_backend()
            array = np.asarray(key)
            if array.dtype != np.uint32 or array.shape != (2,):
                _raise_bad_key(name, key, array.shape, array.dtype)
            key = backend.numpy.asarray(array)
        else:
            raise InvalidKeyError(
                f"{name}() expected a PRNG key (uint32 array of shape (2,) from portax.random.key or PRNGKey), "
                f"got {type(key).__module__}.{type(key).__qualname__}; create one with portax.random.key(seed)"
            )
    else:
        other_backend = backend_of_arrays(*others)
        if other_backend is not None and other_backend is not backend:
            from portax._src.errors import BackendMismatchError

            raise BackendMismatchError(
                f"{name}() got a key of the {backend.name!r} backend and arrays of the {other_backend.name!r} "
                f"backend; make the key on the same backend (portax.random.key(seed) under "
                f"portax.use_backend({other_backend.name!r}))"
            )
    samplers = _samplers(backend)
    if not samplers.is_key(key):
        _raise_bad_key(name, key, tuple(getattr(key, "shape", ())), getattr(key, "dtype", None))
    return samplers, key


def _raise_bad_key(name: str, key: Any, shape: Any, dtype: Any) -> None:
    hint = ""
    if tuple(shape)[-1:] == (2,) and len(tuple(shape)) > 1:
        hint = "; for a batch of keys from split(key, n) use portax.vmap over the keys"
    raise InvalidKeyError(
        f"{name}() expected a PRNG key: a uint32 array of shape (2,) from portax.random.key/PRNGKey/split, "
        f"got an array of shape {tuple(shape)} and dtype {dtype}{hint}"
    )


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    try:
        return tuple(operator.index(d) for d in shape)
    except TypeError:
        raise TypeError(f"shape must be a sequence of integers, got {shape!r}") from None


def _optional_shape(shape: Any) -> tuple[int, ...] | None:
    return None if shape is None else _shape(shape)


# -- keys ----------------------------------------------------------------------------------------------------------


def PRNGKey(seed: int | Array) -> Array:  # noqa: N802 (jax's name)
    """Raw Threefry key data (uint32, shape ``(2,)``) for an integer seed, on the current backend.

    Args:
        seed: a Python int or an integer scalar array (its backend decides).
    Returns:
        ``[seed >> 32, seed & 0xFFFFFFFF]`` as uint32 (jax ``PRNGKey``, x64 off: the high word is 0).

    Example:
        >>> import portax
        >>> k = portax.random.PRNGKey(0)
    """
    if isinstance(seed, (bool, float)) or (hasattr(seed, "dtype") and "int" not in str(seed.dtype)):
        raise TypeError(f"PRNG key seed must be an integer; got {seed!r}")
    backend = backend_of(seed) or current_backend()
    return _samplers(backend).PRNGKey(seed)


def key(seed: int | Array, *, impl: Any = None) -> Array:
    """Same as :func:`PRNGKey` (portax keys are raw key data on every backend, so programs agree bit for bit).

    Unlike ``jax.random.key`` this does not return a typed key: a typed key exists only on JAX.
    """
    if impl not in (None, "threefry2x32"):
        raise ValueError(f"portax.random supports only impl='threefry2x32', got {impl!r}")
    return PRNGKey(seed)


def key_data(keys: Array) -> Array:
    """The raw uint32 key data of ``keys`` (identity for portax keys; unwraps typed ``jax.random.key`` keys)."""
    backend = backend_of(keys)
    if backend is not None and hasattr(_samplers(backend), "key_data"):
        return _samplers(backend).key_data(keys)
    return keys


def wrap_key_data(key_bits_array: Array, *, impl: Any = None) -> Array:
    """A key from raw uint32 key data of shape ``(..., 2)``: the data itself (checked)."""
    if impl not in (None, "threefry2x32"):
        raise ValueError(f"portax.random supports only impl='threefry2x32', got {impl!r}")
    shape = tuple(getattr(key_bits_array, "shape", ()))
    dtype = str(getattr(key_bits_array, "dtype", ""))
    if shape[-1:] != (2,) or "uint32" not in dtype:
        raise InvalidKeyError(f"wrap_key_data expects uint32 data of shape (..., 2), got shape {shape} dtype {dtype}")
    return key_bits_array


def split(key: Array, num: int | Shape = 2) -> Array:
    """New keys derived from ``key``: shape ``(num, 2)`` (or ``(*num, 2)`` for a shape)."""
    samplers, key = _check_key("split", key)
    return samplers.split(key, num if isinstance(num, (int, np.integer)) else _shape(num))


def fold_in(key: Array, data: int | Array) -> Array:
    """A new key derived from ``key`` and the integer ``data`` (hashed as uint32)."""
    samplers, key = _check_key("fold_in", key, data)
    return samplers.fold_in(key, data)


def _default(name: str) -> str:
    """JAX's default dtype of a kind under the current x64 mode (float32 -> float64, int32 -> int64 with x64 on)."""
    return name.replace("32", "64") if _config.x64_enabled() else name


# -- samplers ------------------------------------------------------------------------------------------------------


def bits(key: Array, shape: Shape = (), dtype: Any = None) -> Array:
    """Uniform random bits of an unsigned integer dtype (default uint32)."""
    samplers, key = _check_key("bits", key)
    name = samplers.dtype_name(dtype, "uint32")
    if not name.startswith("uint"):
        raise ValueError(f"dtype argument to `bits` must be an unsigned int dtype, got {dtype}")
    return samplers.bits(key, _shape(shape), name)


def _float_dtype(samplers: Any, function: str, dtype: Any, allow_complex: bool = False) -> str:
    name = samplers.dtype_name(dtype, _default("float32"))
    if not (name.startswith("float") or name == "bfloat16" or (allow_complex and name.startswith("complex"))):
        kind = "a float or complex" if allow_complex else "a float"
        raise ValueError(f"dtype argument to `{function}` must be {kind} dtype, got {dtype}")
    return name


def uniform(key: Array, shape: Shape = (), dtype: Any = None, minval: Any = 0.0, maxval: Any = 1.0) -> Array:
    """Uniform floats in ``[minval, maxval)`` (mantissa bits of one Threefry word each).

    Example:
        >>> import portax
        >>> x = portax.random.uniform(portax.random.key(0), (3,))
    """
    samplers, key = _check_key("uniform", key, minval, maxval)
    return samplers.uniform(key, _shape(shape), _float_dtype(samplers, "uniform", dtype), minval, maxval)


def normal(key: Array, shape: Shape = (), dtype: Any = None) -> Array:
    """Standard normal floats (``sqrt(2) * erfinv(u)``); complex dtypes give unit-variance complex normals."""
    samplers, key = _check_key("normal", key)
    return samplers.normal(key, _shape(shape), _float_dtype(samplers, "normal", dtype, allow_complex=True))


def truncated_normal(key: Array, lower: Any, upper: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Standard normal floats truncated to ``(lower, upper)``."""
    samplers, key = _check_key("truncated_normal", key, lower, upper)
    name = _float_dtype(samplers, "truncated_normal", dtype)
    return samplers.truncated_normal(key, lower, upper, _optional_shape(shape), name)


def bernoulli(key: Array, p: Any = 0.5, shape: Shape | None = None, mode: str = "low") -> Array:
    """Booleans that are True with probability ``p``."""
    if mode not in ("high", "low"):
        raise ValueError(f"got mode={mode!r}, expected 'high' or 'low'")
    samplers, key = _check_key("bernoulli", key, p)
    return samplers.bernoulli(key, p, _optional_shape(shape), mode)


def categorical(key: Array, logits: Any, axis: int = -1, shape: Shape | None = None, replace: bool = True,
                mode: str | None = None) -> Array:  # fmt: skip
    """Category indices drawn with probabilities ``softmax(logits)`` along ``axis`` (Gumbel-max)."""
    samplers, key = _check_key("categorical", key, logits)
    return samplers.categorical(key, logits, axis, _optional_shape(shape), replace, mode or "low")


def randint(key: Array, shape: Shape, minval: Any, maxval: Any, dtype: Any = None) -> Array:
    """Integers in ``[minval, maxval)`` (default int32)."""
    samplers, key = _check_key("randint", key, minval, maxval)
    name = samplers.dtype_name(dtype, _default("int32"))
    if "int" not in name:
        raise TypeError(f"randint only accepts integer dtypes, got {dtype}")
    return samplers.randint(key, _shape(shape), minval, maxval, name)


def permutation(key: Array, x: int | Array, axis: int = 0, independent: bool = False) -> Array:
    """A shuffled ``arange(x)`` (int ``x``) or ``x`` shuffled along ``axis``."""
    samplers, key = _check_key("permutation", key, x)
    return samplers.permutation(key, x, axis, independent)


def choice(key: Array, a: int | Array, shape: Shape = (), replace: bool = True, p: Any = None, axis: int = 0,
           mode: str | None = None) -> Array:  # fmt: skip
    """Random samples of ``a`` (or of ``arange(a)``), with or without replacement, optionally weighted by ``p``."""
    if not isinstance(shape, Sequence):
        raise TypeError(f"shape argument of portax.random.choice must be a sequence, got {shape}")
    samplers, key = _check_key("choice", key, a, p)
    return samplers.choice(key, a, _shape(shape), replace, p, axis, mode or "low")


def gumbel(key: Array, shape: Shape = (), dtype: Any = None, mode: str | None = None) -> Array:
    """Standard Gumbel floats."""
    samplers, key = _check_key("gumbel", key)
    return samplers.gumbel(key, _shape(shape), _float_dtype(samplers, "gumbel", dtype), mode or "low")


def exponential(key: Array, shape: Shape = (), dtype: Any = None) -> Array:
    """Standard exponential floats (``-log1p(-u)``)."""
    samplers, key = _check_key("exponential", key)
    return samplers.exponential(key, _shape(shape), _float_dtype(samplers, "exponential", dtype))


def laplace(key: Array, shape: Shape = (), dtype: Any = None) -> Array:
    """Standard Laplace floats."""
    samplers, key = _check_key("laplace", key)
    return samplers.laplace(key, _shape(shape), _float_dtype(samplers, "laplace", dtype))


def logistic(key: Array, shape: Shape = (), dtype: Any = None) -> Array:
    """Standard logistic floats."""
    samplers, key = _check_key("logistic", key)
    return samplers.logistic(key, _shape(shape), _float_dtype(samplers, "logistic", dtype))


def cauchy(key: Array, shape: Shape = (), dtype: Any = None) -> Array:
    """Standard Cauchy floats."""
    samplers, key = _check_key("cauchy", key)
    return samplers.cauchy(key, _shape(shape), _float_dtype(samplers, "cauchy", dtype))


def rademacher(key: Array, shape: Shape = (), dtype: Any = None) -> Array:
    """Uniform draws from ``{-1, +1}`` (default int32)."""
    samplers, key = _check_key("rademacher", key)
    return samplers.rademacher(key, _shape(shape), samplers.dtype_name(dtype, _default("int32")))


def multivariate_normal(key: Array, mean: Any, cov: Any, shape: Shape | None = None, dtype: Any = None,
                        method: str = "cholesky") -> Array:  # fmt: skip
    """Multivariate normal vectors (``mean + factor @ z``, factor by ``method``: cholesky, eigh or svd)."""
    if method not in ("svd", "eigh", "cholesky"):
        raise ValueError("method must be one of {'svd', 'eigh', 'cholesky'}")
    samplers, key = _check_key("multivariate_normal", key, mean, cov)
    name = _float_dtype(samplers, "multivariate_normal", dtype)
    return samplers.multivariate_normal(key, mean, cov, _optional_shape(shape), name, method)


def gamma(key: Array, a: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Gamma(a, 1) floats (Marsaglia-Tsang with jax's key schedule)."""
    samplers, key = _check_key("gamma", key, a)
    return samplers.gamma(key, a, _optional_shape(shape), _float_dtype(samplers, "gamma", dtype))


def beta(key: Array, a: Any, b: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Beta(a, b) floats (ratio of log-space gammas)."""
    samplers, key = _check_key("beta", key, a, b)
    return samplers.beta(key, a, b, _optional_shape(shape), _float_dtype(samplers, "beta", dtype))


def dirichlet(key: Array, alpha: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Dirichlet(alpha) vectors along the last axis."""
    samplers, key = _check_key("dirichlet", key, alpha)
    return samplers.dirichlet(key, alpha, _optional_shape(shape), _float_dtype(samplers, "dirichlet", dtype))


def poisson(key: Array, lam: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Poisson(lam) integers (default int32)."""
    samplers, key = _check_key("poisson", key, lam)
    return samplers.poisson(key, lam, _optional_shape(shape), samplers.dtype_name(dtype, _default("int32")))


def orthogonal(key: Array, n: int, shape: Shape = (), dtype: Any = None, m: int | None = None) -> Array:
    """Haar-random orthogonal (or semi-orthogonal ``(n, m)``) matrices of shape ``(*shape, n, m)``."""
    samplers, key = _check_key("orthogonal", key)
    return samplers.orthogonal(key, operator.index(n), _shape(shape), _float_dtype(samplers, "orthogonal", dtype), m)


def loggamma(key: Array, a: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Logarithms of Gamma(a, 1) draws, computed in log space (accurate for small ``a``; ``exp`` gives ``gamma``).

    Example:
        >>> import portax
        >>> x = portax.random.loggamma(portax.random.key(0), 0.1, (3,))
    """
    samplers, key = _check_key("loggamma", key, a)
    return samplers.loggamma(key, a, _optional_shape(shape), _float_dtype(samplers, "loggamma", dtype))


def binomial(key: Array, n: Any, p: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Binomial(n, p) counts as floats (jax's inversion / BTRS rejection sampler).

    Example:
        >>> import portax
        >>> x = portax.random.binomial(portax.random.key(0), 10.0, 0.3, (4,))
    """
    samplers, key = _check_key("binomial", key, n, p)
    return samplers.binomial(key, n, p, _optional_shape(shape), _float_dtype(samplers, "binomial", dtype))


def multinomial(key: Array, n: Any, p: Any, *, shape: Shape | None = None, dtype: Any = None,
                unroll: int | bool = 1) -> Array:  # fmt: skip
    """Multinomial(n, p) counts per outcome (outcomes on the last axis of ``p``), as a sequence of binomials.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> counts = portax.random.multinomial(portax.random.key(0), 10.0, jnp.asarray([0.2, 0.3, 0.5]))
    """
    samplers, key = _check_key("multinomial", key, n, p)
    return samplers.multinomial(key, n, p, _optional_shape(shape), _float_dtype(samplers, "multinomial", dtype),
                                unroll)  # fmt: skip


def chisquare(key: Array, df: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Chi-square(df) floats (``2 * exp(loggamma(df / 2))``)."""
    samplers, key = _check_key("chisquare", key, df)
    return samplers.chisquare(key, df, _optional_shape(shape), _float_dtype(samplers, "chisquare", dtype))


def f(key: Array, dfnum: Any, dfden: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """F(dfnum, dfden) floats (ratio of scaled chi-squares)."""
    samplers, key = _check_key("f", key, dfnum, dfden)
    return samplers.f(key, dfnum, dfden, _optional_shape(shape), _float_dtype(samplers, "f", dtype))


def t(key: Array, df: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Student's t(df) floats (``normal * sqrt(df / 2 / gamma(df / 2))``)."""
    samplers, key = _check_key("t", key, df)
    return samplers.t(key, df, _optional_shape(shape), _float_dtype(samplers, "t", dtype))


def pareto(key: Array, b: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Pareto(b) floats on ``[1, inf)`` (``exp(exponential / b)``)."""
    samplers, key = _check_key("pareto", key, b)
    return samplers.pareto(key, b, _optional_shape(shape), _float_dtype(samplers, "pareto", dtype))


def lognormal(key: Array, sigma: Any = np.float32(1.0), shape: Shape | None = None, dtype: Any = None) -> Array:
    """Log-normal floats (``exp(sigma * normal)``)."""
    samplers, key = _check_key("lognormal", key, sigma)
    return samplers.lognormal(key, sigma, _optional_shape(shape), _float_dtype(samplers, "lognormal", dtype))


def maxwell(key: Array, shape: Shape = (), dtype: Any = None) -> Array:
    """Maxwell floats (norm of three standard normals)."""
    samplers, key = _check_key("maxwell", key)
    return samplers.maxwell(key, _shape(shape), _float_dtype(samplers, "maxwell", dtype))


def double_sided_maxwell(key: Array, loc: Any, scale: Any, shape: Shape = (), dtype: Any = None) -> Array:
    """Double-sided Maxwell floats (``rademacher * maxwell * scale + loc``), of shape ``shape + broadcast(loc, scale)``."""
    samplers, key = _check_key("double_sided_maxwell", key, loc, scale)
    name = _float_dtype(samplers, "double_sided_maxwell", dtype)
    return samplers.double_sided_maxwell(key, loc, scale, _shape(shape), name)


def weibull_min(key: Array, scale: Any, concentration: Any, shape: Shape = (), dtype: Any = None) -> Array:
    """Weibull floats (inverse CDF of a uniform: ``(-log1p(-u)) ** (1 / concentration) * scale``)."""
    samplers, key = _check_key("weibull_min", key, scale, concentration)
    name = _float_dtype(samplers, "weibull_min", dtype)
    return samplers.weibull_min(key, scale, concentration, _shape(shape), name)


def generalized_normal(key: Array, p: float, shape: Shape = (), dtype: Any = None) -> Array:
    """Generalized normal floats with density proportional to ``exp(-|x|**p)``."""
    samplers, key = _check_key("generalized_normal", key, p)
    name = _float_dtype(samplers, "generalized_normal", dtype)
    return samplers.generalized_normal(key, p, _shape(shape), name)


def ball(key: Array, d: int, p: float = 2, shape: Shape = (), dtype: Any = None) -> Array:
    """Points uniform in the unit ``p``-norm ball of dimension ``d``: shape ``(*shape, d)``."""
    samplers, key = _check_key("ball", key)
    d = operator.index(d)
    if d < 1:
        raise ValueError(f"ball: d must be a positive integer, got {d}")
    return samplers.ball(key, d, p, _shape(shape), _float_dtype(samplers, "ball", dtype))


def rayleigh(key: Array, scale: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Rayleigh(scale) floats (``scale * sqrt(-2 log u)``)."""
    samplers, key = _check_key("rayleigh", key, scale)
    return samplers.rayleigh(key, scale, _optional_shape(shape), _float_dtype(samplers, "rayleigh", dtype))


def wald(key: Array, mean: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Wald (inverse Gaussian) floats with the given mean and unit shape parameter."""
    samplers, key = _check_key("wald", key, mean)
    return samplers.wald(key, mean, _optional_shape(shape), _float_dtype(samplers, "wald", dtype))


def geometric(key: Array, p: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Geometric(p) integers >= 1, the trial of the first success (default int32)."""
    samplers, key = _check_key("geometric", key, p)
    name = samplers.dtype_name(dtype, _default("int32"))
    if "int" not in name:
        raise ValueError(f"dtype argument to `geometric` must be an int dtype, got {dtype}")
    return samplers.geometric(key, p, _optional_shape(shape), name)


def triangular(key: Array, left: Any, mode: Any, right: Any, shape: Shape | None = None, dtype: Any = None) -> Array:
    """Triangular(left, mode, right) floats (inverse CDF of a uniform)."""
    samplers, key = _check_key("triangular", key, left, mode, right)
    name = _float_dtype(samplers, "triangular", dtype)
    return samplers.triangular(key, left, mode, right, _optional_shape(shape), name)


def clone(key: Array) -> Array:
    """``key`` itself: jax's ``clone`` only matters to its key-reuse checker, which portax does not have."""
    _check_key("clone", key)
    return key


def key_impl(keys: Array) -> str:
    """The PRNG implementation of ``keys``: always ``"threefry2x32"`` (the only one portax implements)."""
    _check_key("key_impl", keys)
    return "threefry2x32"


def key_dtype(impl_spec: Any = None) -> Any:
    """The dtype of portax keys on the current backend: ``uint32`` (portax keys are raw key data, not typed keys)."""
    if impl_spec not in (None, "threefry2x32"):
        raise ValueError(f"portax.random supports only impl='threefry2x32', got {impl_spec!r}")
    return current_backend().dtypes["uint32"]
