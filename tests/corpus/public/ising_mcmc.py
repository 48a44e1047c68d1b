# Source: an Ising-model Metropolis sampler in the style of public JAX code (traced site indices in a jitted fori_loop)
# %%
import jax
import jax.numpy as jnp
from jax import lax, random

L = 8
N = 100

def energy_change(spins, i, j):
    s = spins[i, j]
    neighbours = (spins[(i + 1) % L, j] + spins[(i - 1) % L, j]
                  + spins[i, (j + 1) % L] + spins[i, (j - 1) % L])
    return 2.0 * s * neighbours

@jax.jit
def sweep(spins, beta, rows, cols, u):
    def step(t, spins):
        i, j = rows[t], cols[t]
        accept = u[t] < jnp.exp(-beta * energy_change(spins, i, j))
        return spins.at[i, j].set(jnp.where(accept, -spins[i, j], spins[i, j]))
    return lax.fori_loop(0, N, step, spins)

key = random.PRNGKey(0)
spins = jnp.ones((L, L))
for beta in (0.2, 0.6):
    key, k_i, k_j, k_u = random.split(key, 4)
    rows = random.randint(k_i, (N,), 0, L)
    cols = random.randint(k_j, (N,), 0, L)
    u = random.uniform(k_u, (N,))
    spins = sweep(spins, beta, rows, cols, u)
    print(beta, jnp.mean(spins), jnp.sum(spins[0]))
