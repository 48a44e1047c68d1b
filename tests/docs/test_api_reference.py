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
    "numpy.md": ("portax.ops",),
    "lax.md": ("portax.lax",),
    "random.md": ("portax.random",),
    "tree.md": ("portax.tree",),
    "errors.md": ("portax.errors",),
    "sharding.md": ("portax.sharding",),
    "nn.md": ("portax.nn", "portax.nn.initializers", "portax.scipy.special", "portax.scipy.linalg",
              "portax.scipy.signal", "portax.scipy.optimize", "portax.scipy.stats",
              "portax.scipy.integrate", "portax.scipy.fft", "portax.scipy.ndimage", "portax.scipy.interpolate"),
    "debug.md": ("portax.debug", "portax.distributed", "portax.tree_util", "portax.dtypes"),
    "tutorial-libraries.md": (
        "portax.test_util",
        "portax.example_libraries.stax",
        "portax.example_libraries.optimizers",
        "portax.experimental.ode",
    ),
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
        if not name.startswith("_")
        and name not in ("annotations", "TYPE_CHECKING")
        and not isinstance(value, types.ModuleType)
    }


@pytest.mark.parametrize(("page", "module"), [(page, module) for page, modules in PAGES.items() for module in modules])
def test_reference_page_lists_every_public_name(page, module):
    missing = public_names(module) - documented(page) - ELSEWHERE
    assert not missing, f"docs/reference/{page} does not list {sorted(missing)} of {module}"


def test_backend_protocol_page_lists_the_public_protocol():
    missing = public_names("portax.backend") - documented("backend.md")
    assert not missing, f"docs/reference/backend.md does not list {sorted(missing)} of portax.backend"


def test_numpy_member_lists_are_current():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "tools" / "reference_members.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _public_objects():
    for modules in [*PAGES.values(), ("portax.backend", "portax.numpy")]:
        for module_name in modules:
            module = importlib.import_module(module_name)
            yield module_name, module
            for name in public_names(module_name):
                yield f"{module_name}.{name}", getattr(module, name)


def test_public_docstrings_render_without_sphinx_roles_or_private_paths():
    """What the site shows (issue 17): no literal ``:func:`` roles and no ``portax._src`` paths in public docs."""
    import sys

    sys.path.insert(0, str(ROOT / "docs" / "_griffe"))
    try:
        from portax_docstrings import SPHINX_ROLE, render_roles
    finally:
        sys.path.pop(0)
    assert render_roles("see :func:`portax.grad` and :class:`~portax.errors.UnsupportedError`") == (
        "see `portax.grad` and `UnsupportedError`"
    )
    problems = []
    for path, obj in _public_objects():
        doc = getattr(obj, "__doc__", None) or ""
        if isinstance(obj, (int, float, str, tuple, frozenset)):
            continue  # constants carry their type's docstring
        rendered = render_roles(doc)
        if SPHINX_ROLE.search(rendered) or re.search(r":(func|class|mod|meth|attr):`", rendered):
            problems.append(f"{path}: unrendered role")
        if "portax._src" in rendered:
            problems.append(f"{path}: mentions a private path")
    for page in REFERENCE.glob("*.md"):
        for block in BLOCK.finditer(page.read_text(encoding="utf-8")):
            if "._src." in block["path"] or block["path"].startswith("portax._src"):
                problems.append(f"docs/reference/{page.name}: documents {block['path']} (use the public path)")
    assert not problems, "\n".join(problems)
