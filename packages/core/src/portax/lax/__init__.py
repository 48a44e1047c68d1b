"""Primitives of ``jax.lax`` (the public list; see ``portax._src.lax`` and ``portax._src.lax_control``)."""

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
