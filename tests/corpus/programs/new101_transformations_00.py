# Source: jax-ml/jax docs/new_docs/101/transformations.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Automatic differentiation with `jax.grad`
# Code cells at lines 53, 68, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp

grad_tanh = jax.grad(jnp.tanh)
print(grad_tanh(2.0))
# %%
f = lambda x: x**3 + 2*x**2 - 3*x + 1

dfdx = jax.grad(f)
d2fdx = jax.grad(dfdx)
d3fdx = jax.grad(d2fdx)

print(dfdx(1.0))   # 3x² + 4x - 3  evaluated at 1, i.e. 4
print(d2fdx(1.0))  # 6x + 4        evaluated at 1, i.e. 10
print(d3fdx(1.0))  # 6
