"""Run the seed guide's workflows on every installed portax backend and show that they agree.

    python examples/demo.py            (or: nox -s demo)

Prints the environment, then one table: per workflow, the largest absolute difference between each backend's
results and the first backend's, and on each backend the first call (tracing and compiling included) apart from
the warm time per call (median over timing rounds spread across the whole run, each the median of timed
batches; no re-tracing inside the timed loop). Exits 1 if results disagree beyond float32 tolerance, a
workflow fails, or a backend returns something that is not its own native array; a feature a backend declares
unsupported (``portax.errors.UnsupportedError``) is shown as such and does not fail the demo.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Two virtual CPU devices for the pmap workflow on every backend (read when an engine is first imported).
os.environ.setdefault("PORTAX_VIRTUAL_DEVICES", "2")

import portax  # noqa: E402
from portax.errors import UnsupportedError  # noqa: E402
from workflows import WORKFLOWS, Workflow  # noqa: E402

# float32 agreement: |a - b| <= ATOL + RTOL * |b| elementwise.
RTOL, ATOL = 1e-5, 1e-6


def to_numpy(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):  # torch.Tensor (possibly on a GPU)
        value = value.detach().cpu()
    return np.asarray(value)


def leaves(result: dict[str, Any], backend: str) -> dict[str, np.ndarray]:
    """The results as NumPy, after checking each array is the backend's own native array (no wrapper objects)."""
    out = {}
    for key, value in result.items():
        if isinstance(value, (int, float)):
            out[key] = np.asarray(value)
            continue
        owner = portax.backend_of(value)
        if owner is None or owner.name != backend:
            raise TypeError(f"{key!r}: expected a native {backend} array, got {type(value).__module__}.{type(value).__name__}")
        out[key] = to_numpy(value)
    return out


def time_batches(run: Any, seconds: float) -> float:
    """Seconds per call of ``run``: the median over batches lasting ~1/10 of ``seconds`` each (a single call of a few
    microseconds is below the timer's resolution and the scheduler's noise)."""
    t0 = time.perf_counter()
    run()
    single = max(time.perf_counter() - t0, 1e-7)
    per_batch = max(1, int(seconds / 10 / single))
    samples = [single] if per_batch == 1 else []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < 3:
        t0 = time.perf_counter()
        for _ in range(per_batch):
            run()
        samples.append((time.perf_counter() - t0) / per_batch)
    return statistics.median(samples)


def warm_times(runs: dict[tuple[str, str], Any], budget_s: float, rounds: int) -> dict[tuple[str, str], float]:
    """Warm seconds per call of every ``(workflow, backend)``: ``rounds`` rounds over all of them, each round giving each
    ``budget_s / rounds`` of timing; the median over rounds.

    Timing each workflow once, in one stretch, made a row as slow as whatever else ran on the machine in that second
    (two identical runs differed up to 1.8x per row at load ~1.3); spread over the whole run, every row sees the same
    average machine.
    """
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in runs}
    for _ in range(rounds):
        for (name, backend), run in runs.items():
            with portax.use_backend(backend):
                samples[(name, backend)].append(time_batches(run, budget_s / rounds))
    return {key: statistics.median(values) for key, values in samples.items()}


def run_one(
    wf: Workflow, backend: str
) -> tuple[str, dict[str, np.ndarray] | None, float | None, float | None]:
    """``(status, results, seconds of the first call, None)`` of one workflow on one backend (warm times later)."""
    with portax.use_backend(backend):
        try:
            t0 = time.perf_counter()
            results = leaves(wf.run(), backend)
            first = time.perf_counter() - t0
        except UnsupportedError as e:
            return f"unsupported: {e}", None, None, None
        except Exception as e:  # a crash is a failure of the demo, reported per workflow
            return f"error: {type(e).__name__}: {e}", None, None, None
        return "ok", results, first, None


def environment(backends: list[str], torch_compile_backend: str) -> str:
    """One paragraph naming what the timings depend on: machine, load, versions, compile backend."""

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "absent"

    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    lines = [
        f"machine: {platform.machine()} {platform.processor() or platform.system()}, {os.cpu_count()} CPUs, "
        f"load average {load}; Python {platform.python_version()}",
        "versions: " + ", ".join(f"{d} {version(d)}" for d in ("portax", *(f"portax-{b}" for b in backends), *backends)),
    ]
    if "torch" in backends:
        lines.append(
            f"torch jit: torch.compile(backend={torch_compile_backend!r})"
            + (" -- NOT the default a user gets (inductor): chosen so the demo compiles in seconds; "
               "`--torch-compile-backend inductor` times what users get" if torch_compile_backend != "inductor" else "")
        )
    return "\n".join(lines)


