"""Primitives of ``jax.lax`` (the public list)."""

from portax._src.collectives import (
    all_gather as all_gather,
    axis_index as axis_index,
    pmax as pmax,
    pmean as pmean,
    pmin as pmin,
    ppermute as ppermute,
    psum as psum,
    psum_scatter as psum_scatter,
)
from portax._src.lax import (
    associative_scan as associative_scan,
    cond as cond,
    fori_loop as fori_loop,
    map as map,  # noqa: A004 (JAX's name)
    scan as scan,
    select as select,
    stop_gradient as stop_gradient,
    switch as switch,
    while_loop as while_loop,
)
from portax._src.lax_conv import (
    ConvDimensionNumbers as ConvDimensionNumbers,
    batch_matmul as batch_matmul,
    conv as conv,
    conv_dimension_numbers as conv_dimension_numbers,
    conv_general_dilated as conv_general_dilated,
    conv_general_permutations as conv_general_permutations,
    conv_transpose as conv_transpose,
    conv_with_general_padding as conv_with_general_padding,
    dot as dot,
    dot_general as dot_general,
    padtype_to_pads as padtype_to_pads,
    reduce_window as reduce_window,
)
from portax._src.sharding import with_sharding_constraint as with_sharding_constraint
from portax.lax import linalg as linalg
