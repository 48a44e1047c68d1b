"""The backend protocol: what a portax backend plugin implements.

A backend is a subclass of :class:`Backend` announced through the ``portax.backends`` entry-point group. Its class
attributes (``name``, ``distribution``, ``priority``, ``array_modules``, ``engine_modules``) are read without
importing the engine (jax, torch, ...); the engine is imported when the class is instantiated, which portax does
only when an array of that engine appears or the backend is selected.
"""

from __future__ import annotations

import abc
import importlib.util
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any, ClassVar

#: Capabilities a backend may declare. The conformance suite checks each declared capability works and each
#: missing one raises :class:`portax.errors.UnsupportedError`.
KNOWN_CAPABILITIES = frozenset(
    {
        "numpy",  # portax.numpy
        "linalg",  # portax.numpy.linalg
        "fft",  # portax.numpy.fft
        "float64",  # float64 / complex128 arrays
        "complex",  # complex64 arrays
        "uint64",  # uint16/uint32/uint64 arithmetic
    }
)

#: The dtype names of the array API standard (plus the low-precision floats most engines have).
DTYPE_NAMES = (
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
)


class Backend(abc.ABC):
    """An array engine that executes portax programs.

    Subclasses set the class attributes below and implement the abstract members. ``__init__`` may import the engine;
    nothing else in the class body may.
    """

    #: Short name used by ``use_backend``/``PORTAX_BACKEND`` (e.g. ``"torch"``).
    name: ClassVar[str]
    #: The pip distribution that provides the backend (named in "not installed" errors).
    distribution: ClassVar[str]
    #: Higher wins when no backend is selected explicitly.
    priority: ClassVar[int] = 0
    #: Top-level module names whose array types belong to this backend (``type(x).__module__`` prefix).
    array_modules: ClassVar[tuple[str, ...]] = ()
    #: Modules that must be importable for the backend to be usable.
    engine_modules: ClassVar[tuple[str, ...]] = ()
    #: True when the engine's own namespace accepts Python scalars, NumPy arrays and lists wherever it accepts arrays,
    #: so the dispatcher passes them through untouched instead of converting them first.
    accepts_array_likes: ClassVar[bool] = False

    @classmethod
    def is_available(cls) -> bool:
        """Whether the engine can be imported (checked without importing it)."""
        return all(importlib.util.find_spec(module) is not None for module in cls.engine_modules)

    # -- what the engine provides -------------------------------------------------------------------------------

    @property
    @abc.abstractmethod
    def array_types(self) -> tuple[type, ...]:
        """The engine's array types, including tracer types; ``isinstance(x, array_types)`` decides ownership."""

    @property
    @abc.abstractmethod
    def numpy(self) -> ModuleType:
        """The namespace implementing ``portax.numpy`` (same names and signatures as the core declarations)."""

    @property
    def numpy_linalg(self) -> ModuleType | None:
        """The namespace implementing ``portax.numpy.linalg``, or None when the capability is missing."""
        return None

    @property
    def numpy_fft(self) -> ModuleType | None:
        """The namespace implementing ``portax.numpy.fft``, or None when the capability is missing."""
        return None

    @property
    @abc.abstractmethod
    def dtypes(self) -> Mapping[str, Any]:
        """The engine's dtype objects by array API name (``"float32"`` -> ``torch.float32``)."""

    @property
    @abc.abstractmethod
    def capabilities(self) -> frozenset[str]:
        """The features this backend provides (names from :data:`KNOWN_CAPABILITIES` or later issues)."""

    # -- devices ------------------------------------------------------------------------------------------------

    @abc.abstractmethod
    def devices(self) -> Sequence[Any]:
        """The engine's devices usable by portax, default device first."""

    def device_count(self) -> int:
        """Number of devices from :meth:`devices`."""
        return len(self.devices())

    def default_device(self) -> Any:
        """The device new arrays are created on."""
        return self.devices()[0]

    # -- helpers used by the dispatcher ----------------------------------------------------------------------------

    def owns(self, x: object) -> bool:
        """Whether ``x`` is an array of this backend."""
        return isinstance(x, self.array_types)

    def __repr__(self) -> str:
        return f"<portax backend {self.name!r}>"
