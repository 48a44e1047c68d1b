# Source: jax-ml/jax docs/new_docs/201/control-flow.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: `fori_loop`
# Code cells at lines 43, 247, 306, 314, unchanged (made by tools/make_corpus.py).
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
def fori_loop(start, stop, body_fun, init_val):
  val = init_val
  for i in range(start, stop):
    val = body_fun(i, val)
  return val
# %%
init_val = 0
start = 0
stop = 10
body_fun = lambda i, x: x + i
lax.fori_loop(start, stop, body_fun, init_val)
# --> array(45, dtype=int32)
