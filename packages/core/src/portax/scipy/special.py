"""``jax.scipy.special`` on every portax backend."""

from portax._src.scipy.special import (
    betaln as betaln,
    digamma as digamma,
    entr as entr,
    erf as erf,
    erfc as erfc,
    erfinv as erfinv,
    expit as expit,
    gammaln as gammaln,
    i0e as i0e,
    i1e as i1e,
    log_ndtr as log_ndtr,
    logit as logit,
    logsumexp as logsumexp,
    ndtr as ndtr,
    ndtri as ndtri,
    softmax as softmax,
    xlog1py as xlog1py,
    xlogy as xlogy,
)
