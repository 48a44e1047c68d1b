"""pytest plugin for ``tools/array_api_tests.py``: turn off hypothesis' shrinking phase.

Shrinking a failing example does not change whether a test passes, but on a backend with many failures it costs far
more than the tests (minutes per failing test). The suite's conftest registers its profile with this one as parent,
so the setting carries over. ``--shrink`` in ``array_api_tests.py`` leaves this plugin out.
"""

from hypothesis import Phase, settings

settings.register_profile("portax-no-shrink", phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target])
settings.load_profile("portax-no-shrink")
