"""Smoke test of the soak run (``python -m benchmarks.soak``, issue 13 item 6): a few calls per phase on every
backend under test, in this process, with torch's cheapest compile backend. It proves the run works, cycles through
more input signatures than torch's recompile limit without a failed call, and writes its figures; timings and
memory are never asserted (DESIGN: speed and memory are measured in benchmarks/, not tested)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def soak():
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks import soak
    except ImportError as e:  # the benchmarks are a repository folder, not an installed package
        pytest.skip(f"benchmarks not importable from {ROOT}: {e}")
    finally:
        sys.path.remove(str(ROOT))
    return soak


def test_soak_runs_every_signature_and_writes_json(soak, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import portax

    backends = [b for b in os.environ.get("PORTAX_TEST_BACKENDS", "jax,torch").split(",") if b]
    # the full run's ten ranks: past torch's recompile limit (8 graphs per function), even with dynamic sizes; the
    # smoke run takes three (each torch graph costs ~1 s to trace here; tests/transforms/test_jit_recompile.py covers
    # the limit itself)
    assert len({len(shape) for shape in soak.SIGNATURES[:10]}) == 10
    out = tmp_path / "soak.json"
    args = ["--calls", "12", "--signatures", "3", "--in-process", "--torch-compile-backend", "eager", "--json", str(out)]
    was = portax.config.torch_compile_backend
    try:
        assert soak.main([*args, *(a for b in backends for a in ("--backend", b))]) == 0
    finally:
        portax.config.update("torch_compile_backend", was)
    document = json.loads(out.read_text())
    assert [r["backend"] for r in document["results"]] == backends
    for result in document["results"]:
        for phase in ("eager", "jit"):
            figures = result[phase]
            assert figures["calls"] == 12 and figures["failed_calls"] == 0, (result["backend"], phase, figures)
            assert figures["rss_end_mb"] > 0 and figures["calls_per_s"] > 0
        assert result["jit"]["compiles_in_warmup"] > 0  # the engine compiled: the counter sees it
    assert "load average" in capsys.readouterr().out
