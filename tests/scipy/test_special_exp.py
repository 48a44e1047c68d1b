"""``scipy.special.exp1`` and ``expi`` against SciPy and real JAX on every backend, under grad, vmap and jit."""

from __future__ import annotations

import numpy as np
import portax
import portax.scipy.special as pss
import pytest
import scipy.special as sps
from helpers import to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)

POSITIVE = np.array([1e-4, 0.01, 0.3, 0.99, 1.0, 1.01, 2.0, 5.0, 20.0, 60.0], np.float32)
REAL = np.array([-30.0, -5.0, -1.0, -0.01, 1e-3, 0.5, 1.0, 5.0, 20.0, 60.0, 80.0], np.float32)


def test_values(xp):
    np.testing.assert_allclose(to_numpy(pss.exp1(xp.asarray(POSITIVE))), sps.exp1(POSITIVE), rtol=2e-6)
    np.testing.assert_allclose(to_numpy(pss.expi(xp.asarray(REAL))), sps.expi(REAL), rtol=2e-6)
    edges = to_numpy(pss.exp1(xp.asarray(np.array([0.0, -1.0], np.float32))))
    assert edges[0] == np.inf and np.isnan(edges[1])


def test_core_formula_on_every_backend(xp):
    # JAX runs jax.scipy.special's own: check the formula torch runs on every backend's arrays too
    from portax._src.scipy import _native

    x = xp.asarray(POSITIVE)
    backend = portax.current_backend()
    module = _native.hook_module(backend)
    saved = {name: getattr(module, name) for name in ("exp1", "expi") if hasattr(module, name)}
    try:
        for name in saved:
            delattr(module, name)
        np.testing.assert_allclose(to_numpy(pss.exp1(x)), sps.exp1(POSITIVE), rtol=2e-6)
        np.testing.assert_allclose(to_numpy(pss.expi(x)), sps.expi(POSITIVE), rtol=2e-6)
    finally:
        for name, function in saved.items():
            setattr(module, name, function)


def test_grad_vmap_jit_match_jax(xp):
    jax = pytest.importorskip("jax")
    jss = pytest.importorskip("jax.scipy.special")
    x = np.array([0.2, 0.9, 1.5, 7.0], np.float32)
    got = portax.vmap(portax.grad(lambda v: pss.exp1(v) + pss.expi(v)))(xp.asarray(x))
    expected = jax.vmap(jax.grad(lambda v: jss.exp1(v) + jss.expi(v)))(x)
    np.testing.assert_allclose(to_numpy(got), np.asarray(expected), rtol=1e-5)
    np.testing.assert_allclose(to_numpy(portax.jit(pss.exp1)(xp.asarray(x))), sps.exp1(x), rtol=2e-6)
