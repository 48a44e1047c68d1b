"""Primitives of ``jax.lax`` (the public list; see ``portax._src.lax`` and ``portax._src.lax_control``)."""

from portax._src.lax import associative_scan as associative_scan
from portax._src.lax import cond as cond
from portax._src.lax import fori_loop as fori_loop
from portax._src.lax import map as map  # noqa: A004 (JAX's name)
from portax._src.lax import scan as scan
from portax._src.lax import select as select
from portax._src.lax import stop_gradient as stop_gradient
from portax._src.lax import switch as switch
from portax._src.lax import while_loop as while_loop
from portax._src.collectives import all_gather as all_gather
from portax._src.collectives import axis_index as axis_index
from portax._src.collectives import pmax as pmax
from portax._src.collectives import pmean as pmean
from portax._src.collectives import pmin as pmin
from portax._src.collectives import ppermute as ppermute
from portax._src.collectives import psum as psum
from portax._src.collectives import psum_scatter as psum_scatter
