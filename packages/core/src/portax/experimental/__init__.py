"""JAX's ``jax.experimental`` modules that tutorials import and portax provides: ``portax.experimental.ode``."""
