"""The toy backend of docs/writing-a-backend.md is a working plugin: what it declares works, the rest raises.

The plugin is registered with ``portax.register_backend`` (no install needed: installing it into the shared
environment would add ``toy`` to every test run's backends); its entry point is checked in its pyproject.toml.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import portax
import portax.numpy as pnp
import pytest
from portax._src import registry
from portax.errors import UnsupportedError

TOY = Path(__file__).resolve().parents[2] / "docs" / "examples" / "toy_backend"


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.syspath_prepend(str(TOY / "src"))
    # A private copy of the registry's tables, so the toy backend is gone after the test.
    monkeypatch.setattr(registry, "_classes", dict(registry._backend_classes()))
    monkeypatch.setattr(registry, "_instances", dict(registry._instances))
    from portax_toy import ToyBackend

    portax.register_backend(ToyBackend)
    with portax.use_backend("toy") as backend:
        yield backend
    registry._invalidate()
    for name in [name for name in sys.modules if name.startswith("portax_toy")]:
        monkeypatch.delitem(sys.modules, name)


def test_entry_point_names_the_backend_class():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((TOY / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["portax.backends"] == {"toy": "portax_toy:ToyBackend"}


def test_discovery_does_not_instantiate(toy):
    assert "toy" in portax.backends()
    assert portax.backends().index("toy") == len(portax.backends()) - 1, "priority -10: never the default"
    assert toy.capabilities == frozenset({"numpy"})


def test_declared_functions_work_on_native_toy_arrays(toy):
    from portax_toy.numpy import ToyArray

    x = pnp.arange(4.0)
    assert type(x) is ToyArray and x.dtype == np.float32
    y = pnp.add(pnp.sin(x), pnp.multiply(x, 2.0))
    assert type(y) is ToyArray
    np.testing.assert_allclose(np.asarray(y), np.sin(np.arange(4.0)) + 2 * np.arange(4.0), rtol=1e-6)
    assert float(pnp.sum(pnp.ones((2, 3)))) == 6.0
    assert pnp.zeros(3).dtype == np.float32
    assert pnp.float32 == np.float32
    # the arrays decide: a toy array passed in runs on toy even when another backend is current
    with portax.use_backend(portax.backends()[0]):
        assert type(pnp.cos(x)) is ToyArray


def test_undeclared_features_raise_unsupported_naming_backend_and_feature(toy):
    x = pnp.arange(3.0)
    with pytest.raises(UnsupportedError, match=r"'toy'.*portax\.numpy\.tanh") as info:
        pnp.tanh(x)
    assert (info.value.backend, info.value.feature) == ("toy", "portax.numpy.tanh")
    with pytest.raises(UnsupportedError, match=r"'toy'.*linalg\.inv"):
        pnp.linalg.inv(pnp.ones((2, 2)))
    with pytest.raises(UnsupportedError, match=r"'toy'.*grad"):
        portax.grad(lambda v: pnp.sum(pnp.sin(v)))(x)
    with pytest.raises(UnsupportedError, match=r"'toy'.*jit"):
        portax.jit(pnp.sin)(x)
    with pytest.raises(AttributeError, match="float64"):
        pnp.float64  # noqa: B018  (a dtype the toy engine does not declare)
