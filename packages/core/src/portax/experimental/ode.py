"""ODE integration (``jax.experimental.ode``): the public list."""

from portax._src.ode import odeint as odeint
