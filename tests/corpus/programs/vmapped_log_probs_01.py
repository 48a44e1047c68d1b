# Source: jax-ml/jax docs/notebooks/vmapped_log_probs.md @ cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
# Section: Generate a fake binary classification dataset
# Code cells at lines 29, 48, 62, unchanged (made by tools/make_corpus.py).
# %%
import matplotlib.pyplot as plt

import jax

import jax.numpy as jnp
import jax.scipy as jsp
from jax import random

import numpy as np
import scipy as sp
# %%
np.random.seed(10009)

num_features = 10
num_points = 100

true_beta = np.random.randn(num_features).astype(jnp.float32)
all_x = np.random.randn(num_points, num_features).astype(jnp.float32)
y = (np.random.rand(num_points) < sp.special.expit(all_x.dot(true_beta))).astype(jnp.int32)
# %%
y
