# Source: jax-ml/jax docs/notebooks/thinking_in_jax.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: JAX vs. NumPy
# Code cells at lines 65, 87, 98, 105, 118, unchanged (made by tools/make_corpus.py).
# %%
import jax.numpy as jnp
# %%
import numpy as np
import jax.numpy as jnp

x_np = np.linspace(0, 10, 1000)
x_jnp = jnp.linspace(0, 10, 1000)
# %%
type(x_np)
# %%
type(x_jnp)
# %%
# NumPy: mutable arrays
x = np.arange(10)
x[0] = 10
print(x)
