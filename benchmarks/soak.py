"""Soak run (issue 13, item 6): many eager and jitted portax calls with varied input shapes, per backend.

``python -m benchmarks.soak [--calls N] [--backend jax --backend torch] [--json PATH]`` makes ``N`` eager calls and
``N`` jitted calls of one small function (elementwise ops and a reduction), cycling through input signatures of
ranks 0 to 9 and two sizes per rank (20 signatures: more than torch's recompile limit of 8 graphs per function).
It reports, per backend and phase: calls/s, failed calls, the process's resident memory (RSS, from
``/proc/self/statm``) after warm-up and at the end, and the compilations the engine made during warm-up and during
the measured calls (torch: ``torch._dynamo.utils.counters["stats"]["unique_graphs"]``; JAX: backend compile events
through ``jax.monitoring``). After warm-up a healthy run compiles nothing and its RSS stays flat.

Each backend runs in its own process (clean RSS figures); ``--in-process`` runs them in this one (the smoke test).
The timing harness (``python -m benchmarks``) does not fit here: its medians of short batches do not see growth.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

#: ranks 0..9, then again with other sizes: 20 signatures (``--signatures K`` takes the first K).
SIGNATURES: tuple[tuple[int, ...], ...] = tuple(
    tuple(1 + (size + axis) % 3 for axis in range(rank)) for size in (0, 1) for rank in range(10)
)


def rss_bytes() -> int:
    """This process's resident set size, from ``/proc/self/statm`` (0 where there is no procfs)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _CompileCounter:
    """Compilations made by the engine so far (torch: dynamo graphs; JAX: backend compiles)."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.jax_compiles = 0
        if backend == "jax":
            import jax.monitoring

            def listener(event: str, _duration: float, **_kwargs: Any) -> None:
                if event == "/jax/core/compile/backend_compile_duration":
                    self.jax_compiles += 1

            jax.monitoring.register_event_duration_secs_listener(listener)

    def count(self) -> int:
        if self.backend == "torch":
            import torch._dynamo.utils

            return int(torch._dynamo.utils.counters["stats"]["unique_graphs"])
        return self.jax_compiles


def _function(jnp: Any) -> Any:
    def soak_fn(x: Any) -> Any:
        return jnp.tanh(x) * 2.0 + jnp.sum(x * x)

    return soak_fn


def _phase(call: Any, inputs: list[Any], calls: int, counter: _CompileCounter) -> dict[str, Any]:
    """Warm up (two passes over the signatures), then ``calls`` calls cycling through them."""
    failures: dict[str, int] = {}

    def run(n: int) -> float:
        start = time.perf_counter()
        count = len(inputs)
        for i in range(n):
            try:
                call(inputs[i % count])
            except Exception as error:  # noqa: BLE001 (counted and reported: a soak must not stop at the first)
                key = f"{type(error).__name__}: {str(error).splitlines()[0][:120] if str(error) else ''}"
                failures[key] = failures.get(key, 0) + 1
        return time.perf_counter() - start

    compiles_before = counter.count()
    run(2 * len(inputs))
    rss_warm, compiles_warm = rss_bytes(), counter.count()
    elapsed = run(calls)
    rss_end, compiles_end = rss_bytes(), counter.count()
    return {
        "calls": calls,
        "calls_per_s": calls / elapsed if elapsed > 0 else float("inf"),
        "failed_calls": sum(failures.values()),
        "failures": failures,
        "rss_after_warmup_mb": rss_warm / 2**20,
        "rss_end_mb": rss_end / 2**20,
        "rss_growth_kb": (rss_end - rss_warm) / 2**10,
        "rss_growth_bytes_per_call": (rss_end - rss_warm) / calls if calls else 0.0,
        "compiles_in_warmup": compiles_warm - compiles_before,
        "compiles_after_warmup": compiles_end - compiles_warm,
    }


def run_backend(
    backend: str, calls: int, torch_compile_backend: str | None = None, signatures: int = len(SIGNATURES)
) -> dict[str, Any]:
    """The eager and the jitted phase on ``backend`` over the first ``signatures`` shapes; returns their figures."""
    import portax
    import portax.numpy as jnp

    if torch_compile_backend is not None:
        portax.config.update("torch_compile_backend", torch_compile_backend)
    counter = _CompileCounter(backend)
    rng = np.random.default_rng(0)
    with portax.use_backend(backend):
        shapes = SIGNATURES[:signatures]
        inputs = [jnp.asarray(rng.standard_normal(shape).astype(np.float32)) for shape in shapes]
        soak_fn = _function(jnp)
        jitted = portax.jit(soak_fn)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # compile notices; failures are counted instead
            eager = _phase(soak_fn, inputs, calls, counter)
            compiled = _phase(jitted, inputs, calls, counter)
    return {
        "backend": backend,
        "signatures": len(shapes),
        "torch_compile_backend": portax.config.torch_compile_backend if backend == "torch" else None,
        "eager": eager,
        "jit": compiled,
    }


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def format_table(results: list[dict[str, Any]]) -> str:
    head = (
        f"{'backend':8} {'phase':6} {'calls':>8} {'calls/s':>10} {'failed':>7} {'RSS warm MB':>12} "
        f"{'RSS end MB':>11} {'growth KB':>10} {'B/call':>7} {'compiles warm/after':>20}"
    )
    lines = [head, "-" * len(head)]
    for result in results:
        for phase in ("eager", "jit"):
            r = result[phase]
            lines.append(
                f"{result['backend']:8} {phase:6} {r['calls']:8d} {r['calls_per_s']:10.0f} {r['failed_calls']:7d} "
                f"{r['rss_after_warmup_mb']:12.1f} {r['rss_end_mb']:11.1f} {r['rss_growth_kb']:10.0f} "
                f"{r['rss_growth_bytes_per_call']:7.2f} {r['compiles_in_warmup']:>9d}/{r['compiles_after_warmup']:<10d}"
            )
            for failure, count in r["failures"].items():
                lines.append(f"    {count} x {failure}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100_000, help="calls per phase (eager, jit) and backend")
    parser.add_argument("--backend", action="append", metavar="NAME", help="backend to run (repeatable): jax, torch")
    parser.add_argument("--signatures", type=int, default=len(SIGNATURES), help="input signatures cycled through")
    parser.add_argument("--torch-compile-backend", metavar="NAME", help="torch.compile backend of portax.jit")
    parser.add_argument("--json", metavar="PATH", type=Path, help="write the figures as JSON")
    parser.add_argument("--in-process", action="store_true", help="run every backend in this process")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # one backend, JSON on stdout
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    backends = args.backend or ["jax", "torch"]
    if args.child:
        print(json.dumps(run_backend(backends[0], args.calls, args.torch_compile_backend, args.signatures)))
        return 0
    results = []
    for backend in backends:
        if args.in_process:
            results.append(run_backend(backend, args.calls, args.torch_compile_backend, args.signatures))
            continue
        command = [sys.executable, "-m", "benchmarks.soak", "--child", "--backend", backend, "--calls", str(args.calls)]
        command += ["--signatures", str(args.signatures)]
        if args.torch_compile_backend:
            command += ["--torch-compile-backend", args.torch_compile_backend]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{backend}: the soak process failed:\n{done.stderr[-3000:]}", file=sys.stderr)
            return 1
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    load = _loadavg()
    print(format_table(results))
    print(f"load average (1, 5, 15 min) at the end: {load}")
    if args.json:
        args.json.write_text(json.dumps({"load_average": load, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
