"""Run a corpus program (cells separated by ``# %%``) as a notebook would, and compare printed numbers.

A program runs cell by cell in a fresh module registered in ``sys.modules`` (so ``torch.compile`` can import the
functions' module by name); like a notebook, a cell whose last statement is an expression shows that value's
``repr``. With real JAX the source runs as it is; with portax it runs through ``portax port --jax-operators`` (imports,
the array methods whose torch meaning differs, and JAX's operators for NumPy arrays and booleans). Outputs are compared by the numbers (and booleans) they print, in
order: array reprs differ between engines (``Array(...)``, ``tensor(...)``), values must not.
"""

from __future__ import annotations

import ast
import contextlib
import io
import itertools
import math
import pathlib
import re
import sys
import types
import warnings

import numpy as np

CELL_MARKER = "# %%"
_counter = itertools.count()


def split_cells(source: str) -> list[str]:
    """The cells of a program: the text between ``# %%`` lines (the header before the first marker is dropped)."""
    parts = re.split(r"^# %%.*$\n?", source, flags=re.MULTILINE)
    return [part for part in parts[1:] if part.strip()]


def _run_cell(cell: str, namespace: dict, filename: str) -> None:
    tree = ast.parse(cell, filename)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    if last is not None:
        tree.body.pop()
    exec(compile(tree, filename, "exec"), namespace)  # noqa: S102 - corpus programs taken from JAX's docs
    if last is not None:
        value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)  # noqa: S307
        if value is not None:
            print(repr(value))


def run_source(source: str, filename: str) -> str:
    """Run ``source`` cell by cell in a fresh importable module; return what it printed."""
    name = f"portax_corpus_{next(_counter)}"
    module = types.ModuleType(name)
    module.__file__ = filename
    sys.modules[name] = module
    np.random.seed(0)  # programs that draw NumPy data without seeding get the same data on every engine
    out = io.StringIO()
    torch = sys.modules.get("torch")
    if torch is not None:  # torch prints 4 decimals by default, NumPy (and JAX) 8: compare what is computed
        torch.set_printoptions(precision=8)
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for cell in split_cells(source):
                _run_cell(cell, module.__dict__, filename)
    finally:
        sys.modules.pop(name, None)
        if torch is not None:
            torch.set_printoptions(profile="default")
    return out.getvalue()


def ported(source: str) -> str:
    """``source`` through ``portax port --jax-operators``."""
    from portax._src.port.translate import translate_source

    return translate_source(source, jax_operators=True).code


_NOISE = re.compile(r"dtype=[\w.]+|weak_type=\w+|device=[\w':()]+|grad_fn=<\w+>|requires_grad=True|torch\.\w+")
_IMAGINARY_SIGN = re.compile(r"(?<=[\d.])([+-])(?=\d)")
_IMAGINARY_UNIT = re.compile(r"(?<=[\d.])j\b")
_NUMBER = re.compile(r"(?<![\w.])(?:nan|-?inf|True|False|-?\d+\.?\d*(?:[eE][-+]?\d+)?)(?![\w])")


def numbers(text: str) -> list[float]:
    """The numbers and booleans printed in ``text``, in order (dtype and device annotations removed)."""
    text = _NOISE.sub(" ", text)
    text = _IMAGINARY_SIGN.sub(r" \1", text)  # complex numbers: "-3.05-10.9j" (torch) is "-3.05 -10.9j" (JAX)
    text = _IMAGINARY_UNIT.sub("", text)
    values = []
    for token in _NUMBER.findall(text):
        values.append({"True": 1.0, "False": 0.0}.get(token, None) if token in ("True", "False") else float(token))
    return values


def same_numbers(expected: list[float], actual: list[float], rtol: float = 2e-4, atol: float = 2e-5) -> str | None:
    """None when the two number lists match within tolerance; otherwise the first difference, in words."""
    if len(expected) != len(actual):
        return f"printed {len(actual)} numbers, JAX printed {len(expected)}"
    for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
        if math.isnan(e) and math.isnan(a):
            continue
        if not (e == a or abs(e - a) <= atol + rtol * abs(e)):
            return f"number {index}: {a!r}, JAX {e!r}"
    return None


def program_paths() -> list[pathlib.Path]:
    return sorted((pathlib.Path(__file__).parent / "programs").glob("*.py"))
