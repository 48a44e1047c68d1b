# Source: jax-ml/jax docs/new_docs/301/cookbook.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Stopping gradients
# Code cells at lines 32, 148, 172, unchanged (made by tools/make_corpus.py).
# %%
import jax.numpy as jnp
from jax import grad, jit, vmap
from jax import random

key = random.key(0)
# %%
from jax import lax

def value_fn(theta, state):
  return jnp.dot(theta, state)

def td_loss(theta, s_prev, r, s):
  v_prev = value_fn(theta, s_prev)
  target = r + value_fn(theta, s)
  return -0.5 * (lax.stop_gradient(target) - v_prev) ** 2

theta = jnp.array([0.1, -0.1, 0.])
s_prev, r, s = jnp.array([1., 2., -1.]), 1., jnp.array([2., 1., 0.])
print(grad(td_loss)(theta, s_prev, r, s))
# %%
def straight_through_round(x):
  return x + lax.stop_gradient(jnp.round(x) - x)

print(straight_through_round(1.7))        # rounds like round
print(grad(straight_through_round)(1.7))  # differentiates like the identity
