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


# -- JAX's error class names (``jax.errors``) --------------------------------------------------------------------
#
# Programs ported from JAX catch these names. portax raises them on every backend where it can tell which case
# happened, and the JAX backend re-raises JAX's own errors as the class of the same name (``portax_jax.transforms``).
# ``isinstance``/``issubclass`` also accept JAX's class of the same name (an error raised by a bare ``jax`` call);
# ``except`` does not consult the metaclass (CPython compares exception types directly), hence the re-raising.


class _AlsoJaxNamed(type):
    """Metaclass: ``isinstance(e, C)`` is also true for JAX's exception class of the same name (``_jax_name``, else
    ``C.__name__``) and its subclasses; jax is never imported to find out."""

    def __instancecheck__(cls, instance: object) -> bool:
        return cls.__subclasscheck__(type(instance))

    def __subclasscheck__(cls, subclass: type) -> bool:
        if type.__subclasscheck__(cls, subclass):
            return True
        jax_class = _jax_error_class(cls.__dict__.get("_jax_name", cls.__name__))
        return jax_class is not None and isinstance(subclass, type) and issubclass(subclass, jax_class)


def _jax_error_class(name: str) -> type | None:
    import sys

    module = sys.modules.get("jax.errors")
    found = getattr(module, name, None) if module is not None else None
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


class ConcretizationError(PortaxError, TypeError, metaclass=_AlsoJaxNamed):
    """A traced value was used where a concrete Python value is needed (e.g. a Python ``if`` under ``jit``).

    ``ConcretizationTypeError`` (JAX's name) is this class. The subclasses below name the conversion where the
    backend can tell (a branch on traced data is a ``TracerBoolConversionError`` on every backend); otherwise the
    backend raises this class itself.
    """

    _jax_name = "ConcretizationTypeError"


ConcretizationTypeError = ConcretizationError


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


class TracerBoolConversionError(ConcretizationError):
    """``bool()`` of a traced array (a Python ``if``/``while``/``and`` on traced data); use ``lax.cond``/``where``."""


class TracerIntegerConversionError(ConcretizationError):
    """``int()``/``__index__`` of a traced array (a traced value used as a size or Python index).

    Unlike JAX's, it is a :class:`ConcretizationTypeError` subclass (portax cannot always tell the conversions apart).
    """


class TracerArrayConversionError(ConcretizationError):
    """``numpy.asarray`` of a traced array (NumPy code inside a transformation); use ``portax.numpy`` there."""


class NonConcreteBooleanIndexError(ConcretizationError, IndexError):
    """Boolean-mask indexing of a traced array (its shape would depend on data); use ``where`` or ``size=``."""


class UnexpectedTracerError(PortaxError, TypeError, metaclass=_AlsoJaxNamed):
    """A traced value escaped its transformation (kept in a global or a closure and used afterwards)."""


class KeyReuseError(PortaxError, TypeError, metaclass=_AlsoJaxNamed):
    """A PRNG key was used twice where key-reuse checking is on (``jax_debug_key_reuse``)."""


# JAX class name -> the portax class raised for it (the JAX backend walks an error's MRO through this table).
JAX_ERROR_NAMES: dict[str, type[PortaxError]] = {
    cls.__dict__.get("_jax_name", cls.__name__): cls
    for cls in (
        TracerBoolConversionError,
        TracerIntegerConversionError,
        TracerArrayConversionError,
        NonConcreteBooleanIndexError,
        ConcretizationError,
        UnexpectedTracerError,
        KeyReuseError,
    )
}
