"""The modules of ``packages/`` import each other without circles, and each public name of a backend's NumPy
namespace is defined in one file (issue 12).

The import graph counts every import, also those inside functions (a function-level import hides a circle from
Python's loader, not from a reader). ``from package import name`` counts as importing ``package.name`` when that is a
module.
"""

from __future__ import annotations

import ast
import collections
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "packages").glob("*/src"))


def _modules() -> dict[str, Path]:
    found = {}
    for src in SOURCES:
        for path in src.rglob("*.py"):
            parts = list(path.relative_to(src).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = collections.defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        text = path.read_text()
        tree = ast.parse(text, str(path))
        typing_only = set() if "TYPE_CHECKING" not in text else {
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
            for sub in ast.walk(node)
        }  # imports for annotations only: never executed
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                # importing a package's module runs the package's __init__ too, which imports nothing of its own here
                if target and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return components



def test_no_import_circles_among_the_modules_of_packages():
    graph = _import_graph()
    assert sum(len(targets) for targets in graph.values()) > 300, "the graph misses imports: is the walker broken?"
    cycles = _cycles(graph)
    assert not cycles, "import circles (function-level imports included):\n" + "\n".join(" <-> ".join(c) for c in cycles)


def _namespace_files(src: Path) -> list[Path]:
    """``numpy.py`` and the modules it gathers its names from (top-level imports, followed transitively)."""
    package = src.name
    seen, todo = [], [src / "numpy.py"]
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.append(path)
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(f"{package}."):
                todo.append(src / f"{node.module.split('.')[1]}.py")
    return sorted(seen)


@pytest.mark.parametrize("package", ["portax_torch", "portax_jax"])
def test_no_public_name_of_a_backend_namespace_is_defined_twice(package):
    src = next(s for s in SOURCES if (s / package).is_dir()) / package
    definitions: dict[str, list[str]] = collections.defaultdict(list)
    for path in _namespace_files(src):
        for node in ast.parse(path.read_text()).body:
            names = []
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [sub.id for target in node.targets for sub in ast.walk(target) if isinstance(sub, ast.Name)]
            for name in names:
                definitions[name].append(path.name)
    twice = {name: files for name, files in definitions.items() if not name.startswith("_") and len(files) > 1}
    assert not twice, f"names of {package}.numpy's namespace defined in several files: {twice}"
