"""Exceptions raised by portax (the public list; see ``portax._src.errors``)."""

from portax._src.errors import (
    BatchingError as BatchingError,
    BackendMismatchError as BackendMismatchError,
    BackendNotFoundError as BackendNotFoundError,
    ConcretizationError as ConcretizationError,
    PortaxError as PortaxError,
    TransformTypeError as TransformTypeError,
    UnsupportedError as UnsupportedError,
)
