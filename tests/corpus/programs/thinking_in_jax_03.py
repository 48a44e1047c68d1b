# Source: jax-ml/jax docs/notebooks/thinking_in_jax.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Taking derivatives with `jax.grad`
# Code cells at lines 232, 243, 299, 312, 323, 330, 341, unchanged (made by tools/make_corpus.py).
# %%
import jax.numpy as jnp

def norm(X):
  X = X - X.mean(0)
  return X / X.std(0)
# %%
from jax import jit
norm_compiled = jit(norm)
# %%
from jax import grad

def sum_logistic(x):
  return jnp.sum(1.0 / (1.0 + jnp.exp(-x)))

x_small = jnp.arange(3.)
derivative_fn = grad(sum_logistic)
print(derivative_fn(x_small))
# %%
def first_finite_differences(f, x, eps=1E-3):
  return jnp.array([(f(x + eps * v) - f(x - eps * v)) / (2 * eps)
                   for v in jnp.eye(len(x))])

print(first_finite_differences(sum_logistic, x_small))
# %%
print(grad(jit(grad(jit(grad(sum_logistic)))))(1.0))
# %%
from jax import jacobian
print(jacobian(jnp.exp)(x_small))
# %%
from jax import jacfwd, jacrev
def hessian(fun):
  return jit(jacfwd(jacrev(fun)))
print(hessian(sum_logistic)(x_small))
