"""``portax.scipy.ndimage.map_coordinates`` and ``portax.scipy.interpolate.RegularGridInterpolator`` against SciPy
and real JAX, with jit, grad and vmap."""

from __future__ import annotations

import numpy as np
import portax
import pytest
import scipy.interpolate as si
import scipy.ndimage as sn
from helpers import to_numpy
from option_fixtures import cheap_torch_compile_and_restored_options  # noqa: F401  (autouse: aot_eager, options restored)
from portax.scipy.interpolate import RegularGridInterpolator
from portax.scipy.ndimage import map_coordinates

IMAGE = np.arange(20, dtype=np.float32).reshape(4, 5) ** 1.5
COORDS = np.array([[-1.3, 0.0, 0.5, 1.7, 2.5, 3.2, 4.6, 7.1], [-0.6, 4.4, 1.5, 2.25, 3.5, 0.0, 5.5, -3.0]],
                  np.float32)


def _first_fast(cases: list) -> list:
    """The first case runs by default; the others are the slow sweep (``PORTAX_TEST_SLOW=1``), to keep the suite fast."""
    return [c if i == 0 else pytest.param(*(c if isinstance(c, tuple) else (c,)), marks=pytest.mark.slow)
            for i, c in enumerate(cases)]
SCIPY_MODE = {"constant": "grid-constant", "wrap": "grid-wrap", "nearest": "nearest", "mirror": "mirror",
              "reflect": "reflect"}


@pytest.mark.parametrize("order", _first_fast([1, 0]))
@pytest.mark.parametrize("mode", _first_fast(["reflect", "constant", "mirror", "nearest", "wrap"]))
def test_map_coordinates_matches_jax_and_scipy(xp, order, mode):
    jnd = pytest.importorskip("jax.scipy.ndimage")
    got = map_coordinates(xp.asarray(IMAGE), [xp.asarray(c) for c in COORDS], order=order, mode=mode, cval=-2.0)
    assert to_numpy(got).dtype == np.float32
    expected = np.asarray(jnd.map_coordinates(IMAGE, list(COORDS), order=order, mode=mode, cval=-2.0))
    np.testing.assert_allclose(to_numpy(got), expected, rtol=1e-5, atol=1e-5)
    if order == 1:  # SciPy's documented modes, inside the grid and where SciPy's grid-* modes agree with JAX
        reference = sn.map_coordinates(IMAGE.astype(np.float64), COORDS.astype(np.float64), order=1,
                                       mode=SCIPY_MODE[mode], cval=-2.0)
        np.testing.assert_allclose(to_numpy(got), reference, rtol=1e-5, atol=1e-4)


def test_map_coordinates_integer_input_and_errors(xp):
    jnd = pytest.importorskip("jax.scipy.ndimage")
    ints = np.arange(12, dtype=np.int32).reshape(3, 4)
    coords = np.array([[0.5, 1.5, 2.0], [0.5, 2.5, 3.0]], np.float32)
    got = map_coordinates(xp.asarray(ints), [xp.asarray(c) for c in coords], order=1)
    assert to_numpy(got).dtype == np.int32
    np.testing.assert_array_equal(to_numpy(got), np.asarray(jnd.map_coordinates(ints, list(coords), order=1)))
    with pytest.raises(ValueError, match="input.ndim"):
        map_coordinates(xp.asarray(ints), [xp.asarray(coords[0])], order=1)
    with pytest.raises(NotImplementedError, match="mode"):
        map_coordinates(xp.asarray(ints), list(xp.asarray(coords)), order=1, mode="grid-wrap")
    with pytest.raises(NotImplementedError, match="order"):
        map_coordinates(xp.asarray(ints), list(xp.asarray(coords)), order=3)


