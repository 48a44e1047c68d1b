# Source: jax-ml/jax docs/new_docs/101/random.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Keys are values
# Code cells at lines 72, 84, 91, unchanged (made by tools/make_corpus.py).
# %%
import jax
from jax import random

key = random.key(42)
key
# %%
print(jax.typeof(key))
# %%
print(random.normal(key))
print(random.normal(key))  # same key, same value — necessarily
