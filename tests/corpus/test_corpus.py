"""Programs of JAX's own documentation run on every backend through ``portax port`` and match real JAX.

Each file of ``programs/`` is code cells of one section of a JAX docs page, unchanged (``tools/make_corpus.py``;
the header names page, commit and lines). The reference is real JAX running the original source; the backend under
test runs the ``portax port --jax-operators`` translation. A known failure is listed in :data:`KNOWN_FAILURES` with
its reason and runs as ``xfail(strict=True)``, so a fix shows up as an unexpected pass. Pass rates: docs/porting-jax.md,
checked against this list by :func:`test_docs_state_the_pass_rates`.
"""

from __future__ import annotations

import os
import pathlib

# torch's PRNG kernels compiled with the cheap backend, as in tests/docs (inductor: ~10-30 s per new kernel on CPU)
os.environ.setdefault("PORTAX_RANDOM_COMPILE", "aot_eager")

import portax  # noqa: E402
import pytest  # noqa: E402
from corpus_runner import numbers, ported, program_paths, run_source, same_numbers  # noqa: E402

pytest.importorskip("jax")
pytest.importorskip("libcst")

PROGRAMS = program_paths()

_JIT_CACHE = "a global changed after the first jit call is read again on torch (JAX bakes it in at trace time)"
#: (program stem, backend) -> why it does not match real JAX yet (docs/porting-jax.md lists the same).
KNOWN_FAILURES: dict[tuple[str, str], str] = {
    ("automatic_differentiation_04", "torch"): "float32 finite differences (eps=1e-4) amplify the engines' rounding "
    "differences: b_grad_numerical -0.6914 on torch, -0.6890 on JAX (the autodiff values match)",
    ("common_gotchas_in_jax_01", "torch"): _JIT_CACHE,
    ("common_gotchas_in_jax_07", "torch"): "a static argument's attribute changed after the first call: JAX reuses "
    "the cached trace (the tutorial's 'broken' 6), torch's compiler guards on the attribute and recompiles (3)",
    ("new201_jit_08", "torch"): "the same 'broken' example: JAX reuses the cached trace (6), torch recompiles (3)",
    ("stateful_computations_00", "torch"): "jit re-runs Python side effects on each call (JAX: once, while tracing)",
    **{(stem, backend): reason for backend in ("jax", "torch") for stem, reason in {
        "new101_random_01": "random.key gives the raw uint32[2] key data (typed keys exist only in JAX): the key prints "
        "as an array and typeof shows shape (2,), not key<fry>[]",
        "new101_state_02": "portax has no mutable array references (jax.new_ref, jax.Ref)",
        "new101_state_03": "portax has no mutable array references (jax.new_ref, jax.Ref)",
        "new301_vjp_objects_02": "portax's pullback does not expose JAX's VJP object attributes (args_res, ...)",
        "new301_vjp_objects_03": "portax's pullback does not expose JAX's VJP object attributes (args_res, ...)",
    }.items()},
    ("new301_vjp_objects_01", "torch"): "a jitted function returns vjp's pullback: torch's compiler cannot return "
    "functorch's closure (on JAX the pullback is a pytree of residuals)",
}
#: Programs that take over ~2.5 s on some backend on a loaded 2-core machine: run with ``-m slow``.
SLOW = {
    "autodiff_cookbook_02", "autodiff_cookbook_11", "automatic_vectorization_02", "common_gotchas_in_jax_01",
    "common_gotchas_in_jax_11", "custom_derivative_rules_for_python_code_03", "custom_derivative_rules_for_python_code_05",
    "higher_order_04", "thinking_in_jax_03", "vmapped_log_probs_02", "vmapped_log_probs_04",
    # the new_docs pages (measured at load 8-9 on 2 cores: over ~3 s for both backends together)
    "new101_state_01", "new101_state_02", "new101_transformations_00", "new101_transformations_02",
    "new101_transformations_06", "new101_transformations_10", "new301_cookbook_03", "new301_cookbook_06",
    "new301_cookbook_09", "new301_cookbook_10", "new301_cookbook_13", "new301_custom_jvp_vjp_02",
    "new301_custom_jvp_vjp_02b", "new301_custom_jvp_vjp_04", "new301_vjp_objects_01",
    "neural_network_and_data_loading_02", "new201_jit_12", "new201_shard_map_15", "new201_shard_map_15b",
    "new201_shard_map_16",
}

_reference_outputs: dict[pathlib.Path, str] = {}


def _reset_x64() -> None:
    import jax

    jax.config.update("jax_enable_x64", False)
    portax.config.update("jax_enable_x64", False)


@pytest.fixture(autouse=True)
def corpus_engine_state():
    previous = portax.config.torch_compile_backend
    portax.config.update("torch_compile_backend", "aot_eager")
    yield
    portax.config.update("torch_compile_backend", previous)
    portax.config.update("portax_jax_operators", False)  # `portax port --jax-operators` turned it on
    _reset_x64()


def _reference(path: pathlib.Path) -> str:
    if path not in _reference_outputs:
        try:
            _reference_outputs[path] = run_source(path.read_text(), str(path))
        finally:
            _reset_x64()
    return _reference_outputs[path]


@pytest.mark.parametrize(
    "program",
    [pytest.param(path, marks=pytest.mark.slow) if path.stem in SLOW else path for path in PROGRAMS],
    ids=[path.stem for path in PROGRAMS],
)
def test_program_matches_jax(program: pathlib.Path, backend, backend_name, request):
    reason = KNOWN_FAILURES.get((program.stem, backend_name))
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    expected = _reference(program)
    actual = run_source(ported(program.read_text()), str(program))
    difference = same_numbers(numbers(expected), numbers(actual))
    assert difference is None, f"{difference}\n--- portax ({backend_name}):\n{actual[-1500:]}\n--- JAX:\n{expected[-1500:]}"


def test_corpus_is_large_enough():
    assert len(PROGRAMS) >= 40
    for path in PROGRAMS:
        assert path.read_text().startswith("# Source: jax-ml/jax docs/")


def test_known_failures_name_existing_programs():
    stems = {path.stem for path in PROGRAMS}
    assert {stem for stem, _ in KNOWN_FAILURES} <= stems and SLOW <= stems


def test_docs_state_the_pass_rates():
    """docs/porting-jax.md states the pass rates that :data:`KNOWN_FAILURES` implies, and names every failure."""
    page = (pathlib.Path(__file__).parents[2] / "docs" / "porting-jax.md").read_text()
    total = len(PROGRAMS)
    for backend in ("jax", "torch"):
        passing = total - sum(1 for _, b in KNOWN_FAILURES if b == backend)
        assert f"| {backend} | **{passing} / {total} ({round(100 * passing / total)} %)** |" in page
    for stem, _ in KNOWN_FAILURES:
        assert f"`{stem}`" in page
