"""``jax.scipy.stats`` on every portax backend: one submodule per distribution, as in JAX."""

from portax.scipy.stats import (
    bernoulli as bernoulli,
    beta as beta,
    cauchy as cauchy,
    expon as expon,
    gamma as gamma,
    laplace as laplace,
    multivariate_normal as multivariate_normal,
    norm as norm,
    poisson as poisson,
    t as t,
    uniform as uniform,
)
