"""Static types a user can rely on (issue 17 item 1): mypy accepts ordinary portax code and the examples, and reports
typos.

``typing_cases/user_ok.py`` is typical user code (must give no error); in ``typing_cases/user_errors.py`` every
line marked ``# error`` must get a mypy error and no other line may. Runs mypy once over both (~30 s of CPU cold).
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

CASES = pathlib.Path(__file__).parent / "typing_cases"


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """One mypy cache for the module: portax and numpy are analysed once (~30 s of CPU), not per check."""
    pytest.importorskip("mypy", reason="the static-type check needs mypy in the test environment")
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.fixture(scope="module")
def mypy_errors(mypy_cache: pathlib.Path) -> dict[str, set[int]]:
    cache = mypy_cache
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports", "--no-error-summary",
         "--cache-dir", str(cache), "user_ok.py", "user_errors.py"],
        cwd=CASES, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 2 = mypy itself failed
    errors: dict[str, set[int]] = {"user_ok.py": set(), "user_errors.py": set()}
    for file, line in re.findall(r"^(user_\w+\.py):(\d+): error:", result.stdout, re.M):
        errors[file].add(int(line))
    errors["output"] = result.stdout  # type: ignore[assignment]
    return errors


def test_mypy_accepts_ordinary_user_code(mypy_errors):
    assert not mypy_errors["user_ok.py"], mypy_errors["output"]


def test_mypy_accepts_the_examples(mypy_cache):
    examples = CASES.parents[2] / "examples"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports", "--no-error-summary",
         "--cache-dir", str(mypy_cache), *sorted(p.name for p in examples.glob("*.py"))],
        cwd=examples, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_reports_every_typo_and_misuse(mypy_errors):
    marked = {
        number
        for number, line in enumerate((CASES / "user_errors.py").read_text().splitlines(), start=1)
        if line.rstrip().endswith("# error")
    }
    assert len(marked) >= 6
    assert mypy_errors["user_errors.py"] == marked, mypy_errors["output"]
