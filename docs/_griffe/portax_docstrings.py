"""A griffe extension for the API reference: portax's docstrings title their examples ``Example:`` (STYLE.md), which
Google-style parsing treats as a generic admonition (its ``>>>`` lines would render as prose, and ``[1.0, 2.0]``
outputs as broken Markdown links). Renaming the title to ``Examples:`` at load time renders them as code."""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE_TITLE = re.compile(r"^(\s*)Example:\s*$", re.M)


class ExampleSections(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is not None and "Example:" in docstring.value:
            docstring.value = _EXAMPLE_TITLE.sub(r"\1Examples:", docstring.value)
