"""Type aliases for annotating portax code."""

from portax._src.typing import Array as Array, ArrayLike as ArrayLike, DTypeLike as DTypeLike
