"""Generate docs/composition-matrix.md from the conformance suite's results: never written by hand.

Runs every test marked ``@pytest.mark.composition("jit", "grad", ...)`` (outermost transformation first), and the
control-flow tests of ``tests/lax`` whose ``mode`` parameter names the transformations around the primitive in their
name (``test_scan_pytrees[jit_grad]`` is ``jit(grad(lax.scan))``), on every backend under test, in this process, and
tabulates the outcome per composition and backend:

    python tools/composition_matrix.py                       # all installed backends, whole suite, writes the page
    python tools/composition_matrix.py --backend jax,torch   # the backends to run (the suite's --backend)
    python tools/composition_matrix.py --check               # exit 1 if a composition fails on some backend
    python tools/composition_matrix.py --marked-only         # only the marked tests (about 1 minute)

A cell is "pass" when all of its tests passed ("pass (uncompiled)" when a ``jit`` in one of them ran uncompiled: a
``CompileFallbackWarning``), "FAIL" when any failed, "xfail" when a test pins a documented
difference (``xfail(strict=True)``), and "n/a" when every test skipped (a feature not available on that backend yet;
the reason is listed below the table). ``nox -s docs`` runs this before building the site.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import sys
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "composition-matrix.md"
SYMBOL = {"passed": "pass", "failed": "**FAIL**", "xfailed": "xfail", "skipped": "n/a"}


class Collector:
    """A pytest plugin recording, per composition-marked test, its backend and outcome."""

    def __init__(self, derive_modes: bool = True) -> None:
        self.derive_modes = derive_modes
        self.compositions: dict[str, tuple[str, ...]] = {}
        self.backends: dict[str, str] = {}
        self.outcomes: dict[str, tuple[str, str]] = {}  # nodeid -> (outcome, detail)
        self.uncollected: list[str] = []  # test files that failed to import: their tests are not in the matrix
        self.uncompiled: dict[str, str] = {}  # nodeid -> the CompileFallbackWarning a jit entry gave while it ran

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item):  # noqa: ANN201 (a pytest hook wrapper)
        """Record whether a ``jit`` ran uncompiled (a ``CompileFallbackWarning``) during a composition test."""
        if item.nodeid not in self.compositions:
            yield
            return
        from portax.errors import CompileFallbackWarning

        # warnings.warn itself is watched: tests that check the warning catch it, and filters may ignore it.
        fallbacks: list[str] = []
        warn = warnings.warn

        def watching(message: Any, category: Any = None, *args: Any, **kwargs: Any) -> None:
            if isinstance(category, type) and issubclass(category, CompileFallbackWarning):
                fallbacks.append(str(message))
            warn(message, category, *args, **kwargs)

        warnings.warn = watching
        try:
            yield
        finally:
            warnings.warn = warn
        if fallbacks:
            self.uncompiled[item.nodeid] = fallbacks[0]

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.uncollected.append(report.nodeid)

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        selected, deselected = [], []
        for item in items:
            composition = composition_of(item, self.derive_modes)
            if composition is None:
                deselected.append(item)
                continue
            selected.append(item)
            self.compositions[item.nodeid] = composition
            callspec = getattr(item, "callspec", None)
            self.backends[item.nodeid] = callspec.params.get("backend_name", "?") if callspec else "?"
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = selected

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.nodeid not in self.compositions:
            return
        if hasattr(report, "wasxfail"):
            outcome, detail = "xfailed", str(report.wasxfail)
        elif report.skipped:
            outcome = "skipped"
            detail = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            detail = detail.removeprefix("Skipped: ")
        elif report.failed:
            outcome = "failed"
            crash = getattr(report.longrepr, "reprcrash", None)
            detail = crash.message.splitlines()[0] if crash is not None else str(report.longrepr).splitlines()[-1]
        elif report.when == "call":
            outcome, detail = "passed", ""
        else:
            return
        # a failed teardown after a passed call still counts as a failure; otherwise the first verdict stands
        if report.nodeid not in self.outcomes or outcome == "failed":
            self.outcomes[report.nodeid] = (outcome, detail)


#: ``tests/lax`` runs each control-flow program under transformations named by a ``mode`` parameter
#: (``tests/lax/lax_util.py``: "jit_grad" is jit of grad, outermost first); the primitive is in the test's name.
LAX_PRIMITIVES = ("associative_scan", "while_loop", "fori_loop", "scan", "switch", "select", "cond", "map")
LAX_MODES = {"eager", "jit", "grad", "vmap", "jit_grad", "vmap_grad", "grad_vmap", "jit_vmap"}


def composition_of(item: pytest.Item, derive_modes: bool) -> tuple[str, ...] | None:
    """The composition a test exercises: its ``composition`` marker, else (for ``tests/lax``) its mode and primitive."""
    marker = item.get_closest_marker("composition")
    if marker is not None:
        return tuple(marker.args)
    callspec = getattr(item, "callspec", None)
    mode = callspec.params.get("mode") if callspec else None
    if not derive_modes or mode not in LAX_MODES or "tests/lax/" not in item.nodeid:
        return None
    name = getattr(item, "originalname", item.name)
    primitive = next((p for p in LAX_PRIMITIVES if p in name), None)
    if primitive is None:
        return None
    return (*(m for m in mode.split("_") if m != "eager"), primitive)


def spelled(composition: tuple[str, ...]) -> str:
    """``("jit", "grad")`` -> ``jit(grad(f))``."""
    # a library function as the innermost element (``random.normal``, a lax primitive) is the function itself
    inner = composition[-1]
    if inner in LAX_PRIMITIVES:
        inner = f"lax.{inner}"
    text, outer = (inner, composition[:-1]) if "." in inner else ("f", composition)
    for name in reversed(outer):
        text = f"{name}({text})"
    return text


def cell(outcomes: list[str], uncompiled: bool = False) -> str:
    for outcome in ("failed", "xfailed", "passed"):
        if outcome in outcomes:
            return SYMBOL[outcome] + (" (uncompiled)" if uncompiled and outcome == "passed" else "")
    return SYMBOL["skipped"]


def render(collector: Collector, backends: list[str], command: str) -> str:
    rows: dict[tuple[str, ...], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    tests: dict[tuple[str, ...], set[str]] = defaultdict(set)
    notes: list[str] = []
    uncompiled: set[tuple[tuple[str, ...], str]] = set()
    for nodeid, composition in collector.compositions.items():
        if nodeid not in collector.outcomes:
            continue
        outcome, detail = collector.outcomes[nodeid]
        backend = collector.backends[nodeid]
        rows[composition][backend].append(outcome)
        if outcome == "passed" and nodeid in collector.uncompiled:
            uncompiled.add((composition, backend))
            notes.append(
                f"| `{spelled(composition)}` | {backend} | pass (uncompiled) | `{nodeid}` | "
                f"{_escape(collector.uncompiled[nodeid])} |"
            )
        tests[composition].add(nodeid.split("[")[0] + ("[...]" if "[" in nodeid else ""))
        if outcome != "passed":
            notes.append(
                f"| `{spelled(composition)}` | {backend} | {SYMBOL[outcome]} | `{nodeid}` | {_escape(detail)} |"
            )
    versions = ", ".join(f"{name} {_version(name)}" for name in ("portax", "jax", "torch") if _version(name))
    lines = [
        "# Composition matrix",
        "",
        "<!-- Generated by tools/composition_matrix.py from the conformance suite's results; do not edit by hand. -->",
        "",
        "Which compositions of transformations work on which backend, as the conformance suite found them: every",
        'test marked `@pytest.mark.composition("jit", "grad")` (outermost first), and every control-flow test of',
        "`tests/lax` run under a transformation `mode` (`test_scan_pytrees[jit_grad]` is `jit(grad(lax.scan))`), ran",
        "on every backend; each cell summarises its tests. Values are checked against analytic derivatives, NumPy or",
        "real JAX, never against the backend under test.",
        "",
        f"Generated {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC with `{command}` ({versions}).",
        "Under `jit`, torch compiled with `aot_eager` (the suite's cheap compiler); inductor is exercised by the",
        "benchmarks and the tests marked `slow`.",
        "",
        "Legend: **pass** — every test passed; **FAIL** — a test failed (a bug to fix); **xfail** — a documented",
        "difference pinned by a strict xfail (see [Sharp bits](sharp-bits.md)); **n/a** — not available on that backend",
        "yet (every test skipped; the reason is listed below); **(uncompiled)** — right values, but a `jit` in one of",
        "its tests ran uncompiled (a `CompileFallbackWarning`; the construct is named below and in",
        "[Control flow](control-flow.md)).",
        "",
        "| composition | " + " | ".join(backends) + " | tests |",
        "|---|" + "---|" * len(backends) + "---|",
    ]
    for composition in sorted(rows, key=lambda c: (len(c), c)):
        cells = [
            cell(rows[composition].get(backend, []), (composition, backend) in uncompiled) for backend in backends
        ]
        count = sum(len(outcomes) for outcomes in rows[composition].values())
        lines.append(f"| `{spelled(composition)}` | " + " | ".join(cells) + f" | {count} |")
    if collector.uncollected:
        lines += [
            "",
            "Not included: test files that failed to import when this page was generated (their compositions are",
            "missing above): " + ", ".join(f"`{nodeid}`" for nodeid in sorted(collector.uncollected)) + ".",
        ]
    lines += ["", "## Cells that are not a plain pass", ""]
    if notes:
        lines += ["| composition | backend | cell | test | reason |", "|---|---|---|---|---|", *sorted(notes)]
    else:
        lines.append("None: every composition passed on every backend.")
    lines += ["", "## Where the tests are", ""]
    for composition in sorted(tests, key=lambda c: (len(c), c)):
        lines.append(f"- `{spelled(composition)}`: " + ", ".join(f"`{t}`" for t in sorted(tests[composition])))
    lines += [
        "",
        "To add a row, mark a test of the suite (any directory) with `@pytest.mark.composition(...)` and rerun",
        "`python tools/composition_matrix.py` (or `nox -s docs`).",
        "",
    ]
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:200]


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="", help="comma-separated backends (default: every installed one)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 when a composition fails on some backend")
    parser.add_argument(
        "--marked-only", action="store_true", help="only tests marked composition(...), not tests/lax modes"
    )
    parser.add_argument("paths", nargs="*", default=["tests"], help="test paths to search for composition tests")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    # Every case of a composition counts, the ones the default run leaves to `slow` included (else a cell whose cases
    # are all listed in tests/slow_tests.txt would read "n/a").
    os.environ.setdefault("PORTAX_TEST_SLOW", "1")
    sys.path.insert(0, str(ROOT / "tests"))
    import portax

    backends = [name for name in args.backend.split(",") if name] or portax.backends()
    pytest_args = [*args.paths, "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    pytest_args += ["--continue-on-collection-errors", "-W", "ignore::portax.errors.CompileFallbackWarning"]
    for name in backends:
        pytest_args += ["--backend", name]
    collector = Collector(derive_modes=not args.marked_only)
    code = pytest.main(pytest_args, plugins=[collector])
    if not collector.outcomes:
        print("composition_matrix: no composition-marked test ran", file=sys.stderr)
        return 2
    command = "python tools/composition_matrix.py" + (f" --backend {args.backend}" if args.backend else "")
    args.output.write_text(render(collector, backends, command), encoding="utf-8")
    print(f"composition_matrix: wrote {args.output.relative_to(ROOT)} ({len(collector.outcomes)} results)")
    failed = any(outcome == "failed" for outcome, _ in collector.outcomes.values())
    return 1 if args.check and failed else (0 if code in (0, 1) else int(code))


if __name__ == "__main__":
    sys.exit(main())
