"""Outputs: the terminal table (ratios and extra time against native), and PNG plots per workload family."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any


def fmt_time(seconds: float) -> str:
    """Seconds in the unit that keeps 3 significant digits readable."""
    magnitude = abs(seconds)
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if magnitude >= scale:
            return f"{seconds / scale:.3g} {unit}" if unit != "µs" else f"{seconds / scale:.2f} µs"
    return f"{seconds * 1e6:.3f} µs"


def environment_summary(env: dict[str, Any], settings: dict[str, Any]) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items() if v)
    threads = f", torch threads {env['torch_threads']}" if "torch_threads" in env else ""
    load = env.get("load_average")
    return (
        f"\n{env['cpu']} ({env['cpus_usable']} usable of {env['cpu_count']} CPUs{threads}), device {env['device']}"
        + (f" [{env['gpu']}]" if env.get("gpu") else "")
        + (f", load average {load[0]:.1f}" if load else "")
        + f"\n{versions}; Python {env['python']}; commit {env.get('git_commit')}"
        + f"\n{settings['repeats']} interleaved repeats of ~{settings['target_s'] * 1e3:.0f} ms batches; median, IQR;"
        + " ratio: median / native median on the same engine; x best: median / the fastest native variant's;\n"
        + "extra: median over rounds of (variant - native) in the same round (its IQR is in the JSON); "
        + "first call: compile time of jitted variants\n"
        + (
            f"jitted torch variants (native and portax) compile with torch.compile backend "
            f"{settings['torch_compile_backend']!r}"
            + (" (--quick: cheap compiles; the bars are measured with inductor)" if settings.get("quick") else "")
            + "\n"
            if settings.get("torch_compile_backend")
            else ""
        )
    )


def table(rows: list[dict[str, Any]]) -> str:
    header = ("workload", "engine", "variant", "median ± IQR/2", "x native", "x best", "extra", "first call", "bar")
    lines = [header]
    skipped: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in rows:
        if "skipped" in row:
            skipped[(row["engine"], row["variant"], row["skipped"])] += 1
            continue
        bar = ""
        if "bar_ok" in row:
            bar = ("ok" if row["bar_ok"] else "OVER") + f" (<= {row['bar_extra_s'] * 1e6:.2f} µs)"
        lines.append(
            (
                row["workload"],
                row["engine"],
                row["variant"],
                f"{fmt_time(row['median_s'])} ± {fmt_time(row['iqr_s'] / 2)}",
                "" if row["reference"] or "ratio" not in row else f"{row['ratio']:.2f}",
                "" if "x_best_native" not in row else f"{row['x_best_native']:.2f}",
                "" if row["reference"] or "extra_s" not in row else ("+" if row["extra_s"] >= 0 else "-") + fmt_time(abs(row["extra_s"])),
                fmt_time(row["first_call_s"]),
                bar,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    previous = None
    for index, line in enumerate(lines):
        if index > 1 and line[0] != previous:
            out.append("")
        previous = line[0]
        out.append("  ".join(cell.rjust(w) if 3 <= i <= 7 else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths, strict=False))).rstrip())
        if index == 0:
            out.append("-" * len(out[-1]))
    if skipped:
        out.append("\nskipped:")
        for (engine, variant, reason), count in sorted(skipped.items()):
            out.append(f"  {engine} {variant} ({count} workloads): {reason}")
    return "\n".join(out)


def run_label(env: dict[str, Any], settings: dict[str, Any]) -> str:
    """What a reader of a plot must know to trust it: quick or full run, machine, load, versions, compile backend."""
    load = env.get("load_average")
    return (
        f"{'QUICK run (--quick: few repeats, cheap compiles)' if settings.get('quick') else 'full run'}; "
        f"{env['cpu']}, {env['cpus_usable']} CPUs, device {env['device']}"
        + (f", load {load[0]:.1f}" if load else "")
        + f"\ntorch {env['versions'].get('torch')} (jit: {settings.get('torch_compile_backend')}), "
        f"jax {env['versions'].get('jax')}; commit {env.get('git_commit')}"
    )


def plots(rows: list[dict[str, Any]], directory: Path, env: dict[str, Any], settings: dict[str, Any]) -> list[Path]:
    """One PNG per family: per-workload ratio to native (bars with IQR whiskers, labelled with the absolute median
    time of the variant and of native) and extra time per call."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    written = scaling_plots(rows, directory, env, settings, plt)
    native = {(r["workload"], r["engine"]): r["median_s"] for r in rows if r.get("reference") and "median_s" in r}
    families: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if "ratio" in row and not row["reference"]:
            families[row["family"]].append(row)
    for family, family_rows in families.items():
        workloads = list(dict.fromkeys(r["workload"] for r in family_rows))
        series = list(dict.fromkeys((r["engine"], r["variant"]) for r in family_rows))
        index = {(r["workload"], r["engine"], r["variant"]): r for r in family_rows}
        height = max(4.0, 0.32 * len(workloads) * max(1, len(series)) ** 0.5 + 1.5)
        fig, (ax_ratio, ax_extra) = plt.subplots(1, 2, figsize=(14, height), sharey=True)
        bar_height = 0.8 / len(series)
        for k, (engine, variant) in enumerate(series):
            ys, ratios, lo, hi, extras = [], [], [], [], []
            for i, name in enumerate(workloads):
                row = index.get((name, engine, variant))
                if row is None:
                    continue
                ys.append(i + (k - (len(series) - 1) / 2) * bar_height)
                ratios.append(row["ratio"])
                lo.append(min(max(0.0, row["ratio"] - row["ratio_q1"]), 0.9 * row["ratio"]))  # stay > 0 on a log axis
                hi.append(max(0.0, row["ratio_q3"] - row["ratio"]))
                extras.append(row["extra_s"] * 1e6)
            label = f"{engine}: {variant}"
            ax_ratio.barh(ys, ratios, height=bar_height, xerr=[lo, hi], label=label, capsize=2)
            for y, ratio, name in zip(ys, ratios, (n for n in workloads if (n, engine, variant) in index), strict=True):
                row = index[(name, engine, variant)]
                reference = native.get((name, engine))
                text = fmt_time(row["median_s"]) + (f" vs {fmt_time(reference)}" if reference else "")
                ax_ratio.annotate(text, (ratio, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=6)
            ax_extra.barh(ys, extras, height=bar_height, label=label)
        # Ratios span 0.5x to 100x and extra time ns to ms (large arrays on a loaded machine): log scales keep
        # the small-array overheads, which are the point of most families, readable next to them.
        ax_ratio.set_xscale("log")
        ax_extra.set_xscale("symlog", linthresh=0.1)
        ax_ratio.axvline(1.0, color="black", linewidth=0.8)
        ax_extra.axvline(0.0, color="black", linewidth=0.8)
        ax_ratio.grid(axis="x", which="both", alpha=0.3)
        ax_extra.grid(axis="x", which="both", alpha=0.3)
        ax_ratio.set_yticks(range(len(workloads)), workloads)
        ax_ratio.invert_yaxis()
        ax_ratio.set_xlabel("time / native time on the same engine (median; whiskers: IQR; log scale)")
        ax_extra.set_xlabel("extra time per call over native (µs; median of paired rounds; symlog scale)")
        handles, labels = ax_ratio.get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize="small", frameon=False)
        fig.suptitle(f"{family}: {run_label(env, settings)}", fontsize="medium")
        fig.tight_layout(rect=(0, 0.03 * ((len(series) + 3) // 4) + 0.02, 1, 1))
        path = directory / f"{family.replace('/', '_')}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written


def scaling_plots(
    rows: list[dict[str, Any]], directory: Path, env: dict[str, Any], settings: dict[str, Any], plt: Any
) -> list[Path]:
    """One PNG per ``scaling/*`` family with one numeric parameter: time per call vs size, log-log, per variant."""
    families: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["family"].startswith("scaling/") and "median_s" in row and len(row["params"]) == 1:
            families[row["family"]].append(row)
    written = []
    for family, family_rows in families.items():
        (param,) = family_rows[0]["params"]
        fig, ax = plt.subplots(figsize=(8, 5))
        for engine, variant in dict.fromkeys((r["engine"], r["variant"]) for r in family_rows):
            points = sorted(
                (r["params"][param], r["median_s"], r["q1_s"], r["q3_s"])
                for r in family_rows
                if (r["engine"], r["variant"]) == (engine, variant)
            )
            xs = [p[0] for p in points]
            ys = [p[1] * 1e3 for p in points]
            errors = [[(p[1] - p[2]) * 1e3 for p in points], [(p[3] - p[1]) * 1e3 for p in points]]
            ax.errorbar(xs, ys, yerr=errors, marker="o", capsize=2, label=f"{engine}: {variant}",
                        linestyle="-" if variant.startswith("portax") else "--")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(param)
        ax.set_ylabel("time per call (ms; median, whiskers IQR; log scale)")
        ax.grid(which="both", alpha=0.3)
        ax.legend(fontsize="small")
        ax.set_title(f"{family}: {run_label(env, settings)}", fontsize="small")
        fig.tight_layout()
        path = directory / f"{family.replace('/', '_')}_curve.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written
