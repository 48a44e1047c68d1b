# Source: a Lorenz-system RK4 integrator in the style of public JAX code (fori_loop writing row i + 1)
# %%
import jax
import jax.numpy as jnp
from jax import lax


def lorenz(state, sigma=10.0, rho=28.0, beta=8.0 / 3.0):
    x, y, z = state
    return jnp.array([sigma * (y - x), x * (rho - z) - y, x * y - beta * z])

def rk4_step(state, dt):
    k1 = lorenz(state)
    k2 = lorenz(state + 0.5 * dt * k1)
    k3 = lorenz(state + 0.5 * dt * k2)
    k4 = lorenz(state + dt * k3)
    return state + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)

@jax.jit
def integrate(state0, dt):
    n = 100
    trajectory = jnp.zeros((n + 1, 3)).at[0].set(state0)
    def body(i, trajectory):
        return trajectory.at[i + 1].set(rk4_step(trajectory[i], dt))
    return lax.fori_loop(0, n, body, trajectory)

trajectory = integrate(jnp.array([1.0, 1.0, 1.0]), 0.01)
print(trajectory[-1], trajectory[50])
