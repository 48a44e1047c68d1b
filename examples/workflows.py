"""The seed guide's workflows, written once against ``portax`` exactly as the guide writes them against ``jax``.

Each workflow is one function decorated with :func:`workflow`: it takes no arguments, builds its inputs with
``jnp`` (so they land on whichever backend is current) and returns its results as a pytree (a dict) of arrays.
``examples/demo.py`` runs every workflow on every installed backend and compares the results. Adding a workflow
(grad, jit, vmap, pmap, random, control flow, an MLP) is one more decorated function here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import portax.numpy as jnp

# Inputs are plain Python numbers, so every backend starts from bit-identical float32 values.
X_DATA = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-2.0, 1.0, 0.5], [0.1, 0.2, 0.3]]
Y_DATA = [1.0, -0.5, 0.25, 2.0]


@dataclass(frozen=True)
class Workflow:
    name: str
    source: str  # where in the seed guide it comes from
    run: Callable[[], dict[str, Any]]


WORKFLOWS: list[Workflow] = []


def workflow(name: str, source: str) -> Callable[[Callable[[], dict[str, Any]]], Callable[[], dict[str, Any]]]:
    """Register ``run`` (no arguments, returns a dict of arrays) as a demo workflow."""

    def register(run: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
        WORKFLOWS.append(Workflow(name, source, run))
        return run

    return register


@workflow("f(x) = sin(x) + x**2", "Basic Pattern")
def pure_function() -> dict[str, Any]:
    def f(x):
        return jnp.sin(x) + x**2

    return {"f(linspace(-2, 2, 9))": f(jnp.linspace(-2.0, 2.0, 9)), "f(2.0)": f(jnp.asarray(2.0))}


@workflow("MSE loss", "Grad (Differentiation)")
def mse_loss() -> dict[str, Any]:
    def loss(params, x, y):
        pred = jnp.dot(x, params)
        return jnp.mean((pred - y) ** 2)

    params = jnp.asarray([0.3, -0.2, 0.8])
    return {"loss": loss(params, jnp.asarray(X_DATA), jnp.asarray(Y_DATA))}


@workflow("sum(linspace(0, param, 100))", "Parameter Sweep (one param at a time; vmap comes with transforms)")
def parameter_sweep() -> dict[str, Any]:
    def simulation(param):
        return jnp.sum(jnp.linspace(0, param, 100))

    return {f"param={p}": simulation(jnp.asarray(p)) for p in (1.0, 2.5, 10.0)}


@workflow("harmonic oscillator, 10 Euler steps", "Differentiable Physics (forward pass)")
def ode_forward() -> dict[str, Any]:
    def system_dynamics(state, t):
        x, v = state
        dxdt = v
        dvdt = -0.5 * x
        return jnp.array([dxdt, dvdt])

    def loss_fn(initial_state, target_x):
        state = initial_state
        dt = 0.1
        for i in range(10):
            # The guide writes ``state += ...``: on JAX that rebinds, on torch it would mutate the caller's array
            # outside a transform, so the portable spelling rebinds explicitly.
            state = state + system_dynamics(state, i * dt) * dt
        return (state[0] - target_x) ** 2

    initial_state = jnp.asarray([1.0, 0.0])
    return {"loss": loss_fn(initial_state, 0.5), "initial_state (unchanged)": initial_state}


@workflow(".at[] updates", "Critical Rules: x = x.at[idx].set(val)")
def at_updates() -> dict[str, Any]:
    x = jnp.zeros(5)
    y = jnp.at(x)[0].set(1.0)
    z = jnp.at(y)[jnp.asarray([1, 1, 3])].add(2.0)  # repeated indices accumulate, as in JAX
    return {"x (unchanged)": x, "x.at[0].set(1.0)": y, "y.at[[1, 1, 3]].add(2.0)": z}


@workflow("safe_divide with where", "Avoid Python Control Flow")
def safe_divide() -> dict[str, Any]:
    def safe_divide(x, y):
        return jnp.where(y == 0, 0.0, x / y)

    return {"safe_divide": safe_divide(jnp.asarray([1.0, 2.0, 3.0, -4.0]), jnp.asarray([2.0, 0.0, -1.5, 0.0]))}


@workflow("pytree dict predict", "Working with PyTrees")
def pytree_predict() -> dict[str, Any]:
    params = {"weights": jnp.asarray([0.5, -1.0, 0.25]), "bias": 0.1}

    def predict(p, x):
        return jnp.dot(x, p["weights"]) + p["bias"]

    return {"predict(batch)": predict(params, jnp.asarray(X_DATA)), "predict(one)": predict(params, jnp.asarray(X_DATA[0]))}
