# Source: jax-ml/jax docs/new_docs/101/transformations.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Choosing which axes to map with `in_axes` and `out_axes`
# Code cells at lines 53, 188, 203, 244, 257, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp

grad_tanh = jax.grad(jnp.tanh)
print(grad_tanh(2.0))
# %%
x = jnp.arange(5.0)
w = jnp.array([2., 3., 4.])

def convolve(x, w):
  output = []
  for i in range(1, len(x) - 1):
    output.append(jnp.dot(x[i-1:i+2], w))
  return jnp.array(output)

convolve(x, w)
# %%
xs = jnp.stack([x, x])
ws = jnp.stack([w, w])
# %%
auto_batch_convolve_v2 = jax.vmap(convolve, in_axes=1, out_axes=1)

xst = jnp.transpose(xs)
wst = jnp.transpose(ws)

auto_batch_convolve_v2(xst, wst)
# %%
batch_convolve_v3 = jax.vmap(convolve, in_axes=[0, None])

batch_convolve_v3(xs, w)
