# Source: jax-ml/jax docs/notebooks/Common_Gotchas_in_JAX.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Strategy 1: JIT-compiled helper function
# Code cells at lines 296, 329, 347, unchanged (made by tools/make_corpus.py).
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
class CustomClass:
  def __init__(self, x: jnp.ndarray, mul: bool):
    self.x = x
    self.mul = mul

  def calc(self, y):
    return _calc(self.mul, self.x, y)

@jit(static_argnums=0)
def _calc(mul, x, y):
  if mul:
    return x * y
  return y
# %%
c = CustomClass(2, True)
print(c.calc(3))
