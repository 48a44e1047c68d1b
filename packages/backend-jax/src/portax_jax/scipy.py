"""Native paths of ``portax.scipy`` on JAX: ``jax.scipy`` itself (same numerics, same gradient rules)."""

from __future__ import annotations

from typing import Any

import jax.nn as _nn
import jax.scipy.linalg as _linalg
import jax.scipy.special as _special

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


cholesky = _linalg.cholesky
svd = _linalg.svd
# LAPACK's Schur decomposition (CPU) and what JAX builds on it; gehrd for the Hessenberg form
schur = _linalg.schur
rsf2csf = _linalg.rsf2csf
sqrtm = _linalg.sqrtm
funm = _linalg.funm
solve_sylvester = _linalg.solve_sylvester
hessenberg = _linalg.hessenberg



# -- fast paths of portax.nn (jax.nn's own, jitted internally: one dispatch instead of one per op eagerly)


def softmax(x: Any, axis: int) -> Any:
    return _nn.softmax(x, axis=axis)


def log_softmax(x: Any, axis: int) -> Any:
    return _nn.log_softmax(x, axis=axis)


def logsumexp(a: Any, axis: int, keepdims: bool) -> Any:
    return _special.logsumexp(a, axis=axis, keepdims=keepdims)


def dot_product_attention(query: Any, key: Any, value: Any, bias: Any, is_causal: bool, scale: float) -> Any:
    # core has validated the (B, T, N, H) layouts and folded every mask into the additive ``bias``
    return _nn.dot_product_attention(query, key, value, bias=bias, is_causal=is_causal, scale=scale)


def correlate_nd(in1: Any, kernel: Any, padding: list) -> Any:
    # the N-d cross-correlation portax.scipy.signal builds its modes on (JAX's own _convolve_nd kernel)
    import jax.lax as _lax

    strides = (1,) * in1.ndim
    return _lax.conv_general_dilated(in1[None, None], kernel[None, None], strides, padding)[0, 0]

# -- special functions beyond the elementary ones -------------------------------------------------------------------
i0 = _special.i0
i1 = _special.i1
erfcx = _special.erfcx
zeta = _special.zeta
exp1 = _special.exp1
expi = _special.expi
polygamma = _special.polygamma
spence = _special.spence
dawsn = _special.dawsn
hyp1f1 = _special.hyp1f1
expn = _special.expn
sici = _special.sici
owens_t = _special.owens_t
bessel_jn = _special.bessel_jn
fresnel = _special.fresnel
wofz = _special.wofz

# -- the rest of jax.scipy as it is (core's implementations serve backends without these) --------------------------
import jax.scipy.fft as _fft  # noqa: E402
import jax.scipy.ndimage as _ndimage  # noqa: E402
import jax.scipy.signal as _signal  # noqa: E402
import jax.scipy.stats as _stats  # noqa: E402

dct = _fft.dct
idct = _fft.idct
dctn = _fft.dctn
idctn = _fft.idctn
map_coordinates = _ndimage.map_coordinates
stft = _signal.stft
istft = _signal.istft
welch = _signal.welch
csd = _signal.csd
stats_mode = _stats.mode
rankdata = _stats.rankdata
sem = _stats.sem
poisson_entropy = _stats.poisson.entropy
truncnorm_logpdf = _stats.truncnorm.logpdf
truncnorm_pdf = _stats.truncnorm.pdf
truncnorm_logcdf = _stats.truncnorm.logcdf
truncnorm_cdf = _stats.truncnorm.cdf
truncnorm_logsf = _stats.truncnorm.logsf
truncnorm_sf = _stats.truncnorm.sf
