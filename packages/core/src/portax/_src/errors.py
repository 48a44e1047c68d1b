"""portax's exception classes.

Every error says what happened, names the offending backend, types, shapes or dtypes, and what to do instead.
"""

from __future__ import annotations


class PortaxError(Exception):
    """Base class of every error portax raises on purpose."""


class BackendNotFoundError(PortaxError, LookupError):
    """A backend was asked for by name but is not installed (or its engine cannot be imported)."""


class BackendMismatchError(PortaxError, TypeError):
    """Arrays of two different backends were passed to one call."""


class UnsupportedError(PortaxError, NotImplementedError):
    """The backend declares that it cannot provide this feature; raised before any work is done."""

    def __init__(self, backend: str, feature: str, hint: str = "") -> None:
        self.backend = backend
        self.feature = feature
        message = f"the {backend!r} backend does not support {feature}"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class ConcretizationError(PortaxError, TypeError):
    """A traced value was used where a concrete Python value is needed (e.g. a Python ``if`` under ``jit``)."""


class TransformTypeError(PortaxError, TypeError):
    """A transformation got arguments it cannot differentiate or map (JAX raises ``TypeError`` in the same cases).

    Raised on every backend for: a non-scalar output to ``grad``, integer or boolean inputs to ``grad``/``jacrev``,
    and ``argnums`` that do not name positional arguments.
    """


class BatchingError(PortaxError, ValueError):
    """``vmap`` got inconsistent mapped sizes or invalid ``in_axes``/``out_axes`` (JAX raises ``ValueError``)."""


class CompileFallbackWarning(RuntimeWarning):
    """``portax.jit`` runs a function uncompiled because the backend's compiler cannot compile it correctly.

    The results are right; only speed differs. The message names the function and the reason.
    """


class CompileNoticeWarning(UserWarning):
    """A backend is about to spend seconds compiling (a one-time cost per process); says what and how to avoid it.

    Silence it with ``warnings.filterwarnings("ignore", category=portax.errors.CompileNoticeWarning)``.
    """


class InvalidKeyError(PortaxError, TypeError):
    """A value that is not a portax PRNG key (raw uint32 key data of shape ``(2,)``) was passed as a key."""
