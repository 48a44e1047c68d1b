"""ODE integration (``jax.experimental.ode``): the public list; see ``portax._src.ode``."""

from portax._src.ode import odeint as odeint
