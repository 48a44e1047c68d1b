"""What a backend plugin implements and may import (the public protocol; see the *Writing a backend* guide).

The protocol: :class:`Backend` (class attributes, namespace, dtypes, capabilities, devices, config hook) and the
objects it returns: :class:`Transforms`, :class:`ControlFlow`, :class:`Collectives`, :class:`DebugHooks`,
:class:`RandomHooks`. Every hook core calls is declared on one of them (``tests/core/test_backend_protocol.py``
checks it). The helpers below are what the two first-party backends share with core; a backend package imports
these names from here (and ``portax``, ``portax.numpy``, ``portax.tree``, ``portax.errors``, ``portax.dtypes``),
never from portax's private modules.
"""

from portax._src.backend import (
    DTYPE_NAMES as DTYPE_NAMES,
    KNOWN_CAPABILITIES as KNOWN_CAPABILITIES,
    Backend as Backend,
    Collectives as Collectives,
    DebugHooks as DebugHooks,
    RandomHooks as RandomHooks,
    Transforms as Transforms,
)
from portax._src.debug import TracedProgram as TracedProgram, invoke as invoke
from portax._src.dtypes import to_numpy_dtype as to_numpy_dtype
from portax._src.errors import JAX_ERROR_NAMES as JAX_ERROR_NAMES
from portax._src.lax_control import ControlFlow as ControlFlow, check_same_types as check_same_types
from portax._src.numpy.corrections import (
    COMPLEX_SPECIAL_CASES as COMPLEX_SPECIAL_CASES,
    array_equal_over as array_equal_over,
    complex_special_values as complex_special_values,
    isclose_over as isclose_over,
    select_cases as select_cases,
)
from portax._src.prng_samplers import ThreefrySamplers as ThreefrySamplers
from portax._src.registry import (
    running_on as running_on,
    tracing as tracing,
    tracing_backend as tracing_backend,
)
from portax._src.transforms import CheckpointPolicy as CheckpointPolicy, arguments_unchanged as arguments_unchanged
from portax._src.tree import broadcast_prefix as broadcast_prefix, register_tuple_like as register_tuple_like

__all__ = [
    "Backend",
    "COMPLEX_SPECIAL_CASES",
    "CheckpointPolicy",
    "Collectives",
    "ControlFlow",
    "DTYPE_NAMES",
    "DebugHooks",
    "JAX_ERROR_NAMES",
    "KNOWN_CAPABILITIES",
    "RandomHooks",
    "ThreefrySamplers",
    "TracedProgram",
    "Transforms",
    "arguments_unchanged",
    "array_equal_over",
    "broadcast_prefix",
    "check_same_types",
    "complex_special_values",
    "invoke",
    "isclose_over",
    "register_tuple_like",
    "running_on",
    "select_cases",
    "tracing",
    "tracing_backend",
    "to_numpy_dtype",
]
