"""Dtype utilities (``jax.dtypes``)."""

from typing import TYPE_CHECKING, Any

from portax._src.dtypes import (
    canonicalize_dtype as canonicalize_dtype,
    finfo as finfo,
    iinfo as iinfo,
    issubdtype as issubdtype,
    result_type as result_type,
)

if TYPE_CHECKING:
    bfloat16: Any
else:

    def __getattr__(name: str) -> Any:
        if name == "bfloat16":  # ml_dtypes.bfloat16, imported when asked for
            from portax._src.dtypes import _bfloat16

            return _bfloat16()
        raise AttributeError(f"module 'portax.dtypes' has no attribute {name!r}")
