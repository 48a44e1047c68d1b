# Source: jax-ml/jax docs/new_docs/201/jit.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Asynchronous dispatch
# Code cells at lines 55 (its % magic lines removed), 629, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp

def selu(x, alpha=1.67, lambda_=1.05):
  return lambda_ * jnp.where(x > 0, x, alpha * jnp.exp(x) - alpha)

x = jnp.arange(1000000)
# %%
import numpy as np
from jax import random

x = random.uniform(random.key(0), (1000, 1000))
jnp.dot(x, x) + 3.0
