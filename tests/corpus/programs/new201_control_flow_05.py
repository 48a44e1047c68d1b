# Source: jax-ml/jax docs/new_docs/201/control-flow.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Logical operators
# Code cells at lines 43, 377, 396, unchanged (made by tools/make_corpus.py).
# %%
from jax import grad, jit
import jax.numpy as jnp
# %%
def python_check_positive_even(x):
  is_even = x % 2 == 0
  # `and` short-circuits, so when `is_even` is `False`, `x > 0` is not evaluated.
  return is_even and (x > 0)

@jit
def jax_check_positive_even(x):
  is_even = x % 2 == 0
  # `logical_and` does not short circuit, so `x > 0` is always evaluated.
  return jnp.logical_and(is_even, x > 0)

print(python_check_positive_even(24))
print(jax_check_positive_even(24))
# %%
x = jnp.array([-1, 2, 5])
print(jax_check_positive_even(x))
