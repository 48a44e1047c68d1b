"""Debugging inside transformations (``jax.debug``): the public list; see ``portax._src.debug``."""

from portax._src.debug import callback as callback, print as print
