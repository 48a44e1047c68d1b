"""docs/writing-a-backend.md is tested against the protocol module ``portax.backend`` (issue 12): the table of pieces
names every member a backend provides and nothing the protocol lacks, and the toy backend implements the protocol
with public names only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import portax.backend as protocol

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "writing-a-backend.md"
TOY = ROOT / "docs" / "examples" / "toy_backend" / "src" / "portax_toy"


def _pieces_table() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("## The pieces")
    return text[start : text.index("\n## ", start + 1)]


def _first_column_names(table: str) -> set[str]:
    names = set()
    for row in table.splitlines():
        cells = row.split("|")
        if row.startswith("| `"):
            names |= {re.match(r"\w+", code)[0] for code in re.findall(r"`([^`]+)`", cells[1])}
        elif row.startswith("| class attributes"):  # the names are in the second column
            names |= set(re.findall(r"`(\w+)`", cells[2]))
    return names


def _backend_members() -> set[str]:
    members = set()
    for cls in protocol.Backend.__mro__[:-2]:  # Backend itself (not abc.ABC, object)
        members |= {n for n in (*vars(cls), *cls.__annotations__) if not n.startswith("_")}
    return members - {"is_available", "owns", "device_count"}  # helpers core provides, not implemented by a backend


def test_guide_lists_every_member_of_the_backend_protocol():
    listed = _first_column_names(_pieces_table())
    missing = _backend_members() - listed
    assert not missing, f"docs/writing-a-backend.md's table of pieces does not list {sorted(missing)}"


def test_guide_lists_nothing_the_protocol_lacks():
    listed = _first_column_names(_pieces_table()) - {"entry"}  # the entry point row is packaging, not a member
    unknown = {name for name in listed if not hasattr(protocol.Backend, name) and name not in protocol.Backend.__annotations__}
    assert not unknown, f"docs/writing-a-backend.md lists {sorted(unknown)}, which portax.backend.Backend lacks"
    for name in ("Transforms", "ControlFlow", "Collectives", "DebugHooks", "RandomHooks", "ThreefrySamplers"):
        assert f"`{name}`" in _pieces_table() and hasattr(protocol, name), name


def test_toy_backend_implements_the_protocol_with_public_names_only():
    source = (TOY / "backend.py").read_text()
    imported = [
        node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom) and node.module
    ]
    assert "portax.backend" in imported
    assert not [m for m in imported if "._" in m or m.startswith("portax._")]
    abstract = set(protocol.Backend.__abstractmethods__)
    defined = {n.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)}
    assert abstract <= defined, f"the toy backend misses {sorted(abstract - defined)}"
