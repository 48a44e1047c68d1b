# Source: jax-ml/jax docs/new_docs/201/control-flow.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: `scan`
# Code cells at lines 43, 247, 331, 341, unchanged (made by tools/make_corpus.py).
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
def scan(f, init, xs):
  carry = init
  ys = []
  for x in xs:
    carry, y = f(carry, x)
    ys.append(y)
  return carry, np.stack(ys)
# %%
def cumsum_step(carry, x):
  new_carry = carry + x
  return new_carry, new_carry   # (next state, this step's output)

final, cumulative = lax.scan(cumsum_step, 0.0, jnp.arange(1., 5.))
print(final)
print(cumulative)
