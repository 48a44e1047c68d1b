# Source: jax-ml/jax docs/new_docs/101/arrays.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: From NumPy to JAX
# Code cells at lines 41, 50, 61, 72, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp
import numpy as np
# %%
x = jnp.arange(9.0).reshape(3, 3)
y = jnp.ones(3)

print(x @ y)
print(x.sum(axis=0))
print(x[1, :2])
# %%
isinstance(x, jax.Array)
# %%
print(jax.typeof(x))
