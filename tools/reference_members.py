"""Write the member lists of the generated namespaces into the API reference (``docs/reference/numpy.md``).

    python tools/reference_members.py            # rewrite the lists
    python tools/reference_members.py --check    # exit 1 when a list is stale (tests/docs/test_api_reference.py)

``portax.numpy`` (+ ``linalg``, ``fft``) re-exports hundreds of generated names with a star import, which griffe does
not list by itself; each module's block between ``<!-- members: MODULE -->`` and ``<!-- end members -->`` lists them.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import types
from pathlib import Path

PAGE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "numpy.md"
#: names the page documents in sections of their own
DOCUMENTED_ABOVE = {"at"}
BLOCK = re.compile(r"(<!-- members: (?P<module>[\w.]+) -->\n)(?P<body>.*?)(<!-- end members -->)", re.S)


def public_names(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    return sorted(
        n for n in names if n not in DOCUMENTED_ABOVE and not isinstance(getattr(module, n, None), types.ModuleType)
    )


def render(module_name: str) -> str:
    members = "".join(f"        - {name}\n" for name in public_names(module_name))
    return (
        f"::: {module_name}\n    options:\n      show_root_heading: false\n      show_root_toc_entry: false\n"
        f"      heading_level: 3\n      members:\n{members}\n"
    )


def updated(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + render(m["module"]) + m.group(4), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail when the page is stale instead of writing it")
    args = parser.parse_args(argv)
    text = PAGE.read_text(encoding="utf-8")
    new = updated(text)
    if args.check:
        if new != text:
            print(f"{PAGE} is stale: run python tools/reference_members.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
