"""The random tests compile torch PRNG kernels with the cheap ``aot_eager`` backend unless told otherwise
(``PORTAX_RANDOM_COMPILE=inductor`` runs them as users get them; inductor costs ~10 s per new kernel on CPU).
Draws below ``PORTAX_RANDOM_COMPILE_MIN_SIZE`` run eagerly; ``test_torch_compiled_kernels_match_jax`` forces the
compiled path."""

import os

os.environ.setdefault("PORTAX_RANDOM_COMPILE", "aot_eager")
