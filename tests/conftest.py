"""Shared fixtures: every test that takes ``backend`` or ``xp`` runs once per backend under test.

Backends under test: ``--backend NAME`` (repeatable), else ``PORTAX_TEST_BACKENDS=jax,torch``, else every installed
backend. A third-party plugin is tested by installing it and running ``pytest tests --backend <its name>``.
"""

from __future__ import annotations

import fnmatch
import os
import pathlib
import sys

# Every backend runs the suite with 4 devices (tests/parallel needs several): PORTAX_VIRTUAL_DEVICES gives torch 4
# virtual CPU devices and JAX 4 host CPU devices. JAX reads XLA_FLAGS only when it is first imported, so the flag is
# also set here, before any test module can import jax directly. Export another value to override.
os.environ.setdefault("PORTAX_VIRTUAL_DEVICES", "4")
if "jax" not in sys.modules and "xla_force_host_platform_device_count" not in os.environ.get("XLA_FLAGS", ""):
    _flag = f"--xla_force_host_platform_device_count={int(os.environ['PORTAX_VIRTUAL_DEVICES'])}"
    os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {_flag}".strip()

import portax
import pytest
from hypothesis import HealthCheck, settings

# Hypothesis budget: modest by default (the suite shares small CI machines); PORTAX_TEST_EXAMPLES=500 for a deep run.
settings.register_profile(
    "portax",
    max_examples=int(os.environ.get("PORTAX_TEST_EXAMPLES", "15")),
    deadline=None,  # the first call of an op may import an engine or compile
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "portax"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--backend", action="append", default=[], help="backend(s) to test (default: all installed)")


def backends_under_test(config: pytest.Config) -> list[str]:
    names = config.getoption("--backend") or [
        name for name in os.environ.get("PORTAX_TEST_BACKENDS", "").split(",") if name
    ]
    return names or portax.backends()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.slow`` tests (minutes of torch compiles, deep sweeps) run only with ``PORTAX_TEST_SLOW=1`` or
    when ``-m`` selects them, so the default suite fits CI's budget; ``@pytest.mark.inductor`` (the representative
    real-compiler subset) always runs."""
    listed, patterns = _slow_listed()
    for item in items:
        if item.get_closest_marker("inductor") is not None:
            continue  # the representative real-compiler subset always runs
        if item.nodeid in listed or any(fnmatch.fnmatchcase(item.nodeid, pattern) for pattern in patterns):
            item.add_marker(pytest.mark.slow)
    if os.environ.get("PORTAX_TEST_SLOW") or "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with PORTAX_TEST_SLOW=1 (or -m slow)")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)


def _slow_listed() -> tuple[set[str], list[str]]:
    """Test ids of ``tests/slow_tests.txt`` (exact, or fnmatch patterns where a line has ``*``): measured costly cases
    whose test function keeps its cheapest case per backend in the default run; they get the ``slow`` mark like
    decorated tests. Lines starting with ``#`` are comments."""
    path = pathlib.Path(__file__).with_name("slow_tests.txt")
    lines = [line.strip() for line in path.read_text().splitlines()] if path.exists() else []
    lines = [line for line in lines if line and not line.startswith("#")]
    return {line for line in lines if "*" not in line}, [line for line in lines if "*" in line]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend_name" in metafunc.fixturenames:
        metafunc.parametrize("backend_name", backends_under_test(metafunc.config), scope="session")


@pytest.fixture
def backend(backend_name: str):
    """The backend under test, made current for the test's duration."""
    with portax.use_backend(backend_name) as selected:
        yield selected


@pytest.fixture
def xp(backend):
    """``portax.numpy`` with ``backend`` current."""
    import portax.numpy

    return portax.numpy


@pytest.fixture
def jnp_reference(backend_name: str):
    """``jax.numpy`` as an independent reference for a non-JAX backend (skips when jax is absent or under test)."""
    if backend_name == "jax":
        pytest.skip("jax.numpy is the backend under test, not an independent reference")
    return pytest.importorskip("jax.numpy")
