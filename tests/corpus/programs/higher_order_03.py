# Source: jax-ml/jax docs/higher-order.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Straight-through estimator using `stop_gradient`
# Code cells at lines 32, 43, 150, unchanged (made by tools/make_corpus.py).
# %%
import jax

def hessian(f):
  return jax.jacfwd(jax.grad(f))
# %%
import jax.numpy as jnp

def f(x):
  return jnp.dot(x, x)

hessian(f)(jnp.array([1., 2., 3.]))
# %%
def f(x):
  return jnp.round(x)  # non-differentiable

def straight_through_f(x):
  # Create an exactly-zero expression with Sterbenz lemma that has
  # an exactly-one gradient.
  zero = x - jax.lax.stop_gradient(x)
  return zero + jax.lax.stop_gradient(f(x))

print("f(x): ", f(3.2))
print("straight_through_f(x):", straight_through_f(3.2))

print("grad(f)(x):", jax.grad(f)(3.2))
print("grad(straight_through_f)(x):", jax.grad(straight_through_f)(3.2))
