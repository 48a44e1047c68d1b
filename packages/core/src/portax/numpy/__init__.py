"""JAX-compatible NumPy API that runs on the backend owning its arguments (``import portax.numpy as jnp``).

Dtype names (``portax.numpy.float32``) resolve to the current backend's dtype objects.
"""

from typing import TYPE_CHECKING

from portax._src.numpy.api import *  # noqa: F403  (the explicit list is api.__all__)
from portax._src.numpy.api import __all__ as _api_all
from portax._src.numpy.at import at as at
from portax._src.numpy.functional import (
    ComplexWarning as ComplexWarning,
    apply_along_axis as apply_along_axis,
    apply_over_axes as apply_over_axes,
    array_repr as array_repr,
    array_str as array_str,
    character as character,
    complexfloating as complexfloating,
    flexible as flexible,
    floating as floating,
    frombuffer as frombuffer,
    fromfile as fromfile,
    fromfunction as fromfunction,
    fromiter as fromiter,
    fromstring as fromstring,
    generic as generic,
    get_printoptions as get_printoptions,
    inexact as inexact,
    integer as integer,
    iterable as iterable,
    load as load,
    number as number,
    object_ as object_,
    printoptions as printoptions,
    save as save,
    savez as savez,
    set_printoptions as set_printoptions,
    signedinteger as signedinteger,
    unsignedinteger as unsignedinteger,
    vectorize as vectorize,
)
from portax._src.numpy.index_tricks import (
    c_ as c_,
    index_exp as index_exp,
    mgrid as mgrid,
    ogrid as ogrid,
    r_ as r_,
    s_ as s_,
)
from portax._src.numpy.namespace import (
    __array_api_version__ as __array_api_version__,
    __array_namespace_info__ as __array_namespace_info__,
    dtype as dtype,
    dtype_attribute as _dtype_attribute,
    e as e,
    euler_gamma as euler_gamma,
    inf as inf,
    nan as nan,
    newaxis as newaxis,
    pi as pi,
)
from portax._src.typing import Array as ndarray  # jax.numpy.ndarray is jax.Array
from portax.numpy import fft as fft, linalg as linalg

_core_names = [
    "ComplexWarning", "apply_along_axis", "apply_over_axes", "array_repr", "array_str", "c_", "character",
    "complexfloating", "flexible", "floating", "frombuffer", "fromfile", "fromfunction", "fromiter",
    "fromstring", "generic", "get_printoptions", "index_exp", "inexact", "integer", "iterable", "load", "mgrid",
    "number", "object_", "ogrid", "printoptions", "r_", "s_", "save", "savez", "set_printoptions", "signedinteger",
    "unsignedinteger", "vectorize",
]  # fmt: skip
__all__ = [*_api_all, *_core_names, "at", "dtype", "ndarray", "e", "euler_gamma", "inf", "nan", "newaxis", "pi", "fft", "linalg"]


if TYPE_CHECKING:  # the dtype names, declared for type checkers (a typo is then an error, not ``Any``)
    from portax._src.typing import DType

    bool_: DType
    double: DType
    single: DType
    half: DType
    float_: DType
    int_: DType
    uint: DType
    complex_: DType
    cdouble: DType
    csingle: DType
    int8: DType
    int16: DType
    int32: DType
    int64: DType
    uint8: DType
    uint16: DType
    uint32: DType
    uint64: DType
    float16: DType
    bfloat16: DType
    float32: DType
    float64: DType
    complex64: DType
    complex128: DType
else:

    def __getattr__(name: str):  # PEP 562: dtypes follow the current backend
        return _dtype_attribute(name)
