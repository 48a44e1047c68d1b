"""JAX's ``jax.nn`` on every portax backend."""

from portax._src.nn import (
    celu as celu,
    elu as elu,
    gelu as gelu,
    glu as glu,
    hard_tanh as hard_tanh,
    leaky_relu as leaky_relu,
    log_sigmoid as log_sigmoid,
    log_softmax as log_softmax,
    logsumexp as logsumexp,
    one_hot as one_hot,
    relu as relu,
    relu6 as relu6,
    selu as selu,
    sigmoid as sigmoid,
    silu as silu,
    soft_sign as soft_sign,
    softmax as softmax,
    softplus as softplus,
    standardize as standardize,
    swish as swish,
)
from portax.nn import initializers as initializers  # noqa: E402
