"""The committed dispatchers of portax.numpy are what ``tools/gen_numpy_api.py`` makes from ``tools/api_names.py``."""

from __future__ import annotations

import difflib
import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).parents[2]
COMMITTED = ROOT / "packages/core/src/portax/_src/numpy"
FILES = ("api.py", "linalg_api.py", "fft_api.py")


def _generator():
    pytest.importorskip("jax")  # the generator reads jax.numpy's signatures
    spec = importlib.util.spec_from_file_location("_gen_numpy_api", ROOT / "tools/gen_numpy_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_api_is_generated(tmp_path: pathlib.Path) -> None:
    _generator().main(tmp_path)
    for name in FILES:
        made, committed = (tmp_path / name).read_text(), (COMMITTED / name).read_text()
        diff = "".join(difflib.unified_diff(committed.splitlines(True), made.splitlines(True), name, "regenerated", n=1))
        assert not diff, f"{name} differs from what tools/gen_numpy_api.py makes; run it and commit:\n{diff[:3000]}"


def test_table_names_once_with_known_parameters() -> None:
    names = _generator().sys.modules["api_names"]  # the table module the generator imported
    NUMPY, LINALG, FFT, _table = names.NUMPY, names.LINALG, names.FFT, names._table

    assert {"add", "concat", "asarray"} <= set(NUMPY) and "solve" in LINALG and "fft" in FFT
    with pytest.raises(ValueError, match="listed twice"):
        _table("add x1 x2\nadd x1 x2")
    with pytest.raises(ValueError, match="unknown role"):
        _table("block arrays:nestd")
