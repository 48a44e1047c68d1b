"""Native paths of ``portax.scipy`` on JAX: ``jax.scipy`` itself (same numerics, same gradient rules)."""

from __future__ import annotations

from typing import Any

import jax.scipy.linalg as _linalg
import jax.scipy.special as _special
from jax.nn import softmax as softmax  # noqa: F401  (jax.nn.softmax has JAX's custom JVP)

erf = _special.erf
erfc = _special.erfc
erfinv = _special.erfinv
expit = _special.expit
logit = _special.logit
gammaln = _special.gammaln
digamma = _special.digamma
betaln = _special.betaln
ndtr = _special.ndtr
ndtri = _special.ndtri
log_ndtr = _special.log_ndtr
i0e = _special.i0e
i1e = _special.i1e
xlogy = _special.xlogy
xlog1py = _special.xlog1py
entr = _special.entr
logsumexp = _special.logsumexp

# -- linalg: jax.scipy.linalg as it is -----------------------------------------------------------------------------
cho_factor = _linalg.cho_factor
cho_solve = _linalg.cho_solve
solve_triangular = _linalg.solve_triangular
lu = _linalg.lu
lu_factor = _linalg.lu_factor
lu_solve = _linalg.lu_solve
qr = _linalg.qr
eigh = _linalg.eigh
expm = _linalg.expm
block_diag = _linalg.block_diag
det = _linalg.det
inv = _linalg.inv
solve = _linalg.solve


def linalg_cholesky(a: Any, lower: bool = False) -> Any:
    return _linalg.cholesky(a, lower=lower)

gammainc = _special.gammainc
gammaincc = _special.gammaincc
betainc = _special.betainc
