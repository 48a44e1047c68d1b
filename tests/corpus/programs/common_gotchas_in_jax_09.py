# Source: jax-ml/jax docs/notebooks/Common_Gotchas_in_JAX.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: 🔪 Out-of-bounds indexing
# Code cells at lines 32, 494, 505, 512, unchanged (made by tools/make_corpus.py).
# %%
import numpy as np
from jax import jit
from jax import lax
from jax import random
import jax
import jax.numpy as jnp
# %%
jnp.arange(10)[11]
# %%
jnp.arange(10.0).at[11].get()
# %%
jnp.arange(10.0).at[11].get(mode='fill', fill_value=jnp.nan)
