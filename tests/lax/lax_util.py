"""Run one control-flow program on the backend under test and on real JAX, and compare."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import portax
from helpers import to_numpy

#: Transformations applied around a program, by name (outermost first in composed names).
MODES: dict[str, Callable[[Any, Callable[..., Any]], Callable[..., Any]]] = {
    "eager": lambda t, f: f,
    "jit": lambda t, f: t.jit(f),
    "grad": lambda t, f: t.grad(lambda *a: _total(t, f(*a))),
    "vmap": lambda t, f: t.vmap(f),
    "jit_grad": lambda t, f: t.jit(t.grad(lambda *a: _total(t, f(*a)))),
    "vmap_grad": lambda t, f: t.vmap(t.grad(lambda *a: _total(t, f(*a)))),
    "grad_vmap": lambda t, f: t.grad(lambda *a: _total(t, t.vmap(f)(*a))),
    "jit_vmap": lambda t, f: t.jit(t.vmap(f)),
}


def _total(t: Any, out: Any) -> Any:
    """A scalar from a program's outputs (a sum over every leaf), so that ``grad`` applies."""
    leaves = t.tree.leaves(out)
    total = leaves[0].sum()
    for leaf in leaves[1:]:
        total = total + leaf.sum()
    return total


def run_both(
    build: Callable[[Any, Any, Any], Callable[..., Any]], mode: str, xp: Any, jax_reference: Any, *args: np.ndarray
) -> tuple[Any, Any]:
    """``build(transforms, lax, numpy)`` made into a program, transformed by ``mode``, run with portax on the current
    backend and with real JAX on ``args``; returns both results as NumPy pytrees."""
    jax, jnp = jax_reference
    ours = MODES[mode](portax, build(portax, portax.lax, xp))(*[xp.asarray(a) for a in args])
    theirs = MODES[mode](jax, build(jax, jax.lax, jnp))(*[jnp.asarray(a) for a in args])
    return portax.tree.map(to_numpy, ours), jax.tree.map(np.asarray, theirs)


def assert_same(actual: Any, expected: Any, rtol: float = 2e-5, atol: float = 1e-5) -> None:
    """Same pytree structure, shapes and values (float32 tolerance)."""
    a_leaves, a_def = portax.tree.flatten(actual)
    e_leaves, e_def = portax.tree.flatten(expected)
    assert a_def == e_def, f"structure {a_def} != {e_def}"
    for a, e in zip(a_leaves, e_leaves, strict=True):
        assert np.shape(a) == np.shape(e), f"shape {np.shape(a)} != {np.shape(e)}"
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)


def check_both(
    build: Callable[[Any, Any, Any], Callable[..., Any]], mode: str, xp: Any, jax_reference: Any, *args: Any, **kw: Any
) -> None:
    """:func:`run_both` then :func:`assert_same`."""
    assert_same(*run_both(build, mode, xp, jax_reference, *args), **kw)
