"""The random tests compile torch PRNG kernels with the cheap ``aot_eager`` backend unless told otherwise
(``PORTAX_RANDOM_COMPILE=inductor`` runs them as users get them; inductor costs ~10 s per new kernel on CPU).
Draws below ``PORTAX_RANDOM_COMPILE_MIN_SIZE`` run eagerly; ``test_torch_compiled_kernels_match_jax`` forces the
compiled path."""

import os

os.environ.setdefault("PORTAX_RANDOM_COMPILE", "aot_eager")


import warnings  # noqa: E402

import portax  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def cheap_torch_compile():
    """``portax.jit`` with ``aot_eager`` (as tests/lax does): these tests check values, not inductor's kernels."""
    previous = portax.config.torch_compile_backend
    portax.config.update("torch_compile_backend", "aot_eager")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", portax.errors.CompileFallbackWarning)
        yield
    portax.config.update("torch_compile_backend", previous)
