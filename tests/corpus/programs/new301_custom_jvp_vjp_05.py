# Source: jax-ml/jax docs/new_docs/301/custom-jvp-vjp.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Use `jax.custom_vjp` to define custom reverse-mode-only rules
# Code cells at lines 463, 483, 500, 517, 527, 544, unchanged (made by tools/make_corpus.py).
# %%
from jax import custom_vjp
import jax.numpy as jnp

# f :: a -> b
@custom_vjp
def f(x):
  return jnp.sin(x)

# f_fwd :: a -> (b, c)
def f_fwd(x):
  return f(x), jnp.cos(x)

# f_bwd :: (c, CT b) -> CT a
def f_bwd(cos_x, y_bar):
  return (cos_x * y_bar,)

f.defvjp(f_fwd, f_bwd)
# %%
from jax import grad

print(f(3.))
print(grad(f)(3.))
# %%
from jax import custom_vjp

@custom_vjp
def f(x, y):
  return jnp.sin(x) * y

def f_fwd(x, y):
  return f(x, y), (jnp.cos(x), jnp.sin(x), y)

def f_bwd(res, g):
  cos_x, sin_x, y = res
  return (cos_x * g * y, sin_x * g)

f.defvjp(f_fwd, f_bwd)
# %%
print(grad(f)(2., 3.))
# %%
@custom_vjp
def f(x):
  print("called f!")
  return jnp.sin(x)

def f_fwd(x):
  print("called f_fwd!")
  return f(x), jnp.cos(x)

def f_bwd(cos_x, y_bar):
  print("called f_bwd!")
  return (cos_x * y_bar,)

f.defvjp(f_fwd, f_bwd)
# %%
print(f(3.))
