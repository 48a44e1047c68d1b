# Source: jax-ml/jax docs/new_docs/301/cookbook.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Holomorphic functions and `grad(f, holomorphic=True)`
# Code cells at lines 32, 400, 854, 864, 874, unchanged (made by tools/make_corpus.py).
# %%
import jax.numpy as jnp
from jax import grad, jit, vmap
from jax import random

key = random.key(0)
# %%
from jax import jvp, grad

# forward-over-reverse
def hvp(f, primals, tangents):
  return jvp(grad(f), primals, tangents)[1]
# %%
print(grad(jnp.sin, holomorphic=True)(3. + 4j))
print(jnp.cos(3. + 4j))
# %%
def f(z):
  return jnp.conjugate(z)   # not holomorphic!

grad(f, holomorphic=True)(3. + 4j)
# %%
A = jnp.array([[5.,    2.+3j,    5j],
              [2.-3j,   7.,  1.+7j],
              [-5j,  1.-7j,    12.]])

def f(X):
    L = jnp.linalg.cholesky(X)
    return jnp.sum((L - jnp.sin(L))**2)

grad(f, holomorphic=True)(A)
