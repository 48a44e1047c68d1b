"""A small MLP classifier written only with portax.nn, portax.nn.initializers, portax.random and portax.tree_util.

It trains the same model from the same key on every installed backend and prints the loss of every step side by
side; the losses must agree step by step (float32 tolerance), which the script asserts. Run it with
``python examples/classifier.py`` (``--steps N`` to train longer).

Written as a JAX program: ``import portax as jax`` and the JAX spellings (``jax.nn.log_softmax``,
``jax.tree_util.tree_map``, ``jax.random.split``) throughout.
"""

from __future__ import annotations

import argparse
from typing import Any

import portax as jax
import portax.numpy as jnp

N_CLASSES, N_FEATURES, N_HIDDEN, N_POINTS = 3, 4, 16, 96
LEARNING_RATE = 0.5


def make_data(key: Any) -> tuple[Any, Any]:
    """Three Gaussian blobs in 4-d (the labels decide the blob's centre)."""
    key_labels, key_noise = jax.random.split(key)
    labels = jax.random.randint(key_labels, (N_POINTS,), 0, N_CLASSES)
    centres = 2.0 * jax.nn.one_hot(labels, N_FEATURES)
    features = centres + jax.random.normal(key_noise, (N_POINTS, N_FEATURES))
    return jax.nn.standardize(features, axis=0), labels


def init_params(key: Any) -> dict[str, Any]:
    k1, k2, k3 = jax.random.split(key, 3)
    return {
        "hidden": {"w": jax.nn.initializers.he_normal()(k1, (N_FEATURES, N_HIDDEN)), "b": jnp.zeros(N_HIDDEN)},
        "out": {"w": jax.nn.initializers.glorot_uniform()(k2, (N_HIDDEN, N_CLASSES)),
                "b": jax.nn.initializers.normal(0.01)(k3, (N_CLASSES,))},
    }


def loss_fn(params: dict[str, Any], features: Any, labels: Any) -> Any:
    hidden = jax.nn.gelu(features @ params["hidden"]["w"] + params["hidden"]["b"])
    logits = hidden @ params["out"]["w"] + params["out"]["b"]
    log_probs = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.sum(jax.nn.one_hot(labels, N_CLASSES) * log_probs, axis=-1))


@jax.jit
def train_step(params: dict[str, Any], features: Any, labels: Any) -> tuple[dict[str, Any], Any]:
    loss, grads = jax.value_and_grad(loss_fn)(params, features, labels)
    params = jax.tree_util.tree_map(lambda p, g: p - LEARNING_RATE * g, params, grads)
    return params, loss


def train(backend: str, steps: int) -> tuple[list[float], float]:
    """Losses of every step and the final training accuracy, on ``backend``."""
    with jax.use_backend(backend):
        key_data, key_init = jax.random.split(jax.random.key(0))
        features, labels = make_data(key_data)
        params = init_params(key_init)
        losses = []
        for _ in range(steps):
            params, loss = train_step(params, features, labels)
            losses.append(float(loss))
        hidden = jax.nn.gelu(features @ params["hidden"]["w"] + params["hidden"]["b"])
        predictions = jnp.argmax(hidden @ params["out"]["w"] + params["out"]["b"], axis=-1)
        accuracy = float(jnp.mean(jnp.astype(predictions == labels, jnp.float32)))
        return losses, accuracy


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args(argv)
    names = jax.backends()
    results = {name: train(name, args.steps) for name in names}
    print("step  " + "  ".join(f"{name:>12}" for name in names))
    for step in range(args.steps):
        print(f"{step:4d}  " + "  ".join(f"{results[name][0][step]:12.7f}" for name in names))
    print("acc   " + "  ".join(f"{results[name][1]:12.4f}" for name in names))
    reference = results[names[0]][0]
    for name in names[1:]:
        for step, (a, b) in enumerate(zip(reference, results[name][0], strict=True)):
            assert abs(a - b) <= 1e-4 + 1e-4 * abs(a), f"step {step}: {names[0]} loss {a} != {name} loss {b}"
    print(f"losses agree step by step on {', '.join(names)}")


if __name__ == "__main__":
    main()
