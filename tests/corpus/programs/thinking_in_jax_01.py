# Source: jax-ml/jax docs/notebooks/thinking_in_jax.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Array creation
# Code cells at lines 184, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp

x = jnp.arange(5)
isinstance(x, jax.Array)
