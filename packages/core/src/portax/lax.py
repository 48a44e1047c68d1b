"""Primitives of ``jax.lax`` (the public list; see ``portax._src.lax``)."""

from portax._src.lax import stop_gradient as stop_gradient
from portax._src.collectives import all_gather as all_gather
from portax._src.collectives import axis_index as axis_index
from portax._src.collectives import pmax as pmax
from portax._src.collectives import pmean as pmean
from portax._src.collectives import pmin as pmin
from portax._src.collectives import ppermute as ppermute
from portax._src.collectives import psum as psum
from portax._src.collectives import psum_scatter as psum_scatter
