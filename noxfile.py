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
TEST_DEPS = (
    "pytest", "pytest-xdist", "hypothesis", "numpy", "scipy", "optree", "hatchling", "twine", "tqdm", "mypy", "libcst",
    "matplotlib",  # imported by corpus programs taken unchanged from JAX's docs
    "griffelib",  # the docs test renders public docstrings as mkdocstrings does
    # tests/docs/test_site_build.py builds the site strictly, as `nox -s docs` does (ruff formats signatures)
    "mkdocs", "mkdocs-material", "mkdocstrings", "mkdocstrings-python", "ruff",
)


def _install(session: nox.Session, *backends: str, extra: tuple[str, ...] = ()) -> None:
    editable = [arg for name in ("core", *backends) for arg in ("-e", PACKAGES[name])]
    session.install(*CONSTRAINTS, *editable, *extra)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole suite on every backend (the README's test command)."""
    _install(session, *BACKENDS, extra=TEST_DEPS)
    session.run(
        "pytest", "-n", "2", "--durations=30", "tests", *session.posargs,
        env={"PORTAX_TEST_BACKENDS": ",".join(BACKENDS)},
    )


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
    _install(session, *BACKENDS, extra=("array-api-compat", "matplotlib", "tqdm"))
    session.run("python", "-m", "benchmarks", *session.posargs)


ARRAY_API_DEPS = ("pytest", "pytest-xdist", "hypothesis", "ndindex", "pytest-json-report")


@nox.session(python=PYTHON)
@nox.parametrize("backend", BACKENDS)
def array_api(session: nox.Session, backend: str) -> None:
    """The official array API test suite (data-apis/array-api-tests) against ``portax.numpy`` on one backend.

    The suite is not on PyPI; it is read from ``ARRAY_API_TESTS_DIR`` or ``.array-api/array-api-tests`` (a clone with
    its spec submodule: ``git clone --recursive https://github.com/data-apis/array-api-tests .array-api/array-api-tests``)
    and the session skips when neither exists. On jax it runs twice: x64 on (the whole standard) and x64 off (JAX's
    default mode, the 64-bit dtypes left out as the backend's ``__array_namespace_info__().dtypes()`` declares; reported,
    not gated).
    Posargs go to ``tools/array_api_tests.py``, e.g. ``nox -s "array_api(backend='torch')" -- --max-examples 100``.
    """
    import os
    import pathlib

    checkout = pathlib.Path(os.environ.get("ARRAY_API_TESTS_DIR", ".array-api/array-api-tests"))
    if not (checkout / "conftest.py").is_file() or not (checkout / "array-api" / "src").is_dir():
        session.skip(
            f"no array-api-tests checkout at {checkout} (not on PyPI): run "
            "'git clone --recursive https://github.com/data-apis/array-api-tests .array-api/array-api-tests' "
            "or set ARRAY_API_TESTS_DIR"
        )
    _install(session, backend, extra=ARRAY_API_DEPS)
    env = {"ARRAY_API_TESTS_DIR": str(checkout.resolve())}
    # The 98% bar applies to the whole standard (x64 on); x64 off is reported against its own declaration only
    # (its ceiling is below 98%: see docs/array-api-conformance.md).
    for x64 in ("on", "off") if backend == "jax" else ("on",):
        gate = ["--min-pass-rate", "98"] if x64 == "on" else []
        args = session.posargs or ["--max-examples", "20", *gate]
        session.run("python", "tools/array_api_tests.py", "--backend", backend, "--x64", x64, *args, env=env)


DOCS_DEPS = ("mkdocs", "mkdocs-material", "mkdocstrings", "mkdocstrings-python", "ruff")  # ruff formats signatures


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """The documentation site, built strictly (warnings are errors) into ``site/``.

    First regenerates ``docs/composition-matrix.md`` from the conformance suite's composition tests on every backend
    (``tools/composition_matrix.py``, ~6 minutes on 2 cores; ``-- --no-matrix`` keeps the committed page and installs
    only the docs tools; ``-- serve`` serves instead of building).
    The docs' code examples are run by ``tests/docs/`` in the ``tests`` session.
    """
    args = list(session.posargs)
    if "--no-matrix" in args:
        # mkdocstrings reads packages/core/src statically: the site itself needs only the docs tools
        args.remove("--no-matrix")
        session.install(*CONSTRAINTS, *DOCS_DEPS)
    else:
        _install(session, *BACKENDS, extra=(*TEST_DEPS, *DOCS_DEPS))
        session.run("python", "tools/composition_matrix.py", "--backend", ",".join(BACKENDS))
    session.env["NO_MKDOCS_2_WARNING"] = "1"
    if args[:1] == ["serve"]:
        session.run("mkdocs", *args)
    else:
        session.run("mkdocs", "build", "--strict", *args)
        session.run("python", "tools/check_site.py", "site")  # no literal :func: roles, no portax._src paths
