"""``portax.image``: ``jax.image.resize`` and ``scale_and_translate`` with JAX 0.10's numerics on every backend.

JAX's algorithm (``jax/_src/image/scale.py``) written once over ``portax.numpy``: per resized dimension a weight
matrix ``(input_size, output_size)`` from the method's kernel (antialiased when downsampling), contracted with the
image by ``tensordot``. JAX runs ``jax.image`` itself through its ``lax_module`` hook; torch's own
``F.interpolate`` is not used because its antialiasing and edge conventions differ from JAX's.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import portax.numpy as pnp
from portax._src.scipy._native import backend_for, creating_on, native
from portax._src.scipy.special import promote_inexact

Array = Any


class ResizeMethod(enum.Enum):
    """Image resize methods (``jax.image.ResizeMethod``)."""

    NEAREST = 0
    LINEAR = 1
    LANCZOS3 = 2
    LANCZOS5 = 3
    CUBIC = 4
    CUBIC_PYTORCH = 5
    AREA = 6

    @staticmethod
    def from_string(s: str) -> ResizeMethod:
        """The method named ``s`` (``"linear"``, ``"bilinear"``, ``"cubic"``, ``"lanczos3"``, ...).

        Raises:
            ValueError: an unknown name.
        """
        names = {
            "nearest": ResizeMethod.NEAREST, "linear": ResizeMethod.LINEAR, "bilinear": ResizeMethod.LINEAR,
            "trilinear": ResizeMethod.LINEAR, "triangle": ResizeMethod.LINEAR, "lanczos3": ResizeMethod.LANCZOS3,
            "lanczos5": ResizeMethod.LANCZOS5, "cubic": ResizeMethod.CUBIC, "bicubic": ResizeMethod.CUBIC,
            "tricubic": ResizeMethod.CUBIC, "cubic-pytorch": ResizeMethod.CUBIC_PYTORCH,
            "bicubic-pytorch": ResizeMethod.CUBIC_PYTORCH, "area": ResizeMethod.AREA,
        }
        if s not in names:
            raise ValueError(f'Unknown resize method "{s}"')
        return names[s]


def _lanczos(radius: float) -> Callable[[Any], Any]:
    def kernel(x: Any) -> Any:
        y = radius * pnp.sin(np.pi * x) * pnp.sin(np.pi * x / radius)
        out = pnp.where(x > 1e-3, y / pnp.where(x != 0, np.pi**2 * x**2, 1.0), 1.0)
        return pnp.where(x > radius, 0.0, out)

    return kernel


def _keys_cubic(x: Any) -> Any:
    # Keys' cubic kernel with A = -0.5 (Pillow, TensorFlow, and torch with antialiasing).
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = pnp.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return pnp.where(x >= 2.0, 0.0, out)


def _opencv_cubic(x: Any) -> Any:
    # A = -0.75: torch's bicubic without antialiasing (OpenCV's).
    a = -0.75
    out = ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    out = pnp.where(x >= 1.0, ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a, out)
    return pnp.where(x >= 2.0, 0.0, out)


def _triangle(x: Any) -> Any:
    return pnp.maximum(0.0, 1.0 - pnp.abs(x))


_AREA = object()
_KERNELS: dict[ResizeMethod, tuple[int, Any]] = {
    ResizeMethod.LINEAR: (1, _triangle),
    ResizeMethod.LANCZOS3: (3, _lanczos(3.0)),
    ResizeMethod.LANCZOS5: (5, _lanczos(5.0)),
    ResizeMethod.CUBIC: (2, _keys_cubic),
    ResizeMethod.CUBIC_PYTORCH: (2, _opencv_cubic),
    ResizeMethod.AREA: (1, _AREA),
}


def _weight_matrix(input_size: int, output_size: int, scale: Any, translation: Any, kernel: Any, antialias: bool,
                   edge_padding: bool, radius: int) -> Any:
    """``(input_size, output_size)`` resampling weights (``jax._src.image.scale.compute_weight_mat``, 0.10)."""
    inv_scale = 1.0 / scale
    kernel_scale = pnp.maximum(inv_scale, 1.0) if antialias else 1.0
    sample = (pnp.arange(output_size, dtype=pnp.float32) + 0.5) * inv_scale - translation * inv_scale - 0.5
    k = (math.ceil(radius * max(1.0 / float(scale), 1.0)) if antialias else radius) if edge_padding else 0
    expanded = pnp.arange(-k, input_size + k, dtype=pnp.float32)
    if kernel is _AREA:
        left_out = pnp.arange(output_size, dtype=pnp.float32) * inv_scale - translation * inv_scale
        right_out = left_out + inv_scale
        left_in = pnp.arange(input_size, dtype=pnp.float32)
        right_in = left_in + 1.0
        weights = pnp.maximum(0.0, pnp.minimum(right_out[None, :], right_in[:, None])
                              - pnp.maximum(left_out[None, :], left_in[:, None]))
    else:
        weights = kernel(pnp.abs(sample[None, :] - expanded[:, None]) / kernel_scale)
    if edge_padding:
        # Out-of-image taps fold onto the edge pixel: a one-hot matrix sums them (JAX's scatter-add).
        clamped = pnp.clip(pnp.astype(expanded, pnp.int32), 0, input_size - 1)
        one_hot = pnp.astype(clamped[:, None] == pnp.arange(input_size)[None, :], weights.dtype)
        weights = pnp.matmul(pnp.swapaxes(one_hot, 0, 1), weights)
    total = pnp.sum(weights, axis=0, keepdims=True)
    weights = pnp.where(pnp.abs(total) > 1000.0 * float(np.finfo(np.float32).eps),
                        weights / pnp.where(total != 0, total, 1.0), 0.0)
    if not edge_padding:
        inside = pnp.logical_and(sample >= -0.5, sample <= input_size - 0.5)
        weights = pnp.where(inside[None, :], weights, 0.0)
    return weights


def _scale_and_translate(x: Any, shape: Sequence[int], spatial_dims: Sequence[int], scale: Sequence[Any],
                         translation: Sequence[Any], method: ResizeMethod, antialias: bool) -> Any:
    if method == ResizeMethod.CUBIC_PYTORCH and antialias:
        method = ResizeMethod.CUBIC
    radius, kernel = _KERNELS[method]
    edge_padding = method == ResizeMethod.CUBIC_PYTORCH and not antialias
    for i, axis in enumerate(spatial_dims):
        axis = axis % x.ndim
        weights = pnp.astype(_weight_matrix(x.shape[axis], shape[axis], scale[i], translation[i], kernel, antialias,
                                            edge_padding, radius), x.dtype)
        x = pnp.moveaxis(pnp.tensordot(x, weights, axes=([axis], [0])), -1, axis)
    return x


def _method(method: str | ResizeMethod) -> ResizeMethod:
    if isinstance(method, str):
        return ResizeMethod.from_string(method)
    if isinstance(method, ResizeMethod):
        return method
    name = getattr(method, "name", None)  # jax.image.ResizeMethod
    if name in ResizeMethod.__members__:
        return ResizeMethod[name]
    raise ValueError(f"Unknown resize method {method!r}")


def _check_shape(shape: Sequence[int], image: Any) -> tuple[int, ...]:
    shape = tuple(int(s) for s in shape)
    if len(shape) != image.ndim:
        raise ValueError(
            "shape must have length equal to the number of dimensions of x; "
            f" {shape} vs {tuple(image.shape)}"
        )
    return shape


def _image_array(image: Any) -> Any:
    backend = backend_for(image)
    if backend.owns(image):
        return backend, image
    with creating_on(backend):
        return backend, pnp.asarray(image)


def resize(image: Any, shape: Sequence[int], method: str | ResizeMethod, antialias: bool = True,
           precision: Any = None) -> Array:
    """Resize an image (``jax.image.resize``): every dimension whose size changes is resampled.

    Args:
        image: an array; batch and channel dimensions keep their size in ``shape``.
        shape: the output shape (one entry per dimension of ``image``).
        method: ``"nearest"``, ``"linear"`` (``"bilinear"``...), ``"cubic"``, ``"cubic-pytorch"``, ``"lanczos3"``,
            ``"lanczos5"``, ``"area"``, or a :class:`ResizeMethod`.
        antialias: low-pass filter when downsampling (no effect when upsampling, nor for ``"nearest"``).
        precision: accepted for compatibility.

    Returns:
        The resized image; floating (``"nearest"`` keeps the input's dtype).

    Raises:
        ValueError: ``shape`` of the wrong length, or an unknown method.

    Example:
        >>> import portax.numpy as pnp, portax.image
        >>> portax.image.resize(pnp.array([0.0, 1.0]), (4,), "linear").tolist()
        [0.0, 0.25, 0.75, 1.0]
    """
    backend, image = _image_array(image)
    shape = _check_shape(shape, image)
    method = _method(method)
    hook = native(backend, "image_resize", "lax_module")
    if hook is not None:
        return hook(image, shape, method.name, antialias)
    with creating_on(backend):
        if method == ResizeMethod.NEAREST:
            return _resize_nearest(image, shape)
        (image,) = promote_inexact(image)
        spatial = [d for d in range(len(shape)) if image.shape[d] != shape[d]]
        scale = [1.0 if shape[d] == 0 else shape[d] / image.shape[d] for d in spatial]
        return _scale_and_translate(image, shape, spatial, scale, [0.0] * len(spatial), method, antialias)


def _resize_nearest(x: Any, shape: Sequence[int]) -> Any:
    for axis, (m, n) in enumerate(zip(x.shape, shape, strict=True)):
        if m != n:
            offsets = pnp.floor((pnp.arange(n, dtype=pnp.float32) + 0.5) * m / n)
            x = pnp.take(x, pnp.astype(offsets, pnp.int32), axis=axis)
    return x


def scale_and_translate(image: Any, shape: Sequence[int], spatial_dims: Sequence[int], scale: Any, translation: Any,
                        method: str | ResizeMethod, antialias: bool = True, precision: Any = None) -> Array:
    """Resample ``image`` under ``x -> x * scale + translation`` in ``spatial_dims`` (``jax.image``'s).

    Pixels are half-centred; output locations whose source lies outside the input are zero.

    Args:
        image: an array.
        shape: the output shape (one entry per dimension of ``image``).
        spatial_dims: the ``K`` dimensions that are resampled.
        scale: ``K`` scales (numbers or an array; differentiable).
        translation: ``K`` translations.
        method: any :func:`resize` method but ``"nearest"``.
        antialias: low-pass filter when downsampling.
        precision: accepted for compatibility.

    Returns:
        The resampled image.

    Raises:
        ValueError: ``shape`` of the wrong length, ``"nearest"``, or an unknown method.

    Example:
        >>> import portax.numpy as pnp, portax.image
        >>> portax.image.scale_and_translate(pnp.array([1.0, 2.0]), (2,), (0,), [1.0], [1.0], "linear").tolist()
        [0.0, 1.0]
    """
    backend, image = _image_array(image)
    shape = _check_shape(shape, image)
    method = _method(method)
    if method == ResizeMethod.NEAREST:
        raise ValueError("Nearest neighbor resampling is not currently supported for scale_and_translate.")
    hook = native(backend, "image_scale_and_translate", "lax_module")
    if hook is not None:
        return hook(image, shape, tuple(spatial_dims), scale, translation, method.name, antialias)
    (image,) = promote_inexact(image)
    if len(spatial_dims) == 0:
        return image
    with creating_on(backend):
        scale = [scale[i] for i in range(len(spatial_dims))]
        translation = [translation[i] for i in range(len(spatial_dims))]
        return _scale_and_translate(image, shape, spatial_dims, scale, translation, method, antialias)
