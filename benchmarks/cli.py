"""Command line: select workloads and engines, run them through the harness, write table, JSON and plots."""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import harness, report
from benchmarks.registry import Context, Workload, installed_engines, load_workloads

# Exceptions that mean "this variant cannot run here" (missing library, capability a backend does not have yet).
_SKIP = (ImportError, NotImplementedError, AttributeError)


def _skip_errors() -> tuple[type[BaseException], ...]:
    try:
        from portax.errors import UnsupportedError
    except ImportError:
        return _SKIP
    return (*_SKIP, UnsupportedError)


@dataclass
class Settings:
    repeats: int
    target_s: float  # seconds per timed batch
    warmup_s: float


FULL = Settings(repeats=60, target_s=0.01, warmup_s=0.1)
QUICK = Settings(repeats=7, target_s=0.005, warmup_s=0.0)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="CI-sized run: fewer workloads, repeats and time")
    parser.add_argument("--workload", action="append", metavar="GLOB", help="workload name glob (repeatable), e.g. 'dispatch/sin/*'")
    parser.add_argument("--backend", action="append", metavar="NAME", help="engine to run (repeatable): jax, torch")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--json", metavar="PATH", type=Path, help="write results and environment as JSON")
    parser.add_argument("--plot", metavar="DIR", type=Path, help="write PNG plots (one per workload family)")
    parser.add_argument("--repeats", type=int, help="timed repeats per variant (default 60, quick 7)")
    parser.add_argument("--target-ms", type=float, help="duration of one timed batch in ms (default 10, quick 5)")
    parser.add_argument("--torch-threads", type=int, metavar="N", help="torch.set_num_threads(N) (default: torch's own)")
    parser.add_argument(
        "--torch-compile-backend",
        metavar="NAME",
        help="torch.compile backend of jitted torch variants, native and portax (default inductor; --quick: aot_eager)",
    )
    parser.add_argument("--list", action="store_true", help="list the selected workloads and exit")
    return parser.parse_args(argv)


def select(workloads: dict[str, Workload], globs: list[str] | None, quick: bool) -> list[Workload]:
    chosen = [w for w in workloads.values() if not globs or any(fnmatch.fnmatchcase(w.name, g) for g in globs)]
    if quick and not globs:
        chosen = [w for w in chosen if w.quick]
    return chosen


