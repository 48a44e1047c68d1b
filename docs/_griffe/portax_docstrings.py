"""A griffe extension for the API reference.

- portax's docstrings title their examples ``Example:`` (STYLE.md), which Google-style parsing treats as a generic
  admonition (its ``>>>`` lines would render as prose, and ``[1.0, 2.0]`` outputs as broken Markdown links).
  Renaming the title to ``Examples:`` at load time renders them as code.
- Sphinx cross-reference roles (``:func:`portax.grad```, ``:class:`~portax.Array```) mean nothing to Markdown and
  showed on the site as literal text; they become code spans (``~`` keeps the last component, as in Sphinx).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE_TITLE = re.compile(r"^(\s*)Example:\s*$", re.M)
#: ``:role:`target```, ``:py:role:`~target```, ``:role:`title <target>```.
SPHINX_ROLE = re.compile(r":(?:py:)?(?:func|class|mod|meth|attr|data|obj|exc|const|ref|term):`(~?)([^`<]*?)(?:\s*<[^`>]*>)?`")


def _code_span(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2).strip()
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


def render_roles(text: str) -> str:
    """``text`` with every Sphinx role replaced by a Markdown code span."""
    return SPHINX_ROLE.sub(_code_span, text)


class ExampleSections(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is None:
            return
        if "Example:" in docstring.value:
            docstring.value = _EXAMPLE_TITLE.sub(r"\1Examples:", docstring.value)
        if ":`" in docstring.value:
            docstring.value = render_roles(docstring.value)
