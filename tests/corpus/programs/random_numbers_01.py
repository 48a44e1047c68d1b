# Source: jax-ml/jax docs/random-numbers.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Random numbers in JAX
# Code cells at lines 108, unchanged (made by tools/make_corpus.py).
# %%
import numpy as np

np.random.seed(0)

def bar(): return np.random.uniform()
def baz(): return np.random.uniform()

def foo(): return bar() + 2 * baz()

print(foo())
