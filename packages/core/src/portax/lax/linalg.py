"""Matrix factorizations of ``jax.lax.linalg`` (the public list)."""

from portax._src.lax_linalg import (
    cholesky as cholesky,
    eigh as eigh,
    lu as lu,
    qr as qr,
    svd as svd,
    triangular_solve as triangular_solve,
)
