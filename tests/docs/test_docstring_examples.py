"""The ``Examples:`` in portax's docstrings (the API reference pages render them) run on every backend.

Doctests are collected from every module of ``portax._src`` (the public modules only re-export), and each runs under
``portax.use_backend(<backend>)``; their printed output must be the same on every backend, so examples print plain
Python values (``float(...)``, ``.tolist()``, shapes), not array reprs.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import portax
import portax._src
import pytest

SKIP_MODULES = {"portax._src.numpy.api", "portax._src.numpy.linalg_api", "portax._src.numpy.fft_api"}  # generated


def docstring_examples() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = []
    for info in pkgutil.walk_packages(portax._src.__path__, "portax._src."):
        if info.name in SKIP_MODULES:
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # a module that needs an engine which is not installed
            continue
        tests += [test for test in finder.find(module) if test.examples]
    return sorted(tests, key=lambda test: test.name)


EXAMPLES = docstring_examples()


def test_docstrings_have_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda test: test.name.removeprefix("portax._src."))
def test_docstring_example_runs(example: doctest.DocTest, backend_name: str):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failures = []
    test = doctest.DocTest(
        example.examples, dict(example.globs), example.name, example.filename, example.lineno, example.docstring
    )
    with portax.use_backend(backend_name):
        runner.run(test, out=failures.append, clear_globs=True)
    assert runner.failures == 0, "".join(failures)
