"""Run the official array API test suite (data-apis/array-api-tests) against ``portax.numpy`` on one backend.

The suite is not on PyPI and is not vendored here (its code is not part of portax). Provide a checkout, with its
``array-api`` spec submodule, at ``.array-api/array-api-tests`` (gitignored) or wherever ``ARRAY_API_TESTS_DIR``
points::

    git clone --recursive https://github.com/data-apis/array-api-tests .array-api/array-api-tests

Then, with portax, the backend, pytest, hypothesis, ndindex and pytest-json-report installed::

    python tools/array_api_tests.py --backend jax --x64 on --max-examples 20
    python tools/array_api_tests.py --backend jax --x64 off --max-examples 20
    python tools/array_api_tests.py --backend torch --max-examples 20

Dtypes: the suite tests every standard dtype that ``portax.numpy`` has as an attribute. portax keeps every dtype name
(ported JAX code says ``jnp.float64`` whatever the mode), so the dtypes a backend does *not* support in its current
mode are taken from its own declaration, ``portax.numpy.__array_namespace_info__().dtypes()``, and passed to the suite
as ``ARRAY_API_TESTS_SKIP_DTYPES``. Nothing else is skipped: the suite's own ``xfails.txt`` is not used and no test id
is listed anywhere. The run prints the pass rate and the failures grouped by test file, test function and exception.

Exit status: 0 when the suite ran (whatever the pass rate; use ``--min-pass-rate`` to gate), 1 when the pass rate is
below ``--min-pass-rate``, 2 when the checkout is missing, 3 when pytest produced no report.
"""

from __future__ import annotations

import argparse
import collections
import os
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_CHECKOUT = ROOT / ".array-api" / "array-api-tests"
API_VERSION = "2024.12"
STANDARD_DTYPES = "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 complex64 complex128".split()
HOW_TO_GET = (
    "the array API test suite is not on PyPI; clone it (with its spec submodule) first:\n"
    "    git clone --recursive https://github.com/data-apis/array-api-tests .array-api/array-api-tests\n"
    "or point ARRAY_API_TESTS_DIR at an existing checkout"
)


def find_checkout() -> pathlib.Path | None:
    """The suite checkout (``ARRAY_API_TESTS_DIR`` or ``.array-api/array-api-tests``), or None when incomplete."""
    path = pathlib.Path(os.environ.get("ARRAY_API_TESTS_DIR", DEFAULT_CHECKOUT))
    complete = (path / "conftest.py").is_file() and (path / "array-api" / "src" / "array_api_stubs").is_dir()
    return path if complete else None


def backend_env(backend: str, x64: str) -> dict[str, str]:
    env = dict(os.environ, PORTAX_BACKEND=backend, JAX_PLATFORMS=os.environ.get("JAX_PLATFORMS", "cpu"))
    if backend == "jax":
        env["JAX_ENABLE_X64"] = "1" if x64 == "on" else "0"
    return env


def unsupported_dtypes(env: dict[str, str]) -> list[str]:
    """Standard dtypes the backend does not declare in ``__array_namespace_info__().dtypes()`` (in its mode)."""
    probe = "import portax.numpy as xp; print(' '.join(xp.__array_namespace_info__().dtypes()))"
    out = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True).stdout
    declared = set(out.split())
    return [name for name in STANDARD_DTYPES if name not in declared]


