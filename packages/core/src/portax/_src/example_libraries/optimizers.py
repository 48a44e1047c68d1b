"""JAX's example optimizer library (``jax.example_libraries.optimizers``, JAX 0.10), written once on portax.

An optimizer is an ``(init_fun, update_fun, get_params)`` triple over pytrees of parameters; the state is an
``OptimizerState`` pytree, so ``update_fun`` can be ``jit``-ted and differentiated on every backend. Same update
rules and defaults as JAX's; the structures in the state are portax's pure-Python treedefs (they work inside a
torch-compiled step); state arrays are never updated in place (torch tensors are mutable), so an old state
stays valid after an update.
"""

from __future__ import annotations

import functools
from collections import namedtuple
from collections.abc import Callable
from typing import Any, NamedTuple

import portax.numpy as jnp
from portax._src import tree as tree_util

OptimizerState = namedtuple("OptimizerState", ["packed_state", "tree_def", "subtree_defs"])
OptimizerState.__doc__ = "An optimizer's state: flat per-leaf states and the structures to rebuild them (a pytree)."
tree_util.register_pytree_node(
    OptimizerState,
    lambda xs: ((xs.packed_state,), (xs.tree_def, xs.subtree_defs)),
    lambda data, xs: OptimizerState(tuple(xs)[0], data[0], data[1]),
)

Array = Any
Params = Any  # parameters are arbitrary nests of arrays
State = Any  # a per-leaf state
Updates = Params  # gradient updates have the parameters' structure
InitFn = Callable[[Params], OptimizerState]
Step = int
UpdateFn = Callable[[Step, Updates, OptimizerState], OptimizerState]
ParamsFn = Callable[[OptimizerState], Params]
Schedule = Callable[[Step], float]


class Optimizer(NamedTuple):
    """The ``(init_fn, update_fn, params_fn)`` triple an optimizer constructor returns."""

    init_fn: InitFn
    update_fn: UpdateFn
    params_fn: ParamsFn


