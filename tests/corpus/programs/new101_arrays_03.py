# Source: jax-ml/jax docs/new_docs/101/arrays.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Indexing differences
# Code cells at lines 41, 173, 180, 200, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp
import numpy as np
# %%
x = jnp.arange(10)
x[11]  # clamped to x[9]
# %%
x.at[11].set(99)  # update is dropped
# %%
jnp.sum(jnp.array([1, 2, 3]))
