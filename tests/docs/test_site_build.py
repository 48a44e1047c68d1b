"""The documentation site builds strictly (broken links and anchors are errors) and shows what a reader may see.

Runs ``mkdocs build --strict`` into a temporary folder, then ``tools/check_site.py``'s checks: no literal Sphinx
roles (``:func:`x```) and no ``portax._src`` paths in the visible text of any page (issue 17). ``nox -s docs`` does
the same on the committed site; this test keeps a docs change from breaking it unnoticed.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("mkdocstrings") is None,
    reason="mkdocs/mkdocstrings not installed (nox -s tests installs them)",
)


def _check_site():
    spec = importlib.util.spec_from_file_location("_check_site", ROOT / "tools/check_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_site_builds_strictly_and_shows_no_roles_or_private_paths(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr[-4000:]}"
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20, f"only {len(pages)} pages built"
    problems = _check_site().problems(site)
    assert not problems, "\n".join(problems[:40])
