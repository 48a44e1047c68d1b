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


# -- gather/scatter: portax's dimension-number tuples and modes become jax.lax's own ---------------------------------


def _gather_numbers(numbers: Any) -> Any:
    return numbers if isinstance(numbers, _lax.GatherDimensionNumbers) else _lax.GatherDimensionNumbers(*numbers)


def _scatter_numbers(numbers: Any) -> Any:
    return numbers if isinstance(numbers, _lax.ScatterDimensionNumbers) else _lax.ScatterDimensionNumbers(*numbers)


def _mode(mode: Any) -> Any:
    name = getattr(mode, "name", None)
    return _lax.GatherScatterMode[name] if isinstance(name, str) else mode


def gather(operand: Any, start_indices: Any, dimension_numbers: Any, slice_sizes: Any, *, mode: Any = None,
           **kwargs: Any) -> Any:
    return _lax.gather(operand, start_indices, _gather_numbers(dimension_numbers), slice_sizes, mode=_mode(mode),
                       **kwargs)


def _scatter_kernel(name: str) -> Any:
    function = getattr(_lax, name)

    def kernel(operand: Any, scatter_indices: Any, updates: Any, dimension_numbers: Any, *, mode: Any = None,
               **kwargs: Any) -> Any:
        return function(operand, scatter_indices, updates, _scatter_numbers(dimension_numbers), mode=_mode(mode),
                        **kwargs)

    kernel.__name__ = name
    return kernel


scatter = _scatter_kernel("scatter")
scatter_add = _scatter_kernel("scatter_add")
scatter_sub = _scatter_kernel("scatter_sub")
scatter_mul = _scatter_kernel("scatter_mul")
scatter_min = _scatter_kernel("scatter_min")
scatter_max = _scatter_kernel("scatter_max")
scatter_apply = _scatter_kernel("scatter_apply")  # its third argument is the function, passed through
