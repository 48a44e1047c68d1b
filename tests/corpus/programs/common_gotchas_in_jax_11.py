# Source: jax-ml/jax docs/notebooks/Common_Gotchas_in_JAX.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: 🔪 Dynamic shapes
# Code cells at lines 32, 296, 612, 626, 652, unchanged (made by tools/make_corpus.py).
# %%
import numpy as np
from jax import jit
from jax import lax
from jax import random
import jax
import jax.numpy as jnp
# %%
import jax.numpy as jnp
from jax import jit

class CustomClass:
  def __init__(self, x: jnp.ndarray, mul: bool):
    self.x = x
    self.mul = mul

  @jit  # <---- How to do this correctly?
  def calc(self, y):
    if self.mul:
      return self.x * y
    return y
# %%
def nansum(x):
  mask = ~jnp.isnan(x)  # boolean mask selecting non-nan values
  x_without_nans = x[mask]
  return x_without_nans.sum()
# %%
x = jnp.array([1, 2, jnp.nan, 3, 4])
print(nansum(x))
# %%
@jax.jit
def nansum_2(x):
  mask = ~jnp.isnan(x)  # boolean mask selecting non-nan values
  return jnp.where(mask, x, 0).sum()

print(nansum_2(x))
