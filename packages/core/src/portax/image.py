"""Image resampling of ``jax.image`` (the public list)."""

from portax._src.image import (
    ResizeMethod as ResizeMethod,
    resize as resize,
    scale_and_translate as scale_and_translate,
)
