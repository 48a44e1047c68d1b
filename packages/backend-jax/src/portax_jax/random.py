"""``portax.random`` on JAX: ``jax.random`` itself (Threefry-2x32, partitionable counters), so bit-identical.

portax keys are raw uint32 key data (``jax.random.PRNGKey``); typed keys (``jax.random.key``) made by jax itself
are accepted as well and passed through.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np


class JaxSamplers:
    """The sampler protocol of ``portax._src.prng_samplers.ThreefrySamplers``, forwarding to ``jax.random``."""

    @staticmethod
    def is_key(key: Any) -> bool:
        dtype = key.dtype
        if jax.dtypes.issubdtype(dtype, jax.dtypes.prng_key):
            return key.ndim == 0
        return dtype == jnp.uint32 and key.shape == (2,)

    @staticmethod
    def key_data(keys: Any) -> Any:
        if jax.dtypes.issubdtype(keys.dtype, jax.dtypes.prng_key):
            return jax.random.key_data(keys)
        return keys

    @staticmethod
    def dtype_name(dtype: Any, default: str) -> str:
        if dtype is None:
            return default
        name = np.dtype(dtype).name if dtype is not float and dtype is not int else ("float32" if dtype is float else "int32")
        # x64 off: jax canonicalizes 64-bit requests to 32 bits (with a warning); keep its behaviour
        return jax.dtypes.canonicalize_dtype(np.dtype(name)).name

    PRNGKey = staticmethod(jax.random.PRNGKey)
    split = staticmethod(jax.random.split)
    fold_in = staticmethod(jax.random.fold_in)

    @staticmethod
    def bits(key, shape, dtype):
        return jax.random.bits(key, shape, dtype)

    @staticmethod
    def uniform(key, shape, dtype, minval, maxval):
        return jax.random.uniform(key, shape, dtype, minval, maxval)

    @staticmethod
    def normal(key, shape, dtype):
        return jax.random.normal(key, shape, dtype)

    @staticmethod
    def truncated_normal(key, lower, upper, shape, dtype):
        return jax.random.truncated_normal(key, lower, upper, shape, dtype)

    @staticmethod
    def bernoulli(key, p, shape, mode):
        return jax.random.bernoulli(key, p, shape, mode=mode)

    @staticmethod
    def categorical(key, logits, axis, shape, replace, mode):
        return jax.random.categorical(key, logits, axis, shape, replace=replace, mode=mode)

    @staticmethod
    def randint(key, shape, minval, maxval, dtype):
        return jax.random.randint(key, shape, minval, maxval, dtype)

    @staticmethod
    def permutation(key, x, axis, independent):
        return jax.random.permutation(key, x, axis, independent)

    @staticmethod
    def choice(key, a, shape, replace, p, axis, mode):
        return jax.random.choice(key, a, shape, replace, p, axis, mode=mode)

    @staticmethod
    def gumbel(key, shape, dtype, mode):
        return jax.random.gumbel(key, shape, dtype, mode=mode)

    @staticmethod
    def exponential(key, shape, dtype):
        return jax.random.exponential(key, shape, dtype)

    @staticmethod
    def laplace(key, shape, dtype):
        return jax.random.laplace(key, shape, dtype)

    @staticmethod
    def logistic(key, shape, dtype):
        return jax.random.logistic(key, shape, dtype)

    @staticmethod
    def cauchy(key, shape, dtype):
        return jax.random.cauchy(key, shape, dtype)

    @staticmethod
    def rademacher(key, shape, dtype):
        return jax.random.rademacher(key, shape, dtype)

    @staticmethod
    def multivariate_normal(key, mean, cov, shape, dtype, method):
        return jax.random.multivariate_normal(key, mean, cov, shape, dtype, method)

    @staticmethod
    def gamma(key, a, shape, dtype):
        return jax.random.gamma(key, a, shape, dtype)

    @staticmethod
    def beta(key, a, b, shape, dtype):
        return jax.random.beta(key, a, b, shape, dtype)

    @staticmethod
    def dirichlet(key, alpha, shape, dtype):
        return jax.random.dirichlet(key, alpha, shape, dtype)

    @staticmethod
    def poisson(key, lam, shape, dtype):
        return jax.random.poisson(key, lam, shape, dtype)

    @staticmethod
    def orthogonal(key, n, shape, dtype, m):
        return jax.random.orthogonal(key, n, shape, dtype, m=m)

    @staticmethod
    def multinomial(key, n, p, shape, dtype, unroll):
        return jax.random.multinomial(key, n, p, shape=shape, dtype=dtype, unroll=unroll)

    def __getattr__(self, name: str) -> Any:
        # the other samplers take jax.random's positional arguments unchanged (loggamma, binomial, chisquare, ...)
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(jax.random, name)


SAMPLERS = JaxSamplers()
