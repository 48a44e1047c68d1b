# Source: jax-ml/jax docs/new_docs/101/arrays.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: JAX arrays are immutable
# Code cells at lines 41, 50, 94, 112, 121, unchanged (made by tools/make_corpus.py).
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
x_np = np.arange(10)
x_np[0] = 10
print(x_np)
# %%
y = x.at[0].set(10)
print(x)  # unchanged
print(y)
# %%
print(x.at[3].add(100))
print(x.at[:3].max(5))
