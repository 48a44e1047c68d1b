# Source: jax-ml/jax docs/stateful-computations.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: A simple example: Counter
# Code cells at lines 39, 70, unchanged (made by tools/make_corpus.py).
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

  def reset(self):
    """Resets the counter to zero."""
    self.n = 0


counter = Counter()

for _ in range(3):
  print(counter.count())
# %%
counter.reset()
fast_count = jax.jit(counter.count)

for _ in range(3):
  print(fast_count())
