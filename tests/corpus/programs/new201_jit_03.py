# Source: jax-ml/jax docs/new_docs/201/jit.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Why can't we just jit everything?
# Code cells at lines 55 (its % magic lines removed), 167, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp

def selu(x, alpha=1.67, lambda_=1.05):
  return lambda_ * jnp.where(x > 0, x, alpha * jnp.exp(x) - alpha)

x = jnp.arange(1000000)
# %%
@jax.jit
def loop_body(prev_i):
  return prev_i + 1

def g_inner_jitted(x, n):
  i = 0
  while i < n:
    i = loop_body(i)
  return x + i

g_inner_jitted(10, 20)
