"""Per-call cost of eager ops and a jitted call on torch with and without the jax.Array names portax adds to Tensor.

Usage: python tools/bench_tensor_methods.py   (min of 5 x 2000 calls, 6 alternating rounds; robust to a busy machine)
"""

import timeit

import portax
import portax.numpy as pnp
import torch
from portax_torch import tensor_methods as tm

portax.set_backend("torch")
x = pnp.ones(8)
portax.config.update("torch_compile_backend", "inductor")
f = portax.jit(lambda v: v + 1.0)
f(x)


def remove():
    for n in tm.JAX_ONLY_NAMES:
        if n in vars(torch.Tensor):
            delattr(torch.Tensor, n)


cases = {"pnp.sin(x)": lambda: pnp.sin(x), "pnp.sum(x)": lambda: pnp.sum(x), "x + 1.0": lambda: x + 1.0, "x.sum()": lambda: x.sum(), "jit trivial": lambda: f(x)}
res = {k: {True: [], False: []} for k in cases}
for _round in range(6):
    for installed in (False, True):
        remove()
        if installed:
            tm.install()
        for k, fn in cases.items():
            res[k][installed].append(min(timeit.repeat(fn, number=2000, repeat=5)) / 2000 * 1e6)
for k in cases:
    print(f"{k:14s} without {min(res[k][False]):6.2f} us   with {min(res[k][True]):6.2f} us")
