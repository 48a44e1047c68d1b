# Source: jax-ml/jax docs/new_docs/201/control-flow.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: `cond`
# Code cells at lines 43, 239, 247, unchanged (made by tools/make_corpus.py).
# %%
from jax import grad, jit
import jax.numpy as jnp
# %%
def cond(pred, true_fun, false_fun, operand):
  if pred:
    return true_fun(operand)
  else:
    return false_fun(operand)
# %%
from jax import lax

operand = jnp.array([0.])
print(lax.cond(True, lambda x: x+1, lambda x: x-1, operand))
# --> array([1.], dtype=float32)
print(lax.cond(False, lambda x: x+1, lambda x: x-1, operand))
# --> array([-1.], dtype=float32)
