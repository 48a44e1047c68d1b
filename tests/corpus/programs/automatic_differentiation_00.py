# Source: jax-ml/jax docs/automatic-differentiation.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: 1. Taking gradients with `jax.grad`
# Code cells at lines 39, 52, 61, 80, 99, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp
from jax import grad

grad_tanh = grad(jnp.tanh)
print(grad_tanh(2.0))
# %%
print(grad(grad(jnp.tanh))(2.0))
print(grad(grad(grad(jnp.tanh)))(2.0))
# %%
f = lambda x: x**3 + 2*x**2 - 3*x + 1

dfdx = jax.grad(f)
# %%
d2fdx = jax.grad(dfdx)
d3fdx = jax.grad(d2fdx)
d4fdx = jax.grad(d3fdx)
# %%
print(dfdx(1.))
print(d2fdx(1.))
print(d3fdx(1.))
print(d4fdx(1.))
