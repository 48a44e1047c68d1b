# Source: jax-ml/jax docs/notebooks/thinking_in_jax.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Just-in-time compilation with `jax.jit`
# Code cells at lines 87, 232, 243, 250, 267, unchanged (made by tools/make_corpus.py).
# %%
import numpy as np
import jax.numpy as jnp

x_np = np.linspace(0, 10, 1000)
x_jnp = jnp.linspace(0, 10, 1000)
# %%
import jax.numpy as jnp

def norm(X):
  X = X - X.mean(0)
  return X / X.std(0)
# %%
from jax import jit
norm_compiled = jit(norm)
# %%
np.random.seed(1701)
X = jnp.array(np.random.rand(10000, 10))
np.allclose(norm(X), norm_compiled(X), atol=1E-6)
# %%
def get_negatives(x):
  return x[x < 0]

x = jnp.array(np.random.randn(10))
get_negatives(x)
