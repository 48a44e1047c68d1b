# Source: jax-ml/jax docs/notebooks/Common_Gotchas_in_JAX.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: 🔪 Non-array inputs: NumPy vs. JAX
# Code cells at lines 32, 531, 556, 584, unchanged (made by tools/make_corpus.py).
# %%
import numpy as np
from jax import jit
from jax import lax
from jax import random
import jax
import jax.numpy as jnp
# %%
np.sum([1, 2, 3])
# %%
def permissive_sum(x):
  return jnp.sum(jnp.array(x))

x = list(range(10))
permissive_sum(x)
# %%
jnp.sum(jnp.array(x))