class Progress:
    """A tqdm bar over workloads on stderr; warnings raised meanwhile print above the bar instead of into it."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self.done = 0
        self.bar = tqdm(total=total, unit="workload", file=sys.stderr, dynamic_ncols=True, leave=False)
        self._showwarning = warnings.showwarning
        warnings.showwarning = self._write_warning

    def _write_warning(self, message: Any, category: type[Warning], filename: str, lineno: int, *args: Any) -> None:
        self.bar.write(warnings.formatwarning(message, category, filename, lineno).rstrip(), file=sys.stderr)

    def show(self, text: str) -> None:
        self.bar.set_description_str(text[:80])
        self.bar.n = self.done
        self.bar.refresh()

    def finish(self) -> None:
        warnings.showwarning = self._showwarning
        elapsed = self.bar.format_dict["elapsed"]
        self.bar.close()
        sys.stderr.write(f"{self.bar.total} workloads in {elapsed:.1f}s\n")


def run_workload(workload: Workload, ctx: Context, settings: Settings, progress: Progress) -> list[dict[str, Any]]:
    skip_errors = _skip_errors()
    rows: list[dict[str, Any]] = []
    group: list[tuple[dict[str, Any], harness.Timed]] = []
    for variant in workload.variants(ctx):
        row: dict[str, Any] = {
            "workload": workload.name,
            "family": workload.family,
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in workload.params.items()},
            "engine": variant.engine,
            "variant": variant.label,
            "reference": variant.reference,
        }
        rows.append(row)
        try:
            fn, args = variant.make()
            timed = harness.Timed(fn, tuple(args), harness.sync_for(variant.engine, ctx.device))
            harness.first_call(timed)
        except skip_errors as e:
            row["skipped"] = f"{type(e).__name__}: {e}".splitlines()[0][:160]
            continue
        group.append((row, timed))
    if group:
        progress.show(f"{workload.name}: {len(group)} variants")
        harness.measure_interleaved(
            [t for _, t in group], repeats=settings.repeats, target_s=settings.target_s, warmup_s=settings.warmup_s
        )
    for row, timed in group:
        stats = harness.Stats.of(timed.samples)
        row.update(
            number=timed.number,
            repeats=stats.n,
            first_call_s=timed.first_call_s,
            median_s=stats.median,
            q1_s=stats.q1,
            q3_s=stats.q3,
            iqr_s=stats.iqr,
            min_s=stats.min,
            samples_s=timed.samples,
        )
    # Ratios and extra time against the native reference on the same engine.
    for row, _ in group:
        ref = next((r for r, _ in group if r["reference"] and r["engine"] == row["engine"]), None)
        if ref is None:
            continue
        row["ratio"] = row["median_s"] / ref["median_s"]
        row["ratio_q1"] = row["q1_s"] / ref["median_s"]
        row["ratio_q3"] = row["q3_s"] / ref["median_s"]
        # Paired differences: round i of the variant and round i of native ran next to each other (interleaved),
        # so their difference cancels the machine's slow drifts in load; the median of those pairs is the extra.
        pairs = [a - b for a, b in zip(row["samples_s"], ref["samples_s"], strict=False)]
        paired = harness.Stats.of(pairs)
        row["extra_s"] = paired.median
        row["extra_q1_s"], row["extra_q3_s"] = paired.q1, paired.q3
        row["extra_of_medians_s"] = row["median_s"] - ref["median_s"]
        row["extra_of_mins_s"] = row["min_s"] - ref["min_s"]
        bar = workload.bars.get(row["engine"]) if row["variant"] == "portax" else None
        if bar is None and workload.ratio_bar is not None and row["variant"] == "portax":
            bar = (workload.ratio_bar - 1.0) * ref["median_s"]  # the ratio bar as extra seconds over this native
        if bar is not None:
            row["bar_extra_s"] = bar
            row["bar_ok"] = row["extra_s"] <= bar
    # Against the fastest native variant on the same engine ("best native": eager, compiled, loop operators...).
    for row, _ in group:
        natives = [r["median_s"] for r, _ in group if r["engine"] == row["engine"] and not r["variant"].startswith("portax")]
        if natives:
            row["best_native_s"] = min(natives)
            row["x_best_native"] = row["median_s"] / row["best_native_s"]
    progress.done += 1
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = QUICK if args.quick else FULL
    settings = Settings(
        repeats=args.repeats or settings.repeats,
        target_s=(args.target_ms / 1000) if args.target_ms else settings.target_s,
        warmup_s=settings.warmup_s,
    )
    available = installed_engines()
    engines = tuple(args.backend) if args.backend else available
    missing = [e for e in engines if e not in available]
    if missing:
        print(f"engine(s) {missing} not installed (installed: {list(available)}); pip install portax-<name>", file=sys.stderr)
        return 2
    workloads = select(load_workloads(), args.workload, args.quick)
    if not workloads:
        print(f"no workload matches {args.workload}; try --list", file=sys.stderr)
        return 2
    if args.list:
        for w in workloads:
            print(f"{w.name:40s} {w.description}")
        return 0
    if args.torch_threads and "torch" in engines:
        import torch

        torch.set_num_threads(args.torch_threads)
    compile_backend = args.torch_compile_backend or ("aot_eager" if args.quick else "inductor")
    ctx = Context(engines=engines, device=args.device, quick=args.quick, torch_compile_backend=compile_backend)
    progress = Progress(len(workloads))
    rows: list[dict[str, Any]] = []
    for w in workloads:
        progress.show(f"{w.name}: setting up")
        rows.extend(run_workload(w, ctx, settings, progress))
    progress.finish()
    env = harness.environment(args.device)
    settings_record = {
        "repeats": settings.repeats,
        "target_s": settings.target_s,
        "warmup_s": settings.warmup_s,
        "quick": args.quick,
        "torch_compile_backend": compile_backend,
    }
    print(report.environment_summary(env, settings_record))
    print(report.table(rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {"environment": env, "settings": settings_record, "command": sys.argv, "results": rows}
        args.json.write_text(json.dumps(document, indent=1, default=_json_default))
        print(f"wrote {args.json}")
    if args.plot:
        try:
            paths = report.plots(rows, args.plot, env, settings_record)
        except ImportError as e:
            print(f"--plot needs matplotlib ({e}); pip install matplotlib", file=sys.stderr)
            return 2
        for path in paths:
            print(f"wrote {path}")
    return 0


def _json_default(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, tuple):
        return list(value)
    return str(value)
