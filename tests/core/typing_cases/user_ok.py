"""Ordinary portax code a user writes: mypy must accept all of it (no false errors)."""

from __future__ import annotations

import portax
import portax as jax
import portax.numpy as jnp
from portax import Array


def predict(params: dict[str, Array], x: Array) -> Array:
    hidden = jnp.tanh(x @ params["w1"] + params["b1"])
    return hidden @ params["w2"]


def loss(params: dict[str, Array], x: Array, y: Array) -> Array:
    error = predict(params, x) - y
    return (error**2).mean() + 0.5 * jnp.sum(error) / error.shape[0]


def scale(x: Array, factor: float) -> Array:
    z = -x * factor + 1.0
    z = 2 * z / (1 + abs(z)) ** 2
    return z.reshape(-1).T[::2] if z.ndim > 1 else z


key = jax.random.PRNGKey(0)
key, sub = jax.random.split(key)
w = jax.random.normal(sub, (3, 4), dtype=jnp.float32)
params = {"w1": w, "b1": jnp.zeros(4), "w2": jnp.ones((4, 1))}
grads = jax.jit(jax.grad(loss))(params, jnp.ones((2, 3)), jnp.zeros((2, 1)))
total = jax.tree_util.tree_reduce(lambda a, b: a + jnp.sum(b), grads, 0.0)
batched = jax.vmap(scale, in_axes=(0, None))(jnp.ones((5, 2)), 3.0)
flag: bool = bool(jnp.all(batched > 0))
as_float: float = float(jnp.sum(batched))
shape: tuple[int, ...] = batched.shape
out = jax.lax.fori_loop(0, 3, lambda i, c: c * 2.0, jnp.ones(2))
updated = jnp.at(out)[0].set(5.0)
print(portax.backends(), total, flag, as_float, shape, updated, jnp.pi)
