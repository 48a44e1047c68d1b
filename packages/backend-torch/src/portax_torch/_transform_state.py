"""Per-thread state of portax's transformations on torch, shared by ``transforms`` and ``tensor_methods``."""

from __future__ import annotations

import threading


class _TransformState(threading.local):
    """Per thread: how many portax transformations (grad, jvp, vjp, vmap, ... on torch) are running a user function."""

    depth = 0


#: Set by ``portax_torch.transforms`` around the user function of each portax transformation (not while dynamo
#: traces): ``tensor_methods``' refusal of ``float(x)`` for traced tensors applies there only, so a plain
#: ``torch.func.grad`` program keeps torch's meaning of ``float(x)`` while portax-torch is loaded.
TRANSFORM_STATE = _TransformState()
