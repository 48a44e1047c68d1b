# Source: jax-ml/jax docs/new_docs/201/jit.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Strategy 2: marking `self` as static
# Code cells at lines 55 (its % magic lines removed), 390, 412, 420, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp

def selu(x, alpha=1.67, lambda_=1.05):
  return lambda_ * jnp.where(x > 0, x, alpha * jnp.exp(x) - alpha)

x = jnp.arange(1000000)
# %%
class CustomClass:
  def __init__(self, x: jax.Array, mul: bool):
    self.x = x
    self.mul = mul

  # WARNING: broken, as we'll see below. Don't copy & paste!
  @jax.jit(static_argnums=0)
  def calc(self, y):
    if self.mul:
      return self.x * y
    return y

c = CustomClass(2, True)
print(c.calc(3))
# %%
c.mul = False
print(c.calc(3))  # Should print 3... but the cache doesn't know mul changed
# %%
class CustomClass:
  def __init__(self, x: jax.Array, mul: bool):
    self.x = x
    self.mul = mul

  @jax.jit(static_argnums=0)
  def calc(self, y):
    if self.mul:
      return self.x * y
    return y

  def __hash__(self):
    return hash((self.x, self.mul))

  def __eq__(self, other):
    return (isinstance(other, CustomClass) and
            (self.x, self.mul) == (other.x, other.mul))
