"""docs/coverage.md is generated (tools/coverage_table.py) and cannot drift: it is regenerated here and compared, and
every name it calls provided must exist on every backend, and on torch must not be a stub raising UnsupportedError."""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path

import numpy as np
import portax
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("jax")
sys.path.insert(0, str(ROOT / "tools"))
import coverage_table  # noqa: E402

# Modules whose functions take an array first: calling portax's on torch with one small float array is a cheap probe;
# raising UnsupportedError where JAX's accepts that input makes a stub. Other errors (more arguments needed, a dtype the
# function rejects) are not the table's concern.
PROBED = ("jax.numpy", "jax.lax", "jax.nn", "jax.scipy.special")
NOT_PROBED_LAX = {"while_loop", "fori_loop", "scan", "map"}  # take functions first


@pytest.fixture(scope="module")
def table():
    return list(coverage_table.rows())


def test_committed_page_is_current(table):
    page = coverage_table.render(table)
    committed = coverage_table.OUTPUT.read_text(encoding="utf-8")
    assert committed == page, "docs/coverage.md is stale: run `python tools/coverage_table.py --write`"


def test_page_is_in_the_site_navigation():
    assert "coverage.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_differences_name_existing_docs_sections(table):
    for (module, name), (_, section, note) in coverage_table.DIFFERENCES.items():
        page, _, anchor = section.partition("#")
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        assert anchor, f"{module}.{name}: the difference must link a section, got {section!r}"
        headings = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]
        slugs = {_slug(heading) for heading in headings}
        assert anchor in slugs, f"{module}.{name}: no section #{anchor} in docs/{page} (have {sorted(slugs)})"
        assert note


def _slug(heading: str) -> str:
    # mkdocs' toc slugify: lowercase, drop punctuation other than - and _, spaces to -
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return "-".join(kept.split())


@pytest.mark.parametrize("backend_index", range(len(coverage_table.BACKENDS)), ids=coverage_table.BACKENDS)
def test_every_provided_name_resolves(table, backend_index):
    backend = coverage_table.BACKENDS[backend_index]
    missing = []
    with portax.use_backend(backend):
        for row in table:
            if row.status[backend_index] == "missing":
                continue
            module = coverage_table.portax_module(row.module)
            value = getattr(module, row.name, None)
            # a documented difference may be a non-callable (torch's dtype objects); everything else is callable
            if value is None or (row.status[backend_index] == "provided" and not callable(value)):
                missing.append(f"{row.module}.{row.name}")
    assert not missing, f"the page says these are provided on {backend}, but they do not resolve: {missing}"


def test_provided_names_are_not_stubs_on_torch(table):
    if "torch" not in portax.backends():
        pytest.skip("torch backend not installed")
    torch_index = coverage_table.BACKENDS.index("torch")
    probe = np.array([0.5, 0.25], dtype=np.float32)
    stubs = []
    for row in table:
        if row.module not in PROBED or row.status[torch_index] == "missing":
            continue
        if row.module == "jax.lax" and row.name in NOT_PROBED_LAX:
            continue
        ours = getattr(coverage_table.portax_module(row.module), row.name)
        with portax.use_backend("torch"):
            import portax.numpy as pnp

            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ours(pnp.asarray(probe))
            except portax.errors.UnsupportedError as error:
                if _jax_accepts(row.module, row.name, probe):  # a declared gap for an input JAX takes: a stub
                    stubs.append(f"{row.module}.{row.name}: {error}")
            except Exception:  # a wrong answer or error is the area's own tests' business, not the table's
                pass
    assert not stubs, f"the page says these are provided on torch, but they raise UnsupportedError: {stubs}"


def _jax_accepts(module: str, name: str, probe: np.ndarray) -> bool:
    reference = getattr(importlib.import_module(module), name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference(probe)
    except Exception:
        return False
    return True