def unzip2(pairs: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """``[(a, b), ...] -> ((a, ...), (b, ...))``."""
    firsts, seconds = [], []
    for first, second in pairs:
        firsts.append(first)
        seconds.append(second)
    return tuple(firsts), tuple(seconds)


def optimizer(opt_maker: Callable[..., Any]) -> Callable[..., Optimizer]:
    """Decorator turning an optimizer written for single arrays into one over pytrees of arrays.

    Args:
        opt_maker: returns ``(init, update, get_params)`` acting on one array (and its state pytree).

    Returns:
        A constructor returning an :class:`Optimizer` acting on pytrees, with an :data:`OptimizerState` state.
    """

    @functools.wraps(opt_maker)
    def tree_opt_maker(*args: Any, **kwargs: Any) -> Optimizer:
        init, update, get_params = opt_maker(*args, **kwargs)

        @functools.wraps(init)
        def tree_init(x0_tree: Params) -> OptimizerState:
            x0_flat, tree = tree_util.portable_flatten(x0_tree)
            initial_states = [init(x0) for x0 in x0_flat]
            states_flat, subtrees = unzip2(tree_util.portable_flatten(state) for state in initial_states)
            return OptimizerState(states_flat, tree, subtrees)

        @functools.wraps(update)
        def tree_update(i: Step, grad_tree: Updates, opt_state: OptimizerState) -> OptimizerState:
            states_flat, tree, subtrees = opt_state
            grad_flat, tree2 = tree_util.portable_flatten(grad_tree)
            if tree2 != tree:
                raise TypeError(
                    "optimizer update function was passed a gradient tree that did not match the parameter tree "
                    f"structure with which it was initialized: parameter tree {tree} and grad tree {tree2}."
                )
            states = [tree_util.unflatten(s, f) for s, f in zip(subtrees, states_flat, strict=True)]
            new_states = [update(i, g, state) for g, state in zip(grad_flat, states, strict=True)]
            new_states_flat, subtrees2 = unzip2(tree_util.portable_flatten(state) for state in new_states)
            for subtree, subtree2 in zip(subtrees, subtrees2, strict=True):
                if subtree2 != subtree:
                    raise TypeError(
                        "optimizer update function produced an output structure that did not match its input "
                        f"structure: input {subtree} and output {subtree2}."
                    )
            return OptimizerState(new_states_flat, tree, subtrees)

        @functools.wraps(get_params)
        def tree_get_params(opt_state: OptimizerState) -> Params:
            states_flat, tree, subtrees = opt_state
            states = [tree_util.unflatten(s, f) for s, f in zip(subtrees, states_flat, strict=True)]
            return tree_util.unflatten(tree, [get_params(state) for state in states])

        return Optimizer(tree_init, tree_update, tree_get_params)

    return tree_opt_maker


@optimizer
def sgd(step_size: float | Schedule) -> Any:
    """Stochastic gradient descent: ``x - step_size(i) * g``.

    Args:
        step_size: a positive scalar, or a schedule mapping the step index to one.

    Returns:
        An ``(init_fun, update_fun, get_params)`` triple.

    Example:
        >>> import portax.numpy as jnp
        >>> init, update, get_params = sgd(0.1)
        >>> [round(v, 6) for v in get_params(update(0, {"w": jnp.ones(2)}, init({"w": jnp.zeros(2)})))["w"].tolist()]
        [-0.1, -0.1]
    """
    step_size = make_schedule(step_size)
    return Optimizer(lambda x0: x0, lambda i, g, x: x - step_size(i) * g, lambda x: x)


@optimizer
def momentum(step_size: float | Schedule, mass: float) -> Any:
    """SGD with momentum (``mass`` is the momentum coefficient); returns an optimizer triple."""
    step_size = make_schedule(step_size)

    def init(x0: Array) -> Any:
        return x0, jnp.zeros_like(x0)

    def update(i: Step, g: Array, state: Any) -> Any:
        x, velocity = state
        velocity = mass * velocity + g
        return x - step_size(i) * velocity, velocity

    return init, update, _first


@optimizer
def nesterov(step_size: float | Schedule, mass: float) -> Any:
    """SGD with Nesterov momentum; returns an optimizer triple."""
    step_size = make_schedule(step_size)

    def init(x0: Array) -> Any:
        return x0, jnp.zeros_like(x0)

    def update(i: Step, g: Array, state: Any) -> Any:
        x, velocity = state
        velocity = mass * velocity + g
        return x - step_size(i) * (mass * velocity + g), velocity

    return init, update, _first


@optimizer
def adagrad(step_size: float | Schedule, momentum: float = 0.9) -> Any:
    """Adagrad (Duchi et al. 2011) with momentum; returns an optimizer triple."""
    step_size = make_schedule(step_size)

    def init(x0: Array) -> Any:
        return x0, jnp.zeros_like(x0), jnp.zeros_like(x0)

    def update(i: Step, g: Array, state: Any) -> Any:
        x, g_sq, m = state
        g_sq = g_sq + jnp.square(g)  # not +=: a torch tensor would be changed in place
        g_sq_inv_sqrt = jnp.where(g_sq > 0, 1.0 / jnp.sqrt(g_sq), 0.0)
        m = (1.0 - momentum) * (g * g_sq_inv_sqrt) + momentum * m
        return x - step_size(i) * m, g_sq, m

    return init, update, _first


@optimizer
def rmsprop(step_size: float | Schedule, gamma: float = 0.9, eps: float = 1e-8) -> Any:
    """RMSProp (``gamma`` the decay of the squared-gradient average); returns an optimizer triple."""
    step_size = make_schedule(step_size)

    def init(x0: Array) -> Any:
        return x0, jnp.zeros_like(x0)

    def update(i: Step, g: Array, state: Any) -> Any:
        x, avg_sq_grad = state
        avg_sq_grad = avg_sq_grad * gamma + jnp.square(g) * (1.0 - gamma)
        return x - step_size(i) * g / jnp.sqrt(avg_sq_grad + eps), avg_sq_grad

    return init, update, _first


@optimizer
def rmsprop_momentum(
    step_size: float | Schedule, gamma: float = 0.9, eps: float = 1e-8, momentum: float = 0.9
) -> Any:
    """RMSProp with momentum; returns an optimizer triple."""
    step_size = make_schedule(step_size)

    def init(x0: Array) -> Any:
        return x0, jnp.zeros_like(x0), jnp.zeros_like(x0)

    def update(i: Step, g: Array, state: Any) -> Any:
        x, avg_sq_grad, mom = state
        avg_sq_grad = avg_sq_grad * gamma + jnp.square(g) * (1.0 - gamma)
        mom = momentum * mom + step_size(i) * g / jnp.sqrt(avg_sq_grad + eps)
        return x - mom, avg_sq_grad, mom

    return init, update, _first


@optimizer
def adam(step_size: float | Schedule, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Any:
    """Adam (Kingma and Ba 2015) with bias correction; returns an optimizer triple.

    Example:
        >>> import portax.numpy as jnp
        >>> init, update, get_params = adam(1e-3)
        >>> state = update(0, jnp.asarray([1.0, -2.0]), init(jnp.zeros(2)))
        >>> [round(v, 6) for v in get_params(state).tolist()]
        [-0.001, 0.001]
    """
    step_size = make_schedule(step_size)

    def init(x0: Array) -> Any:
        return x0, jnp.zeros_like(x0), jnp.zeros_like(x0)

    def update(i: Step, g: Array, state: Any) -> Any:
        x, m, v = state
        m = (1 - b1) * g + b1 * m  # first moment estimate
        v = (1 - b2) * jnp.square(g) + b2 * v  # second moment estimate
        mhat = m / (1 - jnp.asarray(b1, m.dtype) ** (i + 1))  # bias correction
        vhat = v / (1 - jnp.asarray(b2, m.dtype) ** (i + 1))
        return x - step_size(i) * mhat / (jnp.sqrt(vhat) + eps), m, v

    return init, update, _first


@optimizer
def adamax(step_size: float | Schedule, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Any:
    """AdaMax, Adam with the infinity norm; returns an optimizer triple."""
    step_size = make_schedule(step_size)

    def init(x0: Array) -> Any:
        return x0, jnp.zeros_like(x0), jnp.zeros_like(x0)

    def update(i: Step, g: Array, state: Any) -> Any:
        x, m, u = state
        m = (1 - b1) * g + b1 * m
        u = jnp.maximum(b2 * u, jnp.abs(g))  # exponentially weighted infinity norm
        x = x - (step_size(i) / (1 - jnp.asarray(b1, m.dtype) ** (i + 1))) * m / (u + eps)
        return x, m, u

    return init, update, _first


@optimizer
def sm3(step_size: float | Schedule, momentum: float = 0.9) -> Any:
    """SM3 (Anil et al. 2019), memory-efficient adaptive optimization; returns an optimizer triple."""
    step_size = make_schedule(step_size)

    def splice(seq: Any, i: int, x: list[Any]) -> list[Any]:
        lst = list(seq)
        lst[i : i + 1] = x
        return lst

    def broadcast_into(ndim: int, x: Array, axis: int) -> Array:
        return x[tuple(splice([None] * ndim, axis, [slice(None)]))]

    def init(x0: Array) -> Any:
        x_shape = tuple(x0.shape)
        x0 = jnp.atleast_1d(x0)
        vs = [jnp.zeros(size, dtype=x0.dtype) for size in x0.shape]
        return x0, jnp.zeros_like(x0), vs, x_shape

    def update(i: Step, g: Array, state: Any) -> Any:
        x, m, vs, x_shape = state
        vs = [broadcast_into(g.ndim, v, axis) for axis, v in enumerate(vs)]
        accum = functools.reduce(jnp.minimum, vs) + jnp.square(g)
        accum_inv_sqrt = jnp.where(accum > 0, 1.0 / jnp.sqrt(accum), 0)
        m = (1.0 - momentum) * (g * accum_inv_sqrt) + momentum * m
        x = x - step_size(i) * m
        vs = [jnp.max(accum, axis=tuple(splice(range(x.ndim), j, []))) for j in range(x.ndim)]
        return x, m, vs, x_shape

    def get_params(state: Any) -> Array:
        x, _, _, x_shape = state
        return jnp.reshape(x, x_shape)

    return init, update, get_params


def _first(state: Any) -> Any:
    return state[0]


# -- learning rate schedules ---------------------------------------------------------------------------------------


def constant(step_size: float) -> Schedule:
    """The schedule that is ``step_size`` at every step."""

    def schedule(i: Step) -> Any:
        return step_size

    return schedule


def exponential_decay(step_size: float, decay_steps: float, decay_rate: float) -> Schedule:
    """``step_size * decay_rate ** (i / decay_steps)``."""

    def schedule(i: Step) -> Any:
        return step_size * decay_rate ** (i / decay_steps)

    return schedule


def inverse_time_decay(step_size: float, decay_steps: float, decay_rate: float, staircase: bool = False) -> Schedule:
    """``step_size / (1 + decay_rate * i / decay_steps)`` (with ``floor(i / decay_steps)`` when ``staircase``)."""
    if staircase:

        def schedule(i: Step) -> Any:
            return step_size / (1 + decay_rate * jnp.floor(i / decay_steps))

    else:

        def schedule(i: Step) -> Any:
            return step_size / (1 + decay_rate * i / decay_steps)

    return schedule


def polynomial_decay(step_size: float, decay_steps: int, final_step_size: float, power: float = 1.0) -> Schedule:
    """From ``step_size`` to ``final_step_size`` over ``decay_steps`` steps as ``(1 - i / decay_steps) ** power``."""

    def schedule(step_num: Step) -> Any:
        step_num = jnp.minimum(step_num, decay_steps)
        step_mult = (1 - step_num / decay_steps) ** power
        return step_mult * (step_size - final_step_size) + final_step_size

    return schedule


def piecewise_constant(boundaries: Any, values: Any) -> Schedule:
    """``values[k]`` for steps after ``k`` of the ``boundaries``.

    Raises:
        ValueError: ``boundaries`` and ``values`` are not sequences, or ``values`` is not one longer.
    """
    boundaries = jnp.array(boundaries)
    values = jnp.array(values)
    if not boundaries.ndim == values.ndim == 1:
        raise ValueError("boundaries and values must be sequences")
    if not boundaries.shape[0] == values.shape[0] - 1:
        raise ValueError("boundaries length must be one shorter than values length")

    def schedule(i: Step) -> Any:
        return jnp.take(values, jnp.sum(i > boundaries))  # take, not [ ]: a traced index stays on device (torch)

    return schedule


def make_schedule(scalar_or_schedule: float | Schedule) -> Schedule:
    """A schedule as given, or the constant schedule of a scalar.

    Raises:
        TypeError: neither callable nor a scalar.
    """
    if callable(scalar_or_schedule):
        return scalar_or_schedule
    if jnp.ndim(scalar_or_schedule) == 0:
        return constant(scalar_or_schedule)  # type: ignore[arg-type]
    raise TypeError(type(scalar_or_schedule))


# -- utilities ---------------------------------------------------------------------------------------------------


def l2_norm(tree: Any) -> Array:
    """The l2 norm of a pytree of arrays (for weight decay)."""
    return jnp.sqrt(sum(jnp.vdot(x, x) for x in tree_util.leaves(tree)))


def clip_grads(grad_tree: Any, max_norm: float) -> Any:
    """Scale ``grad_tree`` down to l2 norm ``max_norm`` when its norm is larger."""
    norm = l2_norm(grad_tree)
    return tree_util.map(lambda g: jnp.where(norm < max_norm, g, g * (max_norm / norm)), grad_tree)


class JoinPoint:
    """Marks the boundary between two joined (nested) pytrees."""

    def __init__(self, subtree: Any) -> None:
        self.subtree = subtree

    def __iter__(self) -> Any:  # pytrees are containers of arrays: look iterable
        yield self.subtree


def unpack_optimizer_state(opt_state: OptimizerState) -> Any:
    """An ``OptimizerState`` as a pytree with :class:`JoinPoint` leaves holding each leaf's state (to serialize)."""
    states_flat, tree_def, subtree_defs = opt_state
    subtrees = [tree_util.unflatten(s, f) for s, f in zip(subtree_defs, states_flat, strict=True)]
    return tree_util.unflatten(tree_def, [JoinPoint(subtree) for subtree in subtrees])


def pack_optimizer_state(marked_pytree: Any) -> OptimizerState:
    """The inverse of :func:`unpack_optimizer_state`.

    Raises:
        TypeError: a leaf of ``marked_pytree`` is not a :class:`JoinPoint`.
    """
    sentinels, tree_def = tree_util.portable_flatten(marked_pytree)
    if not all(isinstance(s, JoinPoint) for s in sentinels):
        raise TypeError("pack_optimizer_state: every leaf must be a JoinPoint (from unpack_optimizer_state)")
    states_flat, subtree_defs = unzip2(tree_util.portable_flatten(s.subtree) for s in sentinels)
    return OptimizerState(states_flat, tree_def, subtree_defs)
