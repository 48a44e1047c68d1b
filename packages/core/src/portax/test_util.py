"""Derivative checks against finite differences (``jax.test_util``): the public list."""

from portax._src.test_util import (
    check_grads as check_grads,
    check_jvp as check_jvp,
    check_vjp as check_vjp,
)