def summarize(xml_path: pathlib.Path, top: int) -> tuple[int, int, int, str]:
    """(passed, failed, skipped, text) from the junit file; errors count as failures."""
    passed = failed = skipped = 0
    by_file: collections.Counter[str] = collections.Counter()
    by_function: collections.Counter[str] = collections.Counter()
    by_exception: collections.Counter[str] = collections.Counter()
    failures = []
    for case in ET.parse(xml_path).getroot().iter("testcase"):
        outcome = next((k for k in case if k.tag in ("failure", "error", "skipped")), None)
        if outcome is None:
            passed += 1
            continue
        if outcome.tag == "skipped":
            skipped += 1
            continue
        failed += 1
        module = case.get("classname", "").split(".")[-1]
        name = case.get("name", "")
        message = (outcome.get("message") or outcome.tag).strip()
        first = message.splitlines()[0] if message else outcome.tag
        match = re.match(r"([A-Za-z_][\w.]*)(:|$)", first)
        exception = match.group(1) if match else first[:60]
        by_file[module] += 1
        by_function[f"{module}::{name.split('[', 1)[0]}"] += 1
        by_exception[exception] += 1
        failures.append(f"  {module}::{name} | {first[:200]}")
    ran = passed + failed
    lines = [
        f"pass rate {100.0 * passed / ran if ran else 0.0:.2f}% ({passed} passed, {failed} failed, {skipped} skipped)"
    ]
    for title, counter in (("test file", by_file), ("test function", by_function), ("exception", by_exception)):
        lines.append(f"failures by {title}:")
        lines.extend(f"  {count:5d}  {key}" for key, count in counter.most_common(top))
    lines.append("failing ids | first line of the message:")
    lines.extend(failures)
    return passed, failed, skipped, "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", required=True, help="portax backend name (jax, torch, or a plugin)")
    parser.add_argument("--x64", choices=("on", "off"), default="on", help="JAX's x64 mode (jax backend only)")
    parser.add_argument("--max-examples", type=int, default=20, help="hypothesis examples per test (suite: 100)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / ".array-api" / "results")
    parser.add_argument("--min-pass-rate", type=float, default=0.0, help="fail below this percentage")
    parser.add_argument("--shrink", action="store_true", help="let hypothesis shrink failing examples (slow)")
    parser.add_argument("--top", type=int, default=30, help="failure categories to print")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (e.g. -n 2, a test path)")
    args = parser.parse_args(argv)

    checkout = find_checkout()
    if checkout is None:
        print(HOW_TO_GET, file=sys.stderr)
        return 2
    env = backend_env(args.backend, args.x64)
    skip = unsupported_dtypes(env)
    tag = f"{args.backend}-x64{args.x64}" if args.backend == "jax" else args.backend
    args.out.mkdir(parents=True, exist_ok=True)
    xml_path = (args.out / f"{tag}.xml").resolve()
    env.update(
        ARRAY_API_TESTS_MODULE="portax.numpy",
        ARRAY_API_TESTS_VERSION=API_VERSION,
        ARRAY_API_TESTS_SKIP_DTYPES=",".join(skip),
        HYPOTHESIS_STORAGE_DIRECTORY=str((args.out / f".hypothesis-{tag}").resolve()),
        PYTHONDONTWRITEBYTECODE="1",
        OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"),
    )
    plugins = [] if args.shrink else ["-p", "_array_api_no_shrink"]
    if not args.shrink:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "tools"), env.get("PYTHONPATH")]))
    tests = [a for a in args.pytest_args if a.startswith("array_api_tests")] or ["array_api_tests/"]
    extra = [a for a in args.pytest_args if not a.startswith("array_api_tests")]
    command = [sys.executable, "-m", "pytest", *tests, "-p", "no:cacheprovider", "-q", "--disable-deadline",
               "--derandomize", "--max-examples", str(args.max_examples), "--junitxml", str(xml_path),
               "--xfails-file", os.devnull, *plugins, *extra]  # fmt: skip
    mode = f" x64={args.x64}" if args.backend == "jax" else ""
    print(f"array-api-tests at {checkout}: backend={args.backend}{mode} skip_dtypes={skip or 'none'}")
    print("cd", checkout, "&&", " ".join(command), flush=True)
    if xml_path.exists():
        xml_path.unlink()
    log_path = args.out / f"{tag}.log"
    with open(log_path, "w") as log:
        subprocess.run(command, cwd=checkout, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    if not xml_path.exists():
        print(f"pytest wrote no report; see {log_path}", file=sys.stderr)
        return 3
    passed, failed, skipped, text = summarize(xml_path, args.top)
    (args.out / f"{tag}.summary.txt").write_text(text + "\n")
    print("\n".join(line for line in text.splitlines() if not line.startswith("  ") or "|" not in line))
    print(f"full list: {args.out / f'{tag}.summary.txt'}")
    ran = passed + failed
    rate = 100.0 * passed / ran if ran else 0.0
    return 1 if rate < args.min_pass_rate else 0


if __name__ == "__main__":
    sys.exit(main())
