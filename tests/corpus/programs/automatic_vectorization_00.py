# Source: jax-ml/jax docs/automatic-vectorization.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Manual vectorization
# Code cells at lines 28, 46, 53, 69, unchanged (made by tools/make_corpus.py).
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
def manually_batched_convolve(xs, ws):
  output = []
  for i in range(xs.shape[0]):
    output.append(convolve(xs[i], ws[i]))
  return jnp.stack(output)

manually_batched_convolve(xs, ws)
# %%
def manually_vectorized_convolve(xs, ws):
  output = []
  for i in range(1, xs.shape[-1] -1):
    output.append(jnp.sum(xs[:, i-1:i+2] * ws, axis=1))
  return jnp.stack(output, axis=1)

manually_vectorized_convolve(xs, ws)
