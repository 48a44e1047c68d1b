# Source: jax-ml/jax docs/control-flow.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Python control flow + autodiff
# Code cells at lines 27, 385, unchanged (made by tools/make_corpus.py).
# %%
from jax import grad, jit
import jax.numpy as jnp
# %%
def f(x):
  if x < 3:
    return 3. * x ** 2
  else:
    return -4 * x

print(grad(f)(2.))  # ok!
print(grad(f)(4.))  # ok!
