"""Exceptions raised by portax (the public list)."""

from portax._src.errors import (
    BackendMismatchError as BackendMismatchError,
    BackendNotFoundError as BackendNotFoundError,
    BatchingError as BatchingError,
    CompileFallbackWarning as CompileFallbackWarning,
    CompileNoticeWarning as CompileNoticeWarning,
    ConcretizationError as ConcretizationError,
    ConcretizationTypeError as ConcretizationTypeError,
    InvalidKeyError as InvalidKeyError,
    KeyReuseError as KeyReuseError,
    NonConcreteBooleanIndexError as NonConcreteBooleanIndexError,
    PortaxError as PortaxError,
    TracerArrayConversionError as TracerArrayConversionError,
    TracerBoolConversionError as TracerBoolConversionError,
    TracerIntegerConversionError as TracerIntegerConversionError,
    TransformTypeError as TransformTypeError,
    UnexpectedTracerError as UnexpectedTracerError,
    UnsupportedError as UnsupportedError,
)
