"""Smoke test of the benchmark harness (issue 6: CI runs the benchmarks as a smoke test only, no timing assertions).

One tiny workload per family through the real command line, on every backend under test, with one repeat of short
batches and torch's cheapest compile backend: it proves the workloads build, run, compare against native and write
their JSON, in a few seconds. Timings are never asserted (DESIGN: speed is measured in benchmarks/, not tested).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = ("dispatch/sin/(8,)", "jit/trivial/(8,)", "jit/ode_grad/10", "scaling/ode_steps/10")


@pytest.fixture(scope="module")
def cli():
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks import cli
    except ImportError as e:  # the benchmarks are a repository folder, not an installed package
        pytest.skip(f"benchmarks not importable from {ROOT}: {e}")
    finally:
        sys.path.remove(str(ROOT))
    return cli


def test_quick_benchmarks_run_and_write_json(cli, tmp_path: Path) -> None:
    backends = [b for b in os.environ.get("PORTAX_TEST_BACKENDS", "jax,torch").split(",") if b]
    args = ["--quick", "--repeats", "1", "--target-ms", "0.5", "--torch-compile-backend", "eager"]
    for pattern in WORKLOADS:
        args += ["--workload", pattern]
    for backend in backends:
        args += ["--backend", backend]
    out = tmp_path / "bench.json"
    assert cli.main([*args, "--json", str(out)]) == 0
    document = json.loads(out.read_text())
    assert document["settings"]["torch_compile_backend"] == "eager"
    rows = document["results"]
    for pattern in WORKLOADS:
        for backend in backends:
            mine = [r for r in rows if r["workload"] == pattern and r["engine"] == backend]
            assert any(r["reference"] and "median_s" in r for r in mine), (pattern, backend, mine)
            if not pattern.startswith("scaling/"):  # scaling's portax rows need lax.fori_loop on the backend
                assert any(r["variant"].startswith("portax") and "ratio" in r for r in mine), (pattern, backend, mine)