def compare(
    reference: dict[str, np.ndarray], other: dict[str, np.ndarray], rtol: float = RTOL, atol: float = ATOL
) -> tuple[float, str | None]:
    """Largest absolute difference and the first disagreement (key, shape, dtype or value), if any."""
    worst, problem = 0.0, None
    for key, ref in reference.items():
        got = other.get(key)
        if got is None or got.shape != ref.shape:
            return float("inf"), f"{key!r}: shape {None if got is None else got.shape} vs {ref.shape}"
        if got.dtype != ref.dtype:
            problem = problem or f"{key!r}: dtype {got.dtype} vs {ref.dtype}"
        diff = np.abs(got.astype(np.float64) - ref.astype(np.float64))
        worst = max(worst, float(diff.max(initial=0.0)))
        if not np.all(diff <= atol + rtol * np.abs(ref.astype(np.float64))):
            problem = problem or f"{key!r}: max abs difference {float(diff.max()):.3g}"
    return worst, problem


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1e6:.0f} µs" if seconds < 1e-3 else f"{seconds * 1e3:.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", action="append", help="run only these backends (repeatable)")
    parser.add_argument("--time-budget", type=float, default=0.5, help="seconds of timing per workflow and backend")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds over all workflows (median over rounds)")
    parser.add_argument(
        "--torch-compile-backend",
        default="aot_eager",
        help="torch.compile backend for portax.jit on torch (default aot_eager: compiles in ~0.1 s, so the demo "
        "stays under a minute; inductor is what the benchmarks measure, ~1-11 s per compile)",
    )
    args = parser.parse_args(argv)
    portax.config.update("torch_compile_backend", args.torch_compile_backend)
    backends = args.backend or portax.backends()
    if not backends:
        print("no portax backend installed: pip install portax-jax or portax-torch", file=sys.stderr)
        return 2

    print(environment(backends, args.torch_compile_backend), end="\n\n")
    header = ["workflow", "max abs diff", *(f"{b} {kind}" for b in backends for kind in ("first call", "warm / call")), "status"]
    outcomes_of = {wf.name: {b: run_one(wf, b) for b in backends} for wf in WORKFLOWS}
    warm = warm_times(
        {(wf.name, b): wf.run for wf in WORKFLOWS for b in backends if outcomes_of[wf.name][b][1] is not None},
        args.time_budget, args.rounds,
    )
    rows, failures, notes = [], 0, []
    for wf in WORKFLOWS:
        outcomes = {b: (*outcomes_of[wf.name][b][:3], warm.get((wf.name, b))) for b in backends}
        ran = {b: res for b, (status, res, _, _) in outcomes.items() if res is not None}
        status_parts = []
        for b, (status, _, _, _) in outcomes.items():
            if status.startswith("error"):
                failures += 1
                status_parts.append(f"{b} FAILED")
                notes.append(f"{wf.name} on {b}: {status}")
            elif status.startswith("unsupported"):
                status_parts.append(f"{b} unsupported")
                notes.append(f"{wf.name} on {b}: {status}")
        worst = None
        if len(ran) >= 2:
            names = list(ran)
            worst = 0.0
            for b in names[1:]:
                diff, problem = compare(ran[names[0]], ran[b], *((0.0, 0.0) if wf.exact else (wf.rtol, wf.atol)))
                worst = max(worst, diff)
                if problem:
                    failures += 1
                    status_parts.append(f"{b} DISAGREES")
                    notes.append(f"{wf.name}: {b} vs {names[0]}: {problem}")
        if not status_parts:
            status_parts.append("agree" if len(ran) >= 2 else "ok")
        rows.append(
            [
                wf.name,
                "-" if worst is None else f"{worst:.2g}",
                *(fmt_time(seconds) for b in backends for seconds in (outcomes[b][2], outcomes[b][3])),
                ", ".join(status_parts),
            ]
        )

    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(c).rjust(w) if 0 < i < len(r) - 1 else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=False))).rstrip())
    for note in notes:
        print(f"  note: {note}")
    if failures:
        print(f"\n{failures} problem(s): the backends do not agree", file=sys.stderr)
        return 1
    if len(backends) == 1:
        print(f"\nall {len(WORKFLOWS)} workflows ran on {backends[0]} (one backend: nothing to compare against)")
    else:
        print(
            f"\nall {len(WORKFLOWS)} workflows agree across {', '.join(backends)} (float32 tolerance rtol={RTOL}, "
            f"atol={ATOL} unless a workflow sets its own; the PRNG bit for bit); torch jit: {args.torch_compile_backend}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
