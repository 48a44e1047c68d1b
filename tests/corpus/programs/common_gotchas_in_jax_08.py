# Source: jax-ml/jax docs/notebooks/Common_Gotchas_in_JAX.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Strategy 3: Making `CustomClass` a PyTree
# Code cells at lines 296, 426, 455, 460, 465, unchanged (made by tools/make_corpus.py).
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

  @jit
  def calc(self, y):
    if self.mul:
      return self.x * y
    return y

  def _tree_flatten(self):
    children = (self.x,)  # arrays / dynamic values
    aux_data = {'mul': self.mul}  # static values
    return (children, aux_data)

  @classmethod
  def _tree_unflatten(cls, aux_data, children):
    return cls(*children, **aux_data)

from jax import tree_util
tree_util.register_pytree_node(CustomClass,
                               CustomClass._tree_flatten,
                               CustomClass._tree_unflatten)
# %%
c = CustomClass(2, True)
print(c.calc(3))
# %%
c.mul = False  # mutation is detected
print(c.calc(3))
# %%
c = CustomClass(jnp.array(2), True)  # non-hashable x is supported
print(c.calc(3))
