"""Loop bodies and branches that update their arguments in place (``c += x``), against real JAX.

In JAX ``c += x`` rebinds ``c`` to a new array; on torch it writes into the tensor the primitive handed over. portax
hands bodies copies, so neither the caller's arrays nor values a loop already returned change (issue 13: ``scan``
of ``c += x; return c, c`` gave [6, 6, 6] on torch, JAX [1, 3, 6], and changed the caller's initial carry).
"""

from __future__ import annotations

import numpy as np
import portax
import pytest
from helpers import to_numpy
from lax_util import check_both

XS = np.array([1.0, 2.0, 3.0, 0.5, -1.0, 2.5], dtype=np.float32)  # 6 steps: a real loop under jit (> UNROLL_LIMIT)
SHORT = np.array([1.0, 2.0, 3.0], dtype=np.float32)  # 3 steps: unrolled under jit on torch


def build_scan_carry(t, lax, np_like):
    def body(c, x):
        c += x
        c *= 1.5
        return c, c

    return lambda init, xs: lax.scan(body, init, xs)


def build_scan_x(t, lax, np_like):
    def body(c, x):
        x *= 2.0
        c = c + x
        return c, x

    return lambda init, xs: lax.scan(body, init, xs)


def build_fori(t, lax, np_like):
    def run(init, xs):
        def body(i, c):
            c *= 0.5
            c += xs.mean() * i  # (not xs[i]: a traced index under jit is issue 14's)
            return c

        return lax.fori_loop(0, xs.shape[0], body, init)

    return run


def build_while(t, lax, np_like):
    def run(init, xs):
        def body(state):
            c, k = state
            c += xs.mean() * c
            k += 1
            return c, k

        return lax.while_loop(lambda state: state[1] < xs.shape[0], body, (init, 0))[0]

    return run


def build_cond(t, lax, np_like):
    def bigger(v):
        v += 1.0
        return v * 2.0

    def smaller(v):
        v *= 3.0
        return v

    return lambda init, xs: lax.cond(init > 0.6, bigger, smaller, xs)


def build_switch(t, lax, np_like):
    def add(v):
        v += 1.0
        return v

    def scale(v):
        v *= 3.0
        return v

    return lambda init, xs: lax.switch(np_like.astype(init > 0.6, np_like.int32), [add, scale], xs)


def build_map(t, lax, np_like):
    def square_plus_one(v):
        v += 1.0
        return v * v

    return lambda init, xs: lax.map(square_plus_one, xs) * init


PROGRAMS = {
    "scan_carry": build_scan_carry,
    "scan_x": build_scan_x,
    "fori_loop": build_fori,
    "while_loop": build_while,
    "cond": build_cond,
    "switch": build_switch,
    "map": build_map,
}


@pytest.mark.parametrize("length", [len(SHORT), len(XS)], ids=["short", "long"])
@pytest.mark.parametrize("mode", ["eager", "jit", "grad", "vmap", "jit_grad"])
@pytest.mark.parametrize("program", list(PROGRAMS))
def test_inplace_body_matches_jax(program, mode, length, xp, jax_reference):
    if program == "while_loop" and "grad" in mode:
        pytest.skip("reverse mode through while_loop is an error in JAX too (tests/lax/test_loops.py)")
    if program in ("cond", "switch") and length == len(XS):
        pytest.skip("the trip count is a loop matter")
    xs = (XS if length == len(XS) else SHORT).copy()
    init = np.float32(0.75)
    if mode == "vmap":
        init = np.array([0.25, 0.75, 1.0], dtype=np.float32)  # batched predicate of cond/switch
        xs = np.stack([xs, xs * 2, -xs])
    check_both(PROGRAMS[program], mode, xp, jax_reference, init, xs)


@pytest.mark.parametrize("mode", ["eager", "jit", "vmap"])
@pytest.mark.parametrize("program", list(PROGRAMS))
def test_inplace_body_leaves_caller_arrays_unchanged(program, mode, xp):
    init_np, xs_np = np.float32(0.75), XS.copy()
    if mode == "vmap":
        init_np = np.array([0.25, 0.75, 1.0], dtype=np.float32)
        xs_np = np.stack([XS, XS * 2, -XS])
    init, xs = xp.asarray(init_np), xp.asarray(xs_np)
    program_fn = PROGRAMS[program](portax, portax.lax, xp)
    transformed = {"eager": program_fn, "jit": portax.jit(program_fn), "vmap": portax.vmap(program_fn)}[mode]
    transformed(init, xs)
    transformed(init, xs)  # a second call runs the cached compiled code under jit
    np.testing.assert_array_equal(to_numpy(init), init_np)
    np.testing.assert_array_equal(to_numpy(xs), xs_np)


def test_scan_inplace_unbatched_carry_under_vmap(xp, jax_reference):
    """The initial carry is created inside the vmapped function (unbatched) and updated in place with batched values:
    torch refuses the in-place write, JAX's carry becomes batched; portax batches the carry."""

    def build(t, lax, np_like):
        def per_lane(v):
            def body(c, x):
                c += x * v
                return c, c

            return lax.scan(body, np_like.zeros(()), np_like.arange(4.0))

        return per_lane

    check_both(build, "vmap", xp, jax_reference, np.array([1.0, -2.0, 0.5], dtype=np.float32))

    def build_fori(t, lax, np_like):
        def per_lane(v):
            def body(i, c):
                c += v
                return c

            return lax.fori_loop(0, 3, body, np_like.zeros(()))

        return per_lane

    check_both(build_fori, "vmap", xp, jax_reference, np.array([1.0, -2.0, 0.5], dtype=np.float32))
