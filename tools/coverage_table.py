"""Generate docs/coverage.md: which public callables of JAX portax provides, per module and backend.

Never written by hand. For every public callable name of ``jax``, ``jax.numpy``, ``jax.lax``, each ``jax.scipy``
submodule (and each ``jax.scipy.stats`` distribution), ``jax.nn``, ``jax.random``, ``jax.tree`` and
``jax.tree_util`` of the installed JAX, and for every backend, a name is

- **provided**: ``portax.<same module>.<name>`` exists;
- **provided with a documented difference**: it exists and ``DIFFERENCES`` below names the docs section that
  describes how it differs on that backend;
- **not provided**: the portax module has no such name, or ``UNSUPPORTED`` declares that the backend raises
  ``portax.errors.UnsupportedError`` for it.

    python tools/coverage_table.py --write    # regenerate docs/coverage.md (one command, after any API change)
    python tools/coverage_table.py --check    # exit 1 when docs/coverage.md is stale

``tests/docs/test_coverage_table.py`` fails when the committed page is stale and checks that every name the page
calls provided resolves on every backend (and, on torch, is no stub raising ``UnsupportedError``).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import pkgutil
import sys
import types
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "coverage.md"
# this checkout's portax and backends, whatever else is installed (an editable install of another checkout)
for _src in ("packages/backend-torch/src", "packages/backend-jax/src", "packages/core/src"):
    if str(ROOT / _src) not in sys.path:
        sys.path.insert(0, str(ROOT / _src))
BACKENDS = ("jax", "torch")
ALL = "*"  # every backend

# (JAX module, name) -> (backends, "docs page#section", what differs). Kept by hand: a difference is added here with
# the docs section that describes it, in the same change that documents it.
DIFFERENCES: dict[tuple[str, str], tuple[tuple[str, ...] | str, str, str]] = {
    ("jax", "make_jaxpr"): (
        ("torch",),
        "sharp-bits.md#jax_debug_nans-granularity-and-make_jaxpr",
        "prints the traced torch graph, not a jaxpr",
    ),
    ("jax", "pure_callback"): (
        ("torch",),
        "porting-jax.md#tutorial-libraries-and-the-rest-of-jaxs-surface",
        "under jit it runs uncompiled; under grad/vmap UnsupportedError",
    ),
    ("jax", "named_scope"): (
        ("torch",),
        "porting-jax.md#tutorial-libraries-and-the-rest-of-jaxs-surface",
        "names a torch.profiler record_function range instead of HLO metadata",
    ),
    ("jax", "named_call"): (
        ("torch",),
        "porting-jax.md#tutorial-libraries-and-the-rest-of-jaxs-surface",
        "names a torch.profiler record_function range instead of HLO metadata",
    ),
    ("jax", "custom_gradient"): (
        ALL,
        "porting-jax.md#tutorial-libraries-and-the-rest-of-jaxs-surface",
        "the function runs again in the backward pass",
    ),
    ("jax", "typeof"): (
        ALL,
        "porting-jax.md#tutorial-libraries-and-the-rest-of-jaxs-surface",
        "a ShapeDtypeStruct, not a ShapedArray",
    ),
    ("jax", "ensure_compile_time_eval"): (
        ("torch",),
        "porting-jax.md#tutorial-libraries-and-the-rest-of-jaxs-surface",
        "does nothing: torch's compiler folds input-independent values itself",
    ),
    ("jax.tree_util", "Partial"): (
        ALL,
        "x64-and-debugging.md#pytrees-portaxtree_util",
        "not a functools.partial subclass (same func/args/keywords attributes)",
    ),
    ("jax.tree_util", "register_pytree_with_keys"): (
        ALL,
        "porting-jax.md#tutorial-libraries-and-the-rest-of-jaxs-surface",
        "one registry for portax.tree and portax.tree_util",
    ),
    ("jax.lax", "rng_bit_generator"): (
        ("torch",),
        "lax.md#differences",
        "portax's keyed Threefry bits, not XLA's",
    ),
    ("jax.lax", "reduce_precision"): (("torch",), "lax.md#differences", "the tangent is not rounded"),
    ("jax.lax", "custom_linear_solve"): (("torch",), "lax.md#differences", "reverse mode and vmap; no forward mode"),
}

# jnp's scalar types are the backend's dtype objects in portax: JAX's are callable (jnp.float32(1.0)), torch's not.
_DTYPES = (
    "bfloat16 bool bool_ cdouble complex_ csingle float_ int_ uint complex128 complex64 double float16 float32 float64 int16 int32 int64 int8 single uint16 "
    "uint32 uint64 uint8"
)
for _name in _DTYPES.split():
    DIFFERENCES[("jax.numpy", _name)] = (
        ("torch",),
        "sharp-bits.md#dtype-objects-are-the-engines",
        "torch's dtype object: not callable, write jnp.asarray(x, jnp.float32)",
    )

# torch has no Schur decomposition: the Schur-based functions use the eigendecomposition there
for _name in ("sqrtm", "funm", "solve_sylvester"):
    DIFFERENCES[("jax.scipy.linalg", _name)] = (
        ("torch",),
        "nn-and-scipy.md#differences-and-missing-pieces-per-backend",
        "eigendecomposition instead of the Schur form (diagonalizable matrices)",
    )

# (JAX module, name) -> backends on which portax declares the feature missing (raises UnsupportedError).
UNSUPPORTED: dict[tuple[str, str], tuple[str, ...]] = {
    ("jax.scipy.linalg", "schur"): ("torch",),  # torch.linalg has no Schur decomposition
    ("jax.scipy.linalg", "rsf2csf"): ("torch",),
}

# JAX module -> portax module. jax.scipy.* and jax.scipy.stats.* map to the portax.scipy module of the same name.
MODULES = ("jax", "jax.numpy", "jax.lax", "jax.nn", "jax.random", "jax.tree", "jax.tree_util")


@dataclass(frozen=True)
class Row:
    """One JAX name and its status per backend: "provided", "difference" or "missing"."""

    module: str
    name: str
    status: tuple[str, ...]  # one per BACKENDS entry
    note: str = ""
    section: str = ""


def jax_modules() -> list[str]:
    """Every JAX module the table covers, in page order."""
    import jax.scipy
    import jax.scipy.stats

    scipy = sorted(f"jax.scipy.{m.name}" for m in pkgutil.iter_modules(jax.scipy.__path__) if not m.name.startswith("_"))
    stats = sorted(
        f"jax.scipy.stats.{m.name}" for m in pkgutil.iter_modules(jax.scipy.stats.__path__) if not m.name.startswith("_")
    )
    return [*MODULES[:3], *scipy, *stats, *MODULES[3:]]


def public_callables(module_name: str) -> list[str]:
    """The public callable names of a JAX module (functions and classes; no submodules, no deprecated names)."""
    module = importlib.import_module(module_name)
    names = []
    for name in dir(module):
        if name.startswith("_"):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            try:
                value = getattr(module, name)
            except (AttributeError, DeprecationWarning):
                continue  # a deprecated alias JAX keeps only to raise or warn
        if callable(value) and not isinstance(value, types.ModuleType):
            names.append(name)
    return sorted(names)


def portax_module(jax_module: str) -> types.ModuleType | None:
    """The portax module mirroring ``jax_module``, or None when portax has none."""
    name = "portax" + jax_module[len("jax") :]
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _differences(module: str, name: str, backend: str) -> tuple[str, str] | None:
    entry = DIFFERENCES.get((module, name))
    if entry is None:
        return None
    backends, section, note = entry
    if backends != ALL and backend not in backends:
        return None
    return section, note


def rows() -> Iterator[Row]:
    """The table's rows, module by module, names sorted."""
    for module in jax_modules():
        ours = portax_module(module)
        for name in public_callables(module):
            present = ours is not None and hasattr(ours, name)
            statuses, note, section = [], "", ""
            for backend in BACKENDS:
                if not present or backend in UNSUPPORTED.get((module, name), ()):
                    statuses.append("missing")
                elif (difference := _differences(module, name, backend)) is not None:
                    statuses.append("difference")
                    section, note = difference
                else:
                    statuses.append("provided")
            yield Row(module, name, tuple(statuses), note, section)


