# Source: jax-ml/jax docs/new_docs/101/random.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Deriving new keys
# Code cells at lines 72, 113, 121, 131, unchanged (made by tools/make_corpus.py).
# %%
import jax
from jax import random

key = random.key(42)
key
# %%
key = random.key(42)
key, subkey = random.split(key)
print(random.normal(subkey))
# %%
key = random.key(42)
subkeys = random.split(key, num=4)
[float(random.normal(k)) for k in subkeys]
# %%
key = random.key(42)
for step in range(3):
  step_key = random.fold_in(key, step)
  print(f"step {step}: {random.normal(step_key)}")
