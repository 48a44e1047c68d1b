# Source: jax-ml/jax docs/new_docs/201/jit.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Strategy 1: a jitted helper function
# Code cells at lines 55 (its % magic lines removed), 363, unchanged (made by tools/make_corpus.py).
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

  def calc(self, y):
    return _calc(self.mul, self.x, y)

@jax.jit(static_argnums=0)
def _calc(mul, x, y):
  if mul:
    return x * y
  return y

c = CustomClass(2, True)
print(c.calc(3))
