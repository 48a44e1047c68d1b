"""Typos and misuse that mypy must report: each line marked ``# error`` must get an error on that line."""

from __future__ import annotations

import portax as jax
import portax.numpy as jnp
from portax import Array

x = jnp.sin(jnp.ones(3))
y = jnp.sinn(x)  # error
g = jax.gradd(lambda v: v)  # error
d = jnp.flaot32  # error
r = jax.randomm  # error

def f(a: Array) -> Array:
    return a.summ()  # error

def g2(a: Array) -> int:
    return a.shape  # error

n: str = x.ndim  # error
m = jnp.sin(x).summ()  # error
