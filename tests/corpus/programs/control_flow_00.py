# Source: jax-ml/jax docs/control-flow.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Control flow and logical operators with JIT
# Code cells at lines 27, 36, 53, 114, unchanged (made by tools/make_corpus.py).
# %%
from jax import grad, jit
import jax.numpy as jnp
# %%
@jit
def f(x):
  for i in range(3):
    x = 2 * x
  return x

print(f(3))
# %%
@jit
def g(x):
  y = 0.
  for i in range(x.shape[0]):
    y = y + x[i]
  return y

print(g(jnp.array([1., 2., 3.])))
# %%
def f(x):
  if x < 3:
    return 3. * x ** 2
  else:
    return -4 * x

f = jit(f, static_argnames='x')

print(f(2.))
