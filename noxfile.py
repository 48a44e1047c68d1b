"""Developer sessions: tests on every backend, conformance per backend, lint, demo, benchmarks.

All installs use pip with ``constraints.txt`` (the pins CI uses; ``torch==2.13.0`` resolves to the local CPU build).
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests"]

PYTHON = None  # the interpreter running nox
CONSTRAINTS = ("-c", "constraints.txt")
PACKAGES = {"core": "packages/core", "jax": "packages/backend-jax", "torch": "packages/backend-torch"}
BACKENDS = ("jax", "torch")
TEST_DEPS = ("pytest", "pytest-xdist", "hypothesis", "numpy", "scipy", "optree")


def _install(session: nox.Session, *backends: str, extra: tuple[str, ...] = ()) -> None:
    editable = [arg for name in ("core", *backends) for arg in ("-e", PACKAGES[name])]
    session.install(*CONSTRAINTS, *editable, *extra)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole suite on every backend (the README's test command)."""
    _install(session, *BACKENDS, extra=TEST_DEPS)
    session.run("pytest", "-n", "2", "tests", *session.posargs, env={"PORTAX_TEST_BACKENDS": ",".join(BACKENDS)})


@nox.session(python=PYTHON)
@nox.parametrize("backend", BACKENDS)
def conformance(session: nox.Session, backend: str) -> None:
    """The conformance suite against one backend installed alone (proves no backend leans on another)."""
    _install(session, backend, extra=TEST_DEPS)
    session.run("pytest", "-n", "2", "tests", *session.posargs, env={"PORTAX_TEST_BACKENDS": backend})


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff on everything, mypy on core."""
    _install(session, extra=("ruff", "mypy"))
    session.run("ruff", "check", ".")
    session.run("mypy")


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The main job: the user's workflows on every installed backend, with agreement and timing."""
    _install(session, *BACKENDS)
    session.run("python", "examples/demo.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Cross-backend benchmarks (``--quick`` for a CI-sized run)."""
    _install(session, *BACKENDS, extra=("array-api-compat",))
    session.run("python", "-m", "benchmarks", *session.posargs)
