# Source: jax-ml/jax docs/new_docs/301/custom-jvp-vjp.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Example: Numerical stability
# Code cells at lines 38, 122, 131, 141, 163, 179, unchanged (made by tools/make_corpus.py).
# %%
import jax.numpy as jnp
from jax import custom_jvp

@custom_jvp
def f(x, y):
  return jnp.sin(x) * y

@f.defjvp
def f_jvp(primals, tangents):
  x, y = primals
  x_dot, y_dot = tangents
  primal_out = f(x, y)
  tangent_out = jnp.cos(x) * x_dot * y + jnp.sin(x) * y_dot
  return primal_out, tangent_out
# %%
def log1pexp(x):
  return jnp.log(1. + jnp.exp(x))

log1pexp(3.)
# %%
from jax import jit, grad, vmap

print(jit(log1pexp)(3.))
print(jit(grad(log1pexp))(3.))
print(vmap(jit(grad(log1pexp)))(jnp.arange(3.)))
# %%
print(grad(log1pexp)(100.))
# %%
from jax import custom_jvp

@custom_jvp
def log1pexp(x):
  return jnp.log(1. + jnp.exp(x))

@log1pexp.defjvp
def log1pexp_jvp(primals, tangents):
  x, = primals
  x_dot, = tangents
  ans = log1pexp(x)
  ans_dot = (1 - 1/(1 + jnp.exp(x))) * x_dot
  return ans, ans_dot
# %%
print(grad(log1pexp)(100.))
