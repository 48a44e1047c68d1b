# Source: jax-ml/jax docs/random-numbers.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Explicit random state
# Code cells at lines 132, 149, 161, 186, 193, unchanged (made by tools/make_corpus.py).
# %%
from jax import random

key = random.key(42)
print(key)
# %%
print(random.normal(key))
print(random.normal(key))
# %%
for i in range(3):
  new_key, subkey = random.split(key)
  del key  # The old key is consumed by split() -- we must never use it again.

  val = random.normal(subkey)
  del subkey  # The subkey is consumed by normal().

  print(f"draw {i}: {val}")
  key = new_key  # new_key is safe to use in the next iteration.
# %%
key, subkey = random.split(key)
# %%
key, *forty_two_subkeys = random.split(key, num=43)
