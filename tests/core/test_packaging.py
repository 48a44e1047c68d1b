"""Each distribution stands alone: built wheels carry LICENSE, README (as the long description) and ``py.typed``,
declare honest metadata, and pass ``twine check``; each package README's example runs.

Builds with ``pip wheel --no-build-isolation`` (hatchling from the test environment, no network), ~2 s a wheel.
"""

from __future__ import annotations

import email
import pathlib
import re
import subprocess
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DISTRIBUTIONS = {
    "portax": ("packages/core", "portax", None),
    "portax_jax": ("packages/backend-jax", "portax_jax", "jax"),
    "portax_torch": ("packages/backend-torch", "portax_torch", "torch"),
}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pathlib.Path]:
    pytest.importorskip("hatchling", reason="building wheels needs hatchling in the test environment")
    out = tmp_path_factory.mktemp("wheels")
    for folder, _, _ in DISTRIBUTIONS.values():
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), folder],
            cwd=ROOT,
            check=True,
        )
    return {path.name.split("-")[0]: path for path in out.glob("*.whl")}


@pytest.mark.parametrize("dist", sorted(DISTRIBUTIONS))
def test_wheel_contents_and_metadata(wheels: dict[str, pathlib.Path], dist: str) -> None:
    folder, package, _ = DISTRIBUTIONS[dist]
    with zipfile.ZipFile(wheels[dist]) as archive:
        names = archive.namelist()
        info = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(info))
    assert f"{package}/py.typed" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names), names
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Requires-Python"] == ">=3.10"
    assert metadata["Description-Content-Type"] == "text/markdown"
    readme = (ROOT / folder / "README.md").read_text()
    assert metadata.get_payload().strip() == readme.strip()
    assert len(readme.splitlines()) > 10, "the README on the package index must explain the package"
    classifiers = metadata.get_all("Classifier")
    assert "Typing :: Typed" in classifiers and "Programming Language :: Python :: 3.10" in classifiers


def test_twine_check(wheels: dict[str, pathlib.Path]) -> None:
    pytest.importorskip("twine", reason="twine is not installed in the test environment")
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, wheels.values())], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dist", sorted(DISTRIBUTIONS))
def test_readme_example_runs(dist: str) -> None:
    import portax

    folder, _, needs = DISTRIBUTIONS[dist]
    needs = needs or "torch"  # the core README's example uses torch tensors
    if needs not in portax.backends():
        pytest.skip(f"the {dist} README's example needs the {needs} backend installed")
    for block in re.findall(r"```python\n(.*?)```", (ROOT / folder / "README.md").read_text(), re.S):
        exec(compile(block, f"{folder}/README.md", "exec"), {})
