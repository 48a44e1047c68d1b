"""Selection errors name what to do: the pip package to install, both array types of a mismatch."""

from __future__ import annotations

import numpy as np
import portax
import portax.numpy as pnp
import pytest
from portax._src import registry
from portax.errors import BackendMismatchError, BackendNotFoundError, PortaxError


def test_unknown_backend_raises_not_found():
    with pytest.raises(BackendNotFoundError, match="no-such-backend") as info:
        portax.get_backend("no-such-backend")
    assert isinstance(info.value, PortaxError) and isinstance(info.value, LookupError)
    with pytest.raises(BackendNotFoundError), portax.use_backend("no-such-backend"):
        pass
    with pytest.raises(BackendNotFoundError):
        portax.set_backend("no-such-backend")


@pytest.mark.parametrize(("name", "package"), [("jax", "portax-jax"), ("torch", "portax-torch")])
def test_missing_first_party_backend_names_its_pip_package(monkeypatch, name, package):
    # Simulate an environment where the backend's distribution is not installed.
    classes = {key: cls for key, cls in registry._backend_classes().items() if key != name}
    monkeypatch.setattr(registry, "_classes", classes)
    monkeypatch.setattr(registry, "_instances", {k: v for k, v in registry._instances.items() if k != name})
    with pytest.raises(BackendNotFoundError, match=f"pip install {package}"):
        portax.get_backend(name)


def test_bad_environment_variable_raises_not_found(monkeypatch):
    monkeypatch.setenv("PORTAX_BACKEND", "no-such-backend")
    portax.set_backend(None)
    with pytest.raises(BackendNotFoundError, match="no-such-backend"):
        pnp.zeros(3)


def test_arrays_of_two_backends_raise_mismatch_naming_both_types():
    names = portax.backends()
    if len(names) < 2:
        pytest.skip("needs two installed backends")
    arrays = []
    for name in names[:2]:
        with portax.use_backend(name):
            arrays.append(pnp.asarray(np.ones(3, dtype=np.float32)))
    first, second = arrays
    for call in (lambda: pnp.add(first, second), lambda: pnp.add(second, first), lambda: pnp.stack([first, second])):
        with pytest.raises(BackendMismatchError) as info:
            call()
        message = str(info.value)
        for array in arrays:
            assert type(array).__qualname__ in message, message
        assert isinstance(info.value, TypeError)
