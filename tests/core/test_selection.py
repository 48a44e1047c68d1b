"""Backend listing and selection order: arrays > use_backend > set_backend > PORTAX_BACKEND > priority."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import portax
import portax.numpy as pnp
import pytest
from portax._src import registry


@pytest.fixture
def clean_selection(monkeypatch):
    """No set_backend and no PORTAX_BACKEND for the test's duration (restored afterwards)."""
    monkeypatch.delenv("PORTAX_BACKEND", raising=False)
    portax.set_backend(None)
    yield
    portax.set_backend(None)


@pytest.fixture
def other_backend_name(backend_name):
    others = [name for name in portax.backends() if name != backend_name]
    if not others:
        pytest.skip("needs a second installed backend")
    return others[0]


def test_backends_lists_installed_usable_backends_by_priority():
    names = portax.backends()
    assert names, "no backend installed"
    assert len(set(names)) == len(names)
    priorities = [registry._backend_classes()[name].priority for name in names]
    assert priorities == sorted(priorities, reverse=True)
    for name in names:
        assert portax.get_backend(name).name == name


def test_backend_instance_is_cached(backend_name):
    assert portax.get_backend(backend_name) is portax.get_backend(backend_name)


def test_priority_is_the_last_resort(clean_selection):
    assert portax.current_backend().name == portax.backends()[0]


def test_environment_variable_beats_priority(clean_selection, monkeypatch, backend_name):
    monkeypatch.setenv("PORTAX_BACKEND", backend_name)
    assert portax.current_backend().name == backend_name


def test_set_backend_beats_environment(clean_selection, monkeypatch, backend_name, other_backend_name):
    monkeypatch.setenv("PORTAX_BACKEND", other_backend_name)
    portax.set_backend(backend_name)
    assert portax.current_backend().name == backend_name
    portax.set_backend(None)
    assert portax.current_backend().name == other_backend_name


def test_use_backend_beats_set_backend(clean_selection, backend_name, other_backend_name):
    portax.set_backend(other_backend_name)
    with portax.use_backend(backend_name) as selected:
        assert selected is portax.get_backend(backend_name)
        assert portax.current_backend() is selected
        with portax.use_backend(other_backend_name):
            assert portax.current_backend().name == other_backend_name
        assert portax.current_backend() is selected
    assert portax.current_backend().name == other_backend_name


def test_creation_follows_the_current_backend(backend_name):
    with portax.use_backend(backend_name):
        x = pnp.zeros(3)
    assert portax.backend_of(x) is portax.get_backend(backend_name)


def test_arrays_decide_over_use_backend(backend_name, other_backend_name):
    with portax.use_backend(backend_name):
        x = pnp.asarray(np.arange(3, dtype=np.float32))
    with portax.use_backend(other_backend_name):
        y = pnp.sin(x)
        z = pnp.add(x, 1.0)
    assert portax.backend_of(y) is portax.get_backend(backend_name)
    assert portax.backend_of(z) is portax.get_backend(backend_name)


def test_use_backend_is_restored_after_an_exception(clean_selection, backend_name):
    before = portax.current_backend()
    with pytest.raises(RuntimeError), portax.use_backend(backend_name):
        raise RuntimeError
    assert portax.current_backend() is before


def test_use_backend_does_not_leak_across_threads(clean_selection):
    names = portax.backends()
    barrier = threading.Barrier(len(names) + 1)
    seen: dict[str, list[str]] = {}
    default = portax.current_backend().name

    def worker(name: str) -> None:
        observed = [portax.current_backend().name]  # a new thread starts without the spawner's context
        with portax.use_backend(name):
            barrier.wait(timeout=30)  # every thread is inside its own `with` now
            observed.append(portax.current_backend().name)
            barrier.wait(timeout=30)
        observed.append(portax.current_backend().name)
        seen[name] = observed

    with portax.use_backend(names[-1]):
        threads = [threading.Thread(target=worker, args=(name,)) for name in names]
        for thread in threads:
            thread.start()
        barrier.wait(timeout=30)
        assert portax.current_backend().name == names[-1]
        barrier.wait(timeout=30)
        for thread in threads:
            thread.join(timeout=30)
    for name in names:
        assert seen[name] == [default, name, default]


def test_use_backend_does_not_leak_across_asyncio_tasks(clean_selection):
    names = portax.backends()

    async def task(name: str) -> list[str]:
        observed = []
        with portax.use_backend(name):
            for _ in range(3):
                await asyncio.sleep(0)  # interleave with the other tasks
                observed.append(portax.current_backend().name)
        return observed

    async def main() -> list[list[str]]:
        return await asyncio.gather(*(task(name) for name in names * 2))

    results = asyncio.run(main())
    assert results == [[name] * 3 for name in names * 2]
