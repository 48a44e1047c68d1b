# Source: jax-ml/jax docs/random-numbers.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Random numbers in NumPy
# Code cells at lines 38, 88, unchanged (made by tools/make_corpus.py).
# %%
import numpy as np
np.random.seed(0)
# %%
np.random.seed(0)
print("individually:", np.stack([np.random.uniform() for _ in range(3)]))

np.random.seed(0)
print("all at once: ", np.random.uniform(size=3))
