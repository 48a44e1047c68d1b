"""The random tests compile torch PRNG kernels with the cheap ``aot_eager`` backend unless told otherwise
(``PORTAX_RANDOM_COMPILE=inductor`` runs them as users get them; inductor costs ~10 s per new kernel on CPU)."""

import os

os.environ.setdefault("PORTAX_RANDOM_COMPILE", "aot_eager")
