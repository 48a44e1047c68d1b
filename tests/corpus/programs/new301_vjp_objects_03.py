# Source: jax-ml/jax docs/new_docs/301/vjp-objects.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Marking arguments not saveable: `saveable_args`
# Code cells at lines 32, 50, 68, 113, 154, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp
from jax import grad, jit
# %%
def fwd_and_bwd(f):
  def fwd(*args):
    return jax.vjp(f, *args)
  def bwd(f_vjp, y_bar):
    return f_vjp(y_bar)
  return jit(fwd), jit(bwd)
# %%
def layer(W, x):
  return jnp.tanh(x @ W)

fwd, bwd = fwd_and_bwd(layer)

W1, W2 = jnp.ones((3, 3)), 2. * jnp.ones((3, 3))
x0 = jnp.ones((2, 3))

# forward through two layers, then backward, on our own schedule:
x1, res1 = fwd(W1, x0)
x2, res2 = fwd(W2, x1)
dW2, dx1 = bwd(res2, jnp.ones_like(x2))
dW1, dx0 = bwd(res1, dx1)
# %%
y, f_vjp = jax.vjp(layer, W1, x0)
print(f_vjp.args_res)
# %%
print(len(jax.tree.leaves(f_vjp)))  # 3, not 4: W1 isn't part of the saved state
