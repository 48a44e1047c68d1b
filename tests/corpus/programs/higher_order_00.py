# Source: jax-ml/jax docs/higher-order.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Taking gradients (part 2)
# Code cells at lines 32, 43, unchanged (made by tools/make_corpus.py).
# %%
import jax

def hessian(f):
  return jax.jacfwd(jax.grad(f))
# %%
import jax.numpy as jnp

def f(x):
  return jnp.dot(x, x)

hessian(f)(jnp.array([1., 2., 3.]))
