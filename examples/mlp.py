"""A small MLP trained to convergence on a synthetic task (regress y = sin(x) on [-pi, pi]), written once with portax.

    python examples/mlp.py                 (every installed backend; prints the loss curve of each)
    python examples/mlp.py --backend torch

The data and the initial weights come from ``portax.random`` (bit-identical on every backend), the training step is
``jit(value_and_grad)`` with a plain SGD-with-momentum update on a pytree of parameters, so every backend runs the
same program on its own arrays and the losses agree step by step to float32 tolerance. ``examples/demo.py`` runs
:func:`train` as one of its workflows.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import portax
import portax.numpy as jnp
import portax.random as random

SIZES = (1, 32, 32, 1)
STEPS = 300
LEARNING_RATE = 0.02
MOMENTUM = 0.9
BATCH = 128


def init_params(key: Any, sizes: tuple[int, ...] = SIZES) -> list[dict[str, Any]]:
    """He-initialised weights and zero biases, one dict per layer (a pytree)."""
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=False):
        key, subkey = random.split(key)
        params.append(
            {"w": random.normal(subkey, (fan_in, fan_out)) * (2.0 / fan_in) ** 0.5, "b": jnp.zeros(fan_out)}
        )
    return params


def predict(params: list[dict[str, Any]], x: Any) -> Any:
    for layer in params[:-1]:
        x = jnp.tanh(x @ layer["w"] + layer["b"])
    return x @ params[-1]["w"] + params[-1]["b"]


def loss_fn(params: list[dict[str, Any]], x: Any, y: Any) -> Any:
    return jnp.mean((predict(params, x) - y) ** 2)


@portax.jit
def train_step(params: Any, velocity: Any, x: Any, y: Any) -> tuple[Any, Any, Any]:
    """One SGD-with-momentum step; returns the loss before the step, the new parameters and velocity."""
    loss, grads = portax.value_and_grad(loss_fn)(params, x, y)
    velocity = portax.tree.map(lambda v, g: MOMENTUM * v + g, velocity, grads)
    params = portax.tree.map(lambda p, v: p - LEARNING_RATE * v, params, velocity)
    return loss, params, velocity


def data(key: Any, n: int = BATCH) -> tuple[Any, Any]:
    x = random.uniform(key, (n, 1), minval=-jnp.pi, maxval=jnp.pi)
    return x, jnp.sin(x)


def train(steps: int = STEPS, seed: int = 0) -> dict[str, Any]:
    """Train on the current backend; returns the loss per step and the final test loss (arrays of that backend)."""
    key = random.PRNGKey(seed)
    key, init_key, data_key, test_key = random.split(key, 4)
    params = init_params(init_key)
    velocity = portax.tree.map(jnp.zeros_like, params)
    x, y = data(data_key)
    losses = []
    for _ in range(steps):
        loss, params, velocity = train_step(params, velocity, x, y)
        losses.append(loss)
    x_test, y_test = data(test_key, 256)
    return {"losses": jnp.stack(losses), "test loss": loss_fn(params, x_test, y_test)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", action="append", help="run only these backends (repeatable)")
    parser.add_argument("--steps", type=int, default=STEPS)
    args = parser.parse_args(argv)
    curves = {}
    for backend in args.backend or portax.backends():
        with portax.use_backend(backend):
            start = time.perf_counter()
            result = train(args.steps)
            seconds = time.perf_counter() - start
        losses = [float(v) for v in result["losses"]]
        curves[backend] = losses
        shown = ", ".join(f"{i}: {losses[i]:.4f}" for i in sorted({0, 10, 50, 100, len(losses) - 1}) if i < len(losses))
        print(f"{backend:6s} loss by step {shown}; test loss {float(result['test loss']):.5f} ({seconds:.1f} s incl. compile)")
    if len(curves) > 1:
        names = list(curves)
        worst = max(
            abs(a - b) / max(abs(b), 1e-6) for other in names[1:] for a, b in zip(curves[other], curves[names[0]], strict=True)
        )
        print(f"largest relative difference between backends' losses over {args.steps} steps: {worst:.2g}")
        return 0 if worst < 1e-3 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
