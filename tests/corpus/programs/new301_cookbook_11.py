# Source: jax-ml/jax docs/new_docs/301/cookbook.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: `grad` at complex inputs: mind the conjugate
# Code cells at lines 32, 400, 765, unchanged (made by tools/make_corpus.py).
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
def f(z):
  x, y = jnp.real(z), jnp.imag(z)
  return x**2 + y**2      # |z|^2, minimized at z = 0

print(grad(f)(3. + 4j))   # 6 - 8j: conjugate of the steepest-ascent 6 + 8j
