# Source: jax-ml/jax docs/new_docs/101/random.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Why not a global generator?
# Code cells at lines 35, 46, unchanged (made by tools/make_corpus.py).
# %%
import numpy as np

np.random.seed(0)
print(np.random.uniform())
print(np.random.uniform())  # different: the hidden state advanced
# %%
np.random.seed(0)

def bar(): return np.random.uniform()
def baz(): return np.random.uniform()

def foo(): return bar() + 2 * baz()

print(foo())
