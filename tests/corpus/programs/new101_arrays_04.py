# Source: jax-ml/jax docs/new_docs/101/arrays.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Under the hood: `jax.numpy`, `jax.lax`, and XLA
# Code cells at lines 41, 229, 247, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp
import numpy as np
# %%
def sin(x):
  x = jnp.asarray(x)                            # accept built-in Python numbers
  if not jnp.issubdtype(x.dtype, jnp.inexact):
    x = x.astype(float)                         # promote integers to floating point
  return lax.sin(x)
# %%
jnp.add(1, 1.0)
