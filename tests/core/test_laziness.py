"""``import portax`` / ``import portax.numpy`` import no engine (DESIGN.md: discovery is lazy; issue 2 bar)."""

from __future__ import annotations

import subprocess
import sys

import pytest

ENGINES = ("jax", "jaxlib", "torch")


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args, "-c", code], capture_output=True, text=True, timeout=120, check=True)


@pytest.mark.parametrize(
    "statement",
    [
        "import portax",
        "import portax.numpy",
        "import portax.numpy.linalg, portax.numpy.fft",
        "import portax as jax; jax.numpy; jax.errors",
        "import portax; portax.backends()",
        "import portax.numpy as pnp; pnp.__all__; pnp.at; pnp.pi; pnp.__array_api_version__",
        "from portax.errors import BackendNotFoundError, BackendMismatchError, UnsupportedError",
    ],
)
def test_import_does_not_import_an_engine(statement):
    code = f"{statement}\nimport sys\nprint(','.join(m for m in {ENGINES!r} if m in sys.modules))"
    loaded = run_python(code).stdout.strip()
    assert loaded == "", f"`{statement}` imported {loaded}"


def test_importtime_shows_no_engine():
    # The check the issue names: `python -X importtime -c "import portax"` lists every module imported.
    stderr = run_python("import portax", "-X", "importtime").stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in stderr.splitlines() if "|" in line}
    assert not imported.intersection(ENGINES), sorted(imported.intersection(ENGINES))


def test_selecting_a_backend_imports_only_its_engine(backend_name):
    code = (
        f"import portax, sys\nportax.get_backend({backend_name!r})\n"
        f"print(','.join(m for m in {ENGINES!r} if m in sys.modules))"
    )
    loaded = set(filter(None, run_python(code).stdout.strip().split(",")))
    others = {"jax": {"torch"}, "torch": {"jax", "jaxlib"}}.get(backend_name, set())
    assert not loaded & others, f"loading {backend_name!r} also imported {sorted(loaded & others)}"
