"""Workload families; each module registers its workloads on import. Add a module here to add a family."""

from benchmarks.workloads import (
    control_flow as control_flow,  # noqa: F401  lax control flow (issue 5)
    dispatch as dispatch,  # noqa: F401  eager dispatch overhead (issue 2, item 8)
    lax_conv as lax_conv,  # noqa: F401  lax convolutions and reduce_window vs native (issue 15)
    nn as nn,  # noqa: F401  portax.nn / portax.scipy vs native (issue 9)
    parallel as parallel,  # noqa: F401  pmap data-parallel step (issue 5)
    random as random,  # noqa: F401  PRNG throughput (issue 4)
    scaling as scaling,  # noqa: F401  cost vs problem size (issue 6)
    transforms as transforms,  # noqa: F401  jitted transformations (issue 3's bar)
)
