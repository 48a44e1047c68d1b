"""The ``lax_module`` hook of the JAX backend: ``jax.lax``'s own functions, found by name (no extra cost), and the
kernels of ``portax_jax.lax_conv``."""

from __future__ import annotations

from typing import Any

import jax.lax as _lax

from portax_jax.lax_conv import (  # noqa: F401  (portax.lax's conv/dot/window/linalg kernels)
    conv_general_dilated,
    dot_general,
    image_resize,
    image_scale_and_translate,
    linalg_cholesky,
    linalg_eigh,
    linalg_lu,
    linalg_qr,
    linalg_svd,
    linalg_triangular_solve,
    reduce_window_add,
    reduce_window_max,
    reduce_window_min,
)


def __getattr__(name: str) -> Any:
    # portax.lax's primitives have jax.lax's names and signatures; a name jax.lax lacks is an AttributeError, which
    # portax reads as "no native kernel" and then runs its core formula.
    return getattr(_lax, name)

#: ``jax.lax``'s functions replace portax's whole primitives, checks included (see ``portax._src.lax_ops``).
WHOLE_PRIMITIVES = True
