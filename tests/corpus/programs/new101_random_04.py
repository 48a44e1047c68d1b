# Source: jax-ml/jax docs/new_docs/101/random.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: No sequential equivalence
# Code cells at lines 35, 72, 183, 200, unchanged (made by tools/make_corpus.py).
# %%
import numpy as np

np.random.seed(0)
print(np.random.uniform())
print(np.random.uniform())  # different: the hidden state advanced
# %%
import jax
from jax import random

key = random.key(42)
key
# %%
key = random.key(42)
subkeys = random.split(key, 3)
print("individually:", np.stack([random.normal(k) for k in subkeys]))

key = random.key(42)
print("all at once: ", random.normal(key, shape=(3,)))
# %%
import jax
jax.vmap(random.normal)(subkeys)
