"""Exceptions raised by portax (the public list)."""

from portax._src.errors import (
    BackendMismatchError as BackendMismatchError,
    BackendNotFoundError as BackendNotFoundError,
    BatchingError as BatchingError,
    CompileFallbackWarning as CompileFallbackWarning,
    CompileNoticeWarning as CompileNoticeWarning,
    ConcretizationError as ConcretizationError,
    InvalidKeyError as InvalidKeyError,
    PortaxError as PortaxError,
    TransformTypeError as TransformTypeError,
    UnsupportedError as UnsupportedError,
)
