"""Primitives of ``jax.lax`` (the public list; see ``portax._src.lax``)."""

from portax._src.lax import stop_gradient as stop_gradient
