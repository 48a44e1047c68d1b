# Source: jax-ml/jax docs/new_docs/101/transformations.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Where `jit` fits in
# Code cells at lines 53, 539, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp

grad_tanh = jax.grad(jnp.tanh)
print(grad_tanh(2.0))
# %%
@jax.jit          # equivalent to sum_sq = jax.jit(sum_sq)
def sum_sq(x):
  return jnp.sum(x ** 2)

sum_sq(jnp.arange(3.0))
