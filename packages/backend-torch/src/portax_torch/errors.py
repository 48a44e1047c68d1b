"""torch's errors as JAX's exception classes, applied once at portax's dispatch boundary (``portax._src.dispatch``).

torch reports most bad input as ``RuntimeError`` (shape mismatches of broadcasting, matmul, reshape, concatenate),
``IndexError`` (a bad axis) or ``NotImplementedError`` (an operation on a dtype without a kernel); JAX raises
``TypeError``/``ValueError`` there. Each rule below is a fragment of torch's message and JAX's class for it (jax
0.10, checked by ``tests/errors/test_error_catalogue.py``); functions whose JAX class differs are listed by name.
The new error says which portax function failed, keeps torch's message, and has torch's error as ``__cause__``.
"""

from __future__ import annotations

from numpy.exceptions import AxisError

#: (fragment of torch's message, JAX's class); the first match wins.
RULES: tuple[tuple[str, type[Exception]], ...] = (
    ("must match the size of tensor b", TypeError),  # broadcasting in an elementwise op (JAX: TypeError)
    ("The expanded size of the tensor", ValueError),  # broadcast_to
    ("Sizes of tensors must match except in dimension", TypeError),  # concatenate
    ("Tensors must have same number of dimensions", TypeError),
    ("stack expects each tensor to be equal size", ValueError),
    ("contracted dimensions need to match", TypeError),  # dot/tensordot: dot_general's TypeError
    ("mat1 and mat2 shapes cannot be multiplied", TypeError),
    ("size mismatch", TypeError),
    ("tensordot expects dims < ndim_a or ndim_b", TypeError),  # more contracted axes than dimensions
    ("Expected size for first two dimensions of batch2", TypeError),
    ("inconsistent tensor size", TypeError),
    ("is invalid for input of size", TypeError),  # reshape
    ("Dimension out of range", AxisError),  # numpy's AxisError is both ValueError and IndexError, as JAX's uses vary
    ("duplicate dims are not allowed", TypeError),
    ("must be batches of square matrices", ValueError),
    ("Incompatible shapes of A and B", ValueError),
    ("inconsistent with step sign", ValueError),
    ("Dimension size must be non-negative", TypeError),
    ("only supported on matrices or batches of matrices", TypeError),
    ("must have at least 2 dimensions", ValueError),
    ("bool tensors is not supported", TypeError),  # subtract of bools: JAX's "sub does not accept dtype bool"
    ("on a bool tensor is not supported", TypeError),  # negative of a bool
    ("not supported", ValueError),  # linalg.matrix_norm: Order bad not supported
    ("without overflow", OverflowError),
    ("not implemented for '", TypeError),  # no kernel for the dtype (bitwise ops of floats): JAX's dtype TypeError
)

#: function -> JAX's class where it differs from the rule's (``where``/``broadcast_arrays`` broadcast with ValueError).
BY_FUNCTION: dict[str, type[Exception]] = {
    "where": ValueError,
    "broadcast_arrays": ValueError,
    "broadcast_to": ValueError,
    "gcd": ValueError,
    "lcm": ValueError,
    "inv": ValueError,
}


def translate(module: str, name: str, error: BaseException) -> BaseException | None:
    """JAX's class of exception for torch's ``error`` in ``portax.<module>.<name>``, or None to keep torch's."""
    message = str(error)
    for fragment, cls in RULES:
        if fragment in message:
            cls = BY_FUNCTION.get(name, cls) if cls is not AxisError else cls
            return cls(f"portax.{module}.{name}: {message.splitlines()[0] if message else type(error).__name__}")
    return None
