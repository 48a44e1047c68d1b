# Source: jax-ml/jax docs/random-numbers.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Random numbers in NumPy
# Code cells at lines 38, 47, 58, 69, 74, 81, unchanged (made by tools/make_corpus.py).
# %%
import numpy as np
np.random.seed(0)
# %%
print(np.random.random())
print(np.random.random())
print(np.random.random())
# %%
def print_truncated_random_state():
  """To avoid spamming the outputs, print only part of the state."""
  full_random_state = np.random.get_state()
  print(str(full_random_state)[:460], '...')

print_truncated_random_state()
# %%
np.random.seed(0)
print_truncated_random_state()
# %%
_ = np.random.uniform()
print_truncated_random_state()
# %%
np.random.seed(0)
print(np.random.uniform(size=3))
