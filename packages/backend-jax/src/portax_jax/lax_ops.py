"""The ``lax_module`` hook of the JAX backend: native kernels of ``portax.lax`` (``jax.lax`` itself)."""

from portax_jax.lax_conv import (  # noqa: F401
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
