# Source: jax-ml/jax docs/new_docs/101/state.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: The problem with untraceable state
# Code cells at lines 44, unchanged (made by tools/make_corpus.py).
# %%
import jax
import jax.numpy as jnp

class Counter:
  """A simple counter."""

  def __init__(self):
    self.n = 0

  def count(self) -> int:
    """Increments the counter and returns the new value."""
    self.n += 1
    return self.n

counter = Counter()

for _ in range(3):
  print(counter.count())
