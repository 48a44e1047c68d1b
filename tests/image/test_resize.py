"""``portax.image.resize`` / ``scale_and_translate`` against real ``jax.image`` 0.10, on every backend."""

from __future__ import annotations

import warnings

import numpy as np
import portax
import portax.image
import pytest
from helpers import to_numpy

RNG = np.random.default_rng(11)
IMAGE = RNG.standard_normal((2, 7, 6, 3)).astype(np.float32)
METHODS = ["nearest", "linear", "bilinear", "cubic", "cubic-pytorch", "lanczos3", "lanczos5", "area"]


@pytest.fixture(scope="module")
def jax_image():
    return pytest.importorskip("jax.image")


def _close(got, want, rtol=1e-4, atol=1e-5):
    got, want = to_numpy(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, got.dtype, want.shape, want.dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("shape", [(2, 12, 9, 3), (2, 4, 3, 3), (2, 5, 11, 3), (1, 7, 6, 2)])
@pytest.mark.parametrize("method", METHODS)
def test_resize_matches_jax(method, shape, antialias, xp, jax_image):
    if shape[0] != 2 and method != "linear":
        pytest.skip("resizing batch/channel dimensions is covered by one method")
    if not antialias and shape != (2, 4, 3, 3):
        pytest.skip("antialias only matters when downsampling: antialias=False is covered by the downsampling shape")
    _close(portax.image.resize(xp.asarray(IMAGE), shape, method, antialias=antialias),
           jax_image.resize(IMAGE, shape, method, antialias=antialias))


def test_resize_dtypes_match_jax(xp, jax_image):
    ints = RNG.integers(0, 255, size=(5, 4)).astype(np.int32)
    _close(portax.image.resize(xp.asarray(ints), (8, 6), "nearest"), jax_image.resize(ints, (8, 6), "nearest"))
    _close(portax.image.resize(xp.asarray(ints), (8, 6), "linear"), jax_image.resize(ints, (8, 6), "linear"),
           rtol=1e-5, atol=1e-3)
    method = portax.image.ResizeMethod.LANCZOS3
    _close(portax.image.resize(xp.asarray(IMAGE[0]), (9, 4, 3), method),
           jax_image.resize(IMAGE[0], (9, 4, 3), jax_image.ResizeMethod.LANCZOS3))


@pytest.mark.parametrize("method", ["linear", "cubic", "lanczos3"])
def test_scale_and_translate_matches_jax(method, xp, jax_image):
    for scale, translation in (([1.7, 0.6], [0.5, -1.0]), ([0.5, 2.0], [0.0, 0.25])):
        got = portax.image.scale_and_translate(xp.asarray(IMAGE), (2, 9, 5, 3), (1, 2), xp.asarray(scale),
                                               xp.asarray(translation), method)
        want = jax_image.scale_and_translate(IMAGE, (2, 9, 5, 3), (1, 2), np.asarray(scale, np.float32),
                                             np.asarray(translation, np.float32), method)
        _close(got, want)


@pytest.mark.parametrize("mode", ["jit", "grad", "vmap", "jit_grad"])
def test_resize_in_compositions(mode, xp, jax_reference):
    jax, jnp = jax_reference

    def build(t, resize):
        def f(x):
            return resize(x, (12, 5, 3), "cubic")

        def loss(x):
            return (f(x) ** 2).sum()

        return {"jit": t.jit(f), "grad": t.grad(loss), "vmap": t.vmap(f), "jit_grad": t.jit(t.grad(loss))}[mode]

    x = IMAGE if mode == "vmap" else IMAGE[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", portax.errors.CompileFallbackWarning)  # jit compiles on torch
        got = build(portax, portax.image.resize)(xp.asarray(x))
    _close(got, build(jax, jax.image.resize)(jnp.asarray(x)), rtol=1e-4, atol=1e-4)


def test_gradient_with_respect_to_scale_matches_jax(xp, jax_reference, jax_image):
    jax, jnp = jax_reference

    def build(t, module, asarray):
        def loss(scale):
            out = module.scale_and_translate(asarray(IMAGE[0]), (9, 5, 3), (0, 1), scale, asarray([0.5, 0.0]),
                                             "linear")
            return (out ** 2).sum()

        return t.grad(loss)

    got = build(portax, portax.image, xp.asarray)(xp.asarray([1.3, 0.8]))
    want = build(jax, jax_image, jnp.asarray)(jnp.asarray([1.3, 0.8]))
    _close(got, want, rtol=1e-3, atol=1e-3)


def test_errors_match_jax(xp, jax_image):
    for call in (
        lambda m, x: m.resize(x, (3, 3), "linear"),
        lambda m, x: m.resize(x, (2, 14, 12, 3), "bogus"),
        lambda m, x: m.scale_and_translate(x, (2, 7, 6, 3), (1,), [1.0], [0.0], "nearest"),
    ):
        with pytest.raises(ValueError) as theirs:
            call(jax_image, IMAGE)
        with pytest.raises(ValueError) as ours:
            call(portax.image, xp.asarray(IMAGE))
        assert str(ours.value) == str(theirs.value)


def test_image_is_a_lazy_submodule():
    assert "image" in dir(portax) and portax.image.resize is not None
