"""``jit(vmap(grad(f)))`` called with a second input shape: on torch dynamo then marks sizes dynamic, which
torch.func's batching rules refuse ("SymIntArrayRef expected to contain only concrete integers"); portax compiles per
shape instead, as JAX does."""

from __future__ import annotations

import numpy as np
import portax


def _loss(x):
    y = x.at[0].set(x[1] * 2.0)
    return (y**2).sum()


def _expected(x: np.ndarray) -> np.ndarray:
    grads = 2 * x
    grads[:, 0] = 0.0
    grads[:, 1] = 10 * x[:, 1]  # y1 = x1 and y0 = 2 x1: d/dx1 (x1^2 + 4 x1^2)
    return grads


def test_jit_vmap_grad_with_at_on_a_second_shape(xp):
    per_example = portax.jit(portax.vmap(portax.grad(_loss)))
    rng = np.random.default_rng(0)
    for shape in [(3, 4), (5, 6)]:
        x = rng.standard_normal(shape).astype(np.float32)
        np.testing.assert_allclose(np.asarray(per_example(xp.asarray(x))), _expected(x), rtol=1e-5, atol=1e-6)