SYMBOLS = {"provided": "yes", "difference": "yes*", "missing": "—"}


def render(all_rows: list[Row]) -> str:
    """The Markdown page."""
    jax_version = importlib.metadata.version("jax")
    by_module: dict[str, list[Row]] = {}
    for row in all_rows:
        by_module.setdefault(row.module, []).append(row)
    lines = [
        "# Coverage of JAX's API",
        "",
        f"Which public callables of JAX {jax_version} portax provides, per module and backend. **Generated** by",
        "`python tools/coverage_table.py --write` from the installed JAX and portax's own modules; never edit it by",
        "hand (`tests/docs/test_coverage_table.py` fails when it is stale, and checks that every name it calls",
        "provided exists on every backend).",
        "",
        "`yes`: provided. `yes*`: provided with a documented difference (the note names the docs section). `—`:",
        "not provided. Percentages count `yes` and `yes*`.",
        "",
        "## Summary",
        "",
        "| module | names | " + " | ".join(BACKENDS) + " |",
        "|---|---:|" + "---:|" * len(BACKENDS),
    ]
    for module, module_rows in by_module.items():
        cells = []
        for index, _ in enumerate(BACKENDS):
            covered = sum(row.status[index] != "missing" for row in module_rows)
            percent = 100.0 * covered / len(module_rows) if module_rows else 100.0
            cells.append(f"{covered} ({percent:.0f} %)")
        lines.append(f"| [`{module}`](#{_anchor(module)}) | {len(module_rows)} | " + " | ".join(cells) + " |")
    for module, module_rows in by_module.items():
        lines += ["", f"## `{module}`", "", "| name | " + " | ".join(BACKENDS) + " | note |", "|---|" + "---|" * (len(BACKENDS) + 1)]
        for row in module_rows:
            note = f"[{row.note}]({row.section})" if row.note else ""
            lines.append(f"| `{row.name}` | " + " | ".join(SYMBOLS[s] for s in row.status) + f" | {note} |")
    return "\n".join(lines) + "\n"


def _anchor(module: str) -> str:
    return module.replace(".", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="regenerate docs/coverage.md")
    group.add_argument("--check", action="store_true", help="exit 1 when docs/coverage.md is stale")
    args = parser.parse_args(argv)
    page = render(list(rows()))
    if args.write:
        OUTPUT.write_text(page, encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(ROOT)}")
        return 0
    if OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == page:
        return 0
    print(f"{OUTPUT.relative_to(ROOT)} is stale: run python tools/coverage_table.py --write", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
