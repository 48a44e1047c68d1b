"""Debugging inside transformations (``jax.debug``)."""

from portax._src.debug import callback as callback, print as print
