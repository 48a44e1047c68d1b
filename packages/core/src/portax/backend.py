"""What a backend plugin implements and may import (the public protocol; see the *Writing a backend* guide).

A backend package imports these names from here, never from portax's private modules.
"""

from portax._src.backend import (
    DTYPE_NAMES as DTYPE_NAMES,
    KNOWN_CAPABILITIES as KNOWN_CAPABILITIES,
    Backend as Backend,
    Transforms as Transforms,
)
from portax._src.lax_control import ControlFlow as ControlFlow

__all__ = ["Backend", "ControlFlow", "DTYPE_NAMES", "KNOWN_CAPABILITIES", "Transforms"]
