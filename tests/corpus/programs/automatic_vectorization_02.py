# Source: jax-ml/jax docs/automatic-vectorization.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Combining transformations
# Code cells at lines 28, 46, 85, 116, 126, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp

x = jnp.arange(5)
w = jnp.array([2., 3., 4.])

def convolve(x, w):
  output = []
  for i in range(1, len(x)-1):
    output.append(jnp.dot(x[i-1:i+2], w))
  return jnp.array(output)

convolve(x, w)
# %%
xs = jnp.stack([x, x])
ws = jnp.stack([w, w])
# %%
auto_batch_convolve = jax.vmap(convolve)

auto_batch_convolve(xs, ws)
# %%
jitted_batch_convolve = jax.jit(auto_batch_convolve)

jitted_batch_convolve(xs, ws)
# %%
def pairwise(f, xs):
  return jax.vmap(lambda x: jax.vmap(lambda y: f(x, y))(xs))(xs)
