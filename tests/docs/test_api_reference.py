"""The API reference pages list every public name of the module they document (griffe does not treat
``from x import y as y`` re-exports as public, so the pages name their members; this keeps the lists complete)."""

from __future__ import annotations

import importlib
import re
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference"
BLOCK = re.compile(r"^::: (?P<path>[\w.]+)\n(?P<options>(?:    .*\n)*)", re.M)

# page -> the public modules whose names it must cover
PAGES = {
    "portax.md": ("portax",),
    "lax.md": ("portax.lax",),
    "random.md": ("portax.random",),
    "tree.md": ("portax.tree",),
    "errors.md": ("portax.errors",),
    "nn.md": ("portax.nn", "portax.nn.initializers", "portax.scipy.special", "portax.scipy.linalg",
              "portax.scipy.signal"),
    "debug.md": ("portax.debug", "portax.distributed", "portax.tree_util", "portax.dtypes"),
}
# names of ``portax`` documented elsewhere: the Backend page, and the lazily loaded submodules
ELSEWHERE = {"Backend", "errors", "Any"}  # Any: typing's, imported for annotations


def documented(page: str) -> set[str]:
    names: set[str] = set()
    for block in BLOCK.finditer((REFERENCE / page).read_text(encoding="utf-8")):
        listed = re.findall(r"^\s+- (\w+)$", block["options"], re.M)
        inline = re.search(r"members: \[(.*)\]", block["options"])
        if inline:
            listed += [name.strip() for name in inline[1].split(",")]
        names.update(listed or [block["path"].rpartition(".")[2]])
    return names


def public_names(module_name: str) -> set[str]:
    module = importlib.import_module(module_name)
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and name != "annotations" and not isinstance(value, types.ModuleType)
    }


@pytest.mark.parametrize(("page", "module"), [(page, module) for page, modules in PAGES.items() for module in modules])
def test_reference_page_lists_every_public_name(page, module):
    missing = public_names(module) - documented(page) - ELSEWHERE
    assert not missing, f"docs/reference/{page} does not list {sorted(missing)} of {module}"
