"""A traced integer used as an index inside ``jit`` / ``fori_loop`` (``x[i]``, ``x.at[i]``): JAX's dynamic index.

JAX normalizes a negative dynamic index and clamps an out-of-bounds one when reading (``.at[i].set`` drops an
out-of-bounds update); torch would call ``i.item()``, which ``torch.compile`` cannot trace. The two programs of
``public/`` (an Ising-model sampler and a Lorenz RK4 integrator, written as public JAX code writes them) raised
``ConcretizationError`` on torch because of this; they are compared with real JAX here.
"""

from __future__ import annotations

import pathlib

import numpy as np
import portax
import portax.numpy as pnp
import pytest
from corpus_runner import numbers, ported, run_source, same_numbers
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (fixture)

PUBLIC = sorted((pathlib.Path(__file__).parent / "public").glob("*.py"))
X = np.arange(20.0, dtype=np.float32).reshape(4, 5)


@pytest.mark.slow  # each compiles a 100-step loop: ~5 s on torch
@pytest.mark.parametrize("program", PUBLIC, ids=[path.stem for path in PUBLIC])
def test_public_program_matches_jax(program: pathlib.Path, backend, backend_name):
    pytest.importorskip("jax")
    pytest.importorskip("libcst")
    expected = run_source(program.read_text(), str(program))
    try:
        actual = run_source(ported(program.read_text()), str(program))
    finally:
        portax.config.update("portax_jax_operators", False)  # `portax port --jax-operators` turned it on
    difference = same_numbers(numbers(expected), numbers(actual))
    assert difference is None, f"{difference}\n--- portax ({backend_name}):\n{actual}\n--- JAX:\n{expected}"


@pytest.mark.parametrize("i, j", [(2, 3), (-1, -2), (7, 9), (-9, 1)])
def test_traced_index_under_jit_clamps_as_jax(xp, i, j):
    x = xp.asarray(X)
    clamp = lambda k, n: min(max(k + n if k < 0 else k, 0), n - 1)  # noqa: E731 - JAX's rule for a dynamic index
    ci, cj = clamp(i, 4), clamp(j, 5)

    @portax.jit
    def reads(x, i, j):
        return x[i], x[i, j], x[i, 1:3], x[None, i], x[..., j], x[1, j]

    got = reads(x, xp.asarray(i), xp.asarray(j))
    want = (X[ci], X[ci, cj], X[ci, 1:3], X[None, ci], X[..., cj], X[1, cj])
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(np.asarray(g), w)


def test_traced_index_at_updates_under_jit(xp):
    x = xp.asarray(X)

    @portax.jit
    def updates(x, i):
        return x.at[i, 2].set(-1.0), pnp.at(x)[i].add(1.0), x.at[i].get()

    expected_set = X.copy()
    expected_set[3, 2] = -1.0
    expected_add = X.copy()
    expected_add[3] += 1.0
    got = updates(x, xp.asarray(3))
    for g, w in zip(got, (expected_set, expected_add, X[3]), strict=True):
        np.testing.assert_array_equal(np.asarray(g), w)
    dropped, _, clamped = updates(x, xp.asarray(9))  # out of bounds: the update is dropped, the read clamps
    np.testing.assert_array_equal(np.asarray(dropped), X)
    np.testing.assert_array_equal(np.asarray(clamped), X[3])


def test_fori_loop_body_indexes_with_its_counter_under_jit(xp):
    def body(i, c):
        return c.at[i].set(c[i] * i + c[i - 1])

    x = xp.arange(8.0)
    expected = np.arange(8.0)
    for i in range(8):
        expected[i] = expected[i] * i + expected[i - 1]
    got = portax.jit(lambda x: portax.lax.fori_loop(0, 8, body, x))(x)
    np.testing.assert_allclose(np.asarray(got), expected)


def test_grad_through_traced_index_under_jit(xp):
    grads = portax.jit(portax.grad(lambda x, i: x[i] ** 2))(xp.arange(4.0), xp.asarray(2))
    np.testing.assert_array_equal(np.asarray(grads), [0.0, 0.0, 4.0, 0.0])


def test_torch_compile_of_torch_code_keeps_torch_indexing(backend_name):
    if backend_name != "torch":
        pytest.skip("torch's own torch.compile")
    import torch

    compiled = torch.compile(lambda x, i: x[i], backend="eager")
    with pytest.raises(IndexError):  # torch's meaning (outside portax.jit): an out-of-bounds index raises
        compiled(torch.arange(4.0), torch.tensor(7))


@pytest.mark.slow
def test_fori_loop_under_jit_with_inductor(xp):
    portax.config.update("torch_compile_backend", "inductor")  # inductor failed on a scan without per-step outputs
    got = portax.jit(lambda x: portax.lax.fori_loop(0, 20, lambda i, c: c * 0.5 + i, x))(xp.ones(3))
    expected = np.ones(3)
    for i in range(20):
        expected = expected * 0.5 + i
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-6)
