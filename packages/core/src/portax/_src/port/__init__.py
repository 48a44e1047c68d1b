"""``portax port``: translate JAX programs into portable portax form (see ``docs/porting-jax.md``)."""
