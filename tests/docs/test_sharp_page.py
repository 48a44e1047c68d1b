"""Every test that docs/sharp-bits.md (or any docs page) names as ``tests/<path>.py::test_<name>`` exists.

The sharp-bits page promises that each difference is pinned by a test; this keeps the promise checkable when tests
move or are renamed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)")


def references() -> list[tuple[str, str, str]]:
    found = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for path, name in REFERENCE.findall(page.read_text(encoding="utf-8")):
            found.append((str(page.relative_to(ROOT)), path, name))
    return found


def test_sharp_bits_page_names_tests():
    assert sum(page == "docs/sharp-bits.md" for page, _, _ in references()) >= 20


@pytest.mark.parametrize(("page", "path", "name"), references(), ids=lambda value: str(value))
def test_named_test_exists(page, path, name):
    source = ROOT / path
    assert source.is_file(), f"{page} names {path}, which does not exist"
    defined = {node.name for node in ast.walk(ast.parse(source.read_text())) if isinstance(node, ast.FunctionDef)}
    assert name in defined, f"{page} names {path}::{name}, which is not defined there"
