"""The seed guide's workflows, written once against ``portax`` exactly as the guide writes them against ``jax``.

Each workflow is one function decorated with :func:`workflow`: it takes no arguments, builds its inputs with
``jnp`` (so they land on whichever backend is current) and returns its results as a pytree (a dict) of arrays.
``examples/demo.py`` runs every workflow on every installed backend and compares the results. Adding a workflow
(grad, jit, vmap, pmap, random, control flow, an MLP) is one more decorated function here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import portax
import portax.numpy as jnp
import portax.random as random
from portax.errors import UnsupportedError

# Inputs are plain Python numbers, so every backend starts from bit-identical float32 values.
X_DATA = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-2.0, 1.0, 0.5], [0.1, 0.2, 0.3]]
Y_DATA = [1.0, -0.5, 0.25, 2.0]


@dataclass(frozen=True)
class Workflow:
    name: str
    source: str  # where in the seed guide it comes from
    run: Callable[[], dict[str, Any]]
    exact: bool = False  # results must be bit-identical across backends (the PRNG)
    rtol: float = 1e-5  # float32 agreement: |a - b| <= atol + rtol * |b|
    atol: float = 1e-6


WORKFLOWS: list[Workflow] = []


def workflow(
    name: str, source: str, **options: Any
) -> Callable[[Callable[[], dict[str, Any]]], Callable[[], dict[str, Any]]]:
    """Register ``run`` (no arguments, returns a dict of arrays) as a demo workflow (``options``: exact, rtol, atol)."""

    def register(run: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
        WORKFLOWS.append(Workflow(name, source, run, **options))
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


# -- transformations (issue 3) -------------------------------------------------------------------------------------
# Transformed functions are built once at import (portax.jit compiles per backend on first use and caches), so the
# demo's repeated timing runs measure calls, not compiles.


def f(x):
    return jnp.sin(x) + x**2


df_dx = portax.grad(f)
f_fast = portax.jit(f)


batched_df_dx = portax.jit(portax.vmap(df_dx))


@workflow("grad(f)(2.0), jit(f)(2.0)", "Basic Pattern: differentiate and compile")
def differentiate_and_jit() -> dict[str, Any]:
    return {"grad(f)(2.0)": df_dx(2.0), "jit(f)(2.0)": f_fast(2.0), "jit(vmap(grad(f)))": batched_df_dx(
        jnp.linspace(-2.0, 2.0, 5))}


def mse(params, x, y):
    pred = jnp.dot(x, params)
    return jnp.mean((pred - y) ** 2)


@workflow("MSE gradient and Hessian", "Grad (Differentiation): grad and hessian of the MSE")
def mse_grad_hessian() -> dict[str, Any]:
    params, x, y = jnp.asarray([0.3, -0.2, 0.8]), jnp.asarray(X_DATA), jnp.asarray(Y_DATA)
    return {"grad": portax.grad(mse)(params, x, y), "hessian": portax.hessian(mse)(params, x, y)}


def system_dynamics(state, t):
    x, v = state
    dxdt = v
    dvdt = -0.5 * x
    return jnp.array([dxdt, dvdt])


def ode_loss(initial_state, target_x):
    state = initial_state
    dt = 0.1
    for i in range(10):
        state += system_dynamics(state, i * dt) * dt  # the guide's in-place update: safe inside a transformation
    return (state[0] - target_x) ** 2


ode_value_and_grad = portax.jit(portax.value_and_grad(ode_loss))


@workflow("optimize the ODE's initial state", "Differentiable Physics: gradient descent on the initial state")
def ode_optimize() -> dict[str, Any]:
    state, target = jnp.asarray([1.0, 0.0]), jnp.asarray(0.5)
    initial = state
    first = None
    for _ in range(40):
        loss, g = ode_value_and_grad(state, target)
        first = loss if first is None else first
        state = state - 0.5 * g
    # The final loss through the transformed function too: called eagerly, outside any transformation, the
    # guide's `state += ...` would update a torch tensor in place (JAX arrays are immutable).
    return {"first loss": first, "final loss": ode_value_and_grad(state, target)[0], "optimized state": state,
            "initial_state (unchanged)": initial}


def simulation(param):
    return jnp.sum(jnp.linspace(0, param, 100))


sweep = portax.vmap(simulation)
fast_sweep = portax.jit(sweep)


@workflow("vmap(simulation)(params)", "Parameter Sweep: vmap over 100 parameters")
def vmap_sweep() -> dict[str, Any]:
    params = jnp.linspace(0.1, 10.0, 100)
    return {"results": sweep(params), "jit(vmap)": fast_sweep(params),
            "grad of the sweep": portax.grad(lambda p: portax.vmap(simulation)(p).sum())(params)}


@workflow("key, subkey = random.split(key)", "Random Numbers: explicit keys (bit-identical)", exact=True)
def prng() -> dict[str, Any]:
    key = random.PRNGKey(0)
    key, subkey = random.split(key)
    normal = random.normal(subkey, (4,))
    key, subkey = random.split(key)
    uniform = random.uniform(subkey, (3, 2))
    return {"key": random.key_data(key) if hasattr(random, "key_data") else key, "normal": normal,
            "uniform": uniform, "split into 3": random.split(random.PRNGKey(42), 3)}


@workflow("grad of the dict predict", "Working with PyTrees: grad with respect to a dict of parameters")
def pytree_grad() -> dict[str, Any]:
    params = {"weights": jnp.asarray([0.5, -1.0, 0.25]), "bias": jnp.asarray(0.1)}

    def predict(p, x):
        return jnp.dot(x, p["weights"]) + p["bias"]

    def loss(p, x, y):
        return jnp.mean((predict(p, x) - y) ** 2)

    grads = portax.grad(loss)(params, jnp.asarray(X_DATA), jnp.asarray(Y_DATA))
    return {f"d loss / d {name}": value for name, value in grads.items()}


@functools.cache
def _normalize_across_devices() -> Callable[..., Any]:
    return portax.pmap(lambda row: row / portax.lax.psum(row.sum(), "devices"), axis_name="devices")


@workflow("pmap with psum", "Parallelism: pmap across devices (virtual CPU devices here)")
def pmap_psum() -> dict[str, Any]:
    if not hasattr(portax, "pmap"):
        raise UnsupportedError("portax", "pmap", "not built yet")
    n = portax.local_device_count()
    x = jnp.arange(4.0 * n).reshape(n, 4)
    normalized = _normalize_across_devices()(x)
    # Fold the device axis out of the comparison: backends may see different device counts.
    return {"sum of normalized rows": normalized.sum(), "rows": jnp.asarray(n * 1.0)}


@workflow("lax.cond / fori_loop", "Control Flow: cond and fori_loop under jit and grad")
def control_flow() -> dict[str, Any]:
    lax = portax.lax
    if not (hasattr(lax, "cond") and hasattr(lax, "fori_loop")):
        raise UnsupportedError("portax", "portax.lax.cond/fori_loop", "not built yet")
    state = jnp.asarray([1.0, 0.0])
    # jit(grad) rather than eager grad: eager grad of a loop re-traces it on every call on JAX (~0.3-0.7 s here).
    return {"loss": _jitted_loop_loss()(state), "grad": _jitted_loop_grad()(state)}


def _loop_loss(state):
    lax = portax.lax
    state = lax.fori_loop(0, 100, lambda i, s: s + jnp.stack([s[1], -0.5 * s[0]]) * 0.01, state)
    return lax.cond(state[0] > 0, lambda s: s[0] ** 2, lambda s: -s[0], state)


@functools.cache
def _jitted_loop_loss() -> Callable[..., Any]:
    return portax.jit(_loop_loss)


@functools.cache
def _jitted_loop_grad() -> Callable[..., Any]:
    return portax.jit(portax.grad(_loop_loss))


@workflow("MLP on sin(x), 200 SGD steps", "examples/mlp.py: a small MLP trained to convergence", rtol=1e-3, atol=2e-5)
def mlp_training() -> dict[str, Any]:
    from mlp import train

    return train(steps=200)