def test_map_coordinates_jit_vmap_grad(xp):
    jax = pytest.importorskip("jax")
    jnd = jax.scipy.ndimage
    image, coords = xp.asarray(IMAGE), xp.asarray(COORDS)
    sample = portax.jit(lambda im, c: map_coordinates(im, [c[0], c[1]], order=1, mode="reflect"))
    np.testing.assert_allclose(to_numpy(sample(image, coords)),
                               np.asarray(jnd.map_coordinates(IMAGE, list(COORDS), order=1, mode="reflect")),
                               rtol=1e-5, atol=1e-5)
    shifted = portax.vmap(lambda shift: map_coordinates(image, [coords[0] + shift, coords[1]], order=1))(
        xp.asarray(np.array([0.0, 0.25], np.float32)))
    assert tuple(shifted.shape) == (2, COORDS.shape[1])

    def loss(module, im, c):
        return (module.map_coordinates(im, [c[0], c[1]], order=1, mode="nearest") ** 2).sum()

    import portax.scipy.ndimage as pnd

    got_image, got_coords = portax.grad(lambda im, c: loss(pnd, im, c), argnums=(0, 1))(image, coords)
    want_image, want_coords = jax.grad(lambda im, c: loss(jnd, im, c), argnums=(0, 1))(IMAGE, COORDS)
    np.testing.assert_allclose(to_numpy(got_image), np.asarray(want_image), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(to_numpy(got_coords), np.asarray(want_coords), rtol=1e-4, atol=1e-3)


GRID = (np.array([0.0, 1.0, 2.5, 4.0], np.float32), np.array([-1.0, 0.0, 2.0], np.float32))
VALUES = np.sin(np.arange(12, dtype=np.float32)).reshape(4, 3)
POINTS = np.array([[0.5, -0.5], [2.0, 1.9], [3.9, -1.0], [4.5, 0.0], [1.0, 2.0], [-0.1, 1.0]], np.float32)


@pytest.mark.parametrize("method", _first_fast(["linear", "nearest"]))
@pytest.mark.parametrize("fill_value", _first_fast([np.nan, None, -7.0]))
def test_regular_grid_interpolator_matches_scipy(xp, method, fill_value):
    interpolate = RegularGridInterpolator(tuple(xp.asarray(g) for g in GRID), xp.asarray(VALUES), method=method,
                                          fill_value=fill_value)
    got = interpolate(xp.asarray(POINTS))
    reference = si.RegularGridInterpolator(GRID, VALUES.astype(np.float64), method=method, bounds_error=False,
                                           fill_value=fill_value)(POINTS.astype(np.float64))
    assert to_numpy(got).dtype == np.float32
    np.testing.assert_allclose(to_numpy(got), reference, rtol=1e-5, atol=1e-6)
    as_tuple = interpolate((xp.asarray(POINTS[:, 0]), xp.asarray(POINTS[:, 1])))
    np.testing.assert_allclose(to_numpy(as_tuple), reference, rtol=1e-5, atol=1e-6)


def test_regular_grid_interpolator_pytree_jit_grad_and_errors(xp):
    grid = tuple(xp.asarray(g) for g in GRID)
    trailing = np.stack([VALUES, 2 * VALUES], axis=-1)  # trailing value axes are carried through
    interpolate = RegularGridInterpolator(grid, xp.asarray(trailing))
    got = portax.jit(lambda f, p: f(p))(interpolate, xp.asarray(POINTS[:3]))
    expected = si.RegularGridInterpolator(GRID, trailing.astype(np.float64))(POINTS[:3])
    np.testing.assert_allclose(to_numpy(got), expected, rtol=1e-5, atol=1e-6)
    weights = portax.grad(lambda v: RegularGridInterpolator(grid, v)(xp.asarray(POINTS[:3])).sum())(xp.asarray(VALUES))
    # linear in the values: the gradient is the interpolation of each unit grid value (SciPy's)
    want = [si.RegularGridInterpolator(GRID, e.reshape(VALUES.shape))(POINTS[:3]).sum() for e in np.eye(VALUES.size)]
    np.testing.assert_allclose(to_numpy(weights).ravel(), want, atol=1e-6)
    with pytest.raises(ValueError, match="method"):
        RegularGridInterpolator(grid, xp.asarray(VALUES), method="cubic")
    with pytest.raises(NotImplementedError, match="bounds_error"):
        RegularGridInterpolator(grid, xp.asarray(VALUES), bounds_error=True)
    with pytest.raises(ValueError, match="dimension"):
        RegularGridInterpolator(grid, xp.asarray(VALUES))(xp.asarray(np.ones((2, 3), np.float32)))
