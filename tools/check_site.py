"""Check the built documentation site for what a reader must never see (run by ``nox -s docs`` after the build).

    python tools/check_site.py [SITE_DIR]       # default: site/

Fails on literal Sphinx roles (``:func:`x```) and on ``portax._src`` paths in the visible text of any page (code
blocks excluded: they quote source); prints each page and offending text.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

CODE = re.compile(r"<pre\b.*?</pre>", re.S)
TAG = re.compile(r"<[^>]+>")
ROLE = re.compile(r":(?:py:)?(?:func|class|mod|meth|attr|data|obj|exc|const|ref):`[^`]*`?")
PRIVATE = re.compile(r"portax\._src[\w.]*")


def visible_text(page: str) -> str:
    return html.unescape(TAG.sub(" ", CODE.sub(" ", page)))


def problems(site: Path) -> list[str]:
    found = []
    for path in sorted(site.rglob("*.html")):
        text = visible_text(path.read_text(encoding="utf-8"))
        for pattern, what in ((ROLE, "unrendered role"), (PRIVATE, "private path")):
            hits = sorted(set(pattern.findall(text)))
            if hits:
                found.append(f"{path.relative_to(site)}: {what}: {', '.join(hits[:5])}")
    return found


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    found = problems(site)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
