# Source: jax-ml/jax docs/new_docs/201/control-flow.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: `while_loop`
# Code cells at lines 43, 247, 286, 294, unchanged (made by tools/make_corpus.py).
# %%
from jax import grad, jit
import jax.numpy as jnp
# %%
from jax import lax

operand = jnp.array([0.])
print(lax.cond(True, lambda x: x+1, lambda x: x-1, operand))
# --> array([1.], dtype=float32)
print(lax.cond(False, lambda x: x+1, lambda x: x-1, operand))
# --> array([-1.], dtype=float32)
# %%
def while_loop(cond_fun, body_fun, init_val):
  val = init_val
  while cond_fun(val):
    val = body_fun(val)
  return val
# %%
init_val = 0
cond_fun = lambda x: x < 10
body_fun = lambda x: x + 1
lax.while_loop(cond_fun, body_fun, init_val)
# --> array(10, dtype=int32)
