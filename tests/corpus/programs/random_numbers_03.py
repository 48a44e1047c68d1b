# Source: jax-ml/jax docs/random-numbers.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Lack of sequential equivalence
# Code cells at lines 108, 132, 206, 220, unchanged (made by tools/make_corpus.py).
# %%
import numpy as np

np.random.seed(0)

def bar(): return np.random.uniform()
def baz(): return np.random.uniform()

def foo(): return bar() + 2 * baz()

print(foo())
# %%
from jax import random

key = random.key(42)
print(key)
# %%
key = random.key(42)
subkeys = random.split(key, 3)
sequence = np.stack([random.normal(subkey) for subkey in subkeys])
print("individually:", sequence)

key = random.key(42)
print("all at once: ", random.normal(key, shape=(3,)))
# %%
import jax
print("vectorized:", jax.vmap(random.normal)(subkeys))
