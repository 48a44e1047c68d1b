"""Every fenced ``python`` block in ``docs/**/*.md`` and ``README.md`` runs, once per backend under test.

Each block runs in a fresh namespace under ``portax.use_backend(<backend>)``, so a page's example is exactly what a
reader pastes into a new interpreter. Tags, on the block's first line (keep them rare; each says why):

- ``# doc: skip <reason>`` — not run (an illustration of an error, a program that needs a machine we do not have);
  reported as a skipped test with the reason.
- ``# doc: backends=torch[,jax]`` — runs only on the listed backends (the example is about that engine).

A block that imports an engine that is not installed (``import torch`` in a jax-only environment) is skipped with
that reason. Snippet lines (``--8<-- "path"``, as pymdownx.snippets includes files) are replaced by the file, so an
included source file runs as the reader sees it. Blocks fenced as ``bash``, ``text``, ``toml`` etc. are not Python and are not collected.
"""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import portax
import pytest
from portax.errors import BackendNotFoundError

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
SNIPPET = re.compile(r'^--8<-- "(?P<path>[^"]+)"$', re.M)  # pymdownx.snippets, relative to the repository root
TAG = re.compile(r"^#\s*doc:\s*(?P<tag>\S+)\s*(?P<rest>.*)$")


@dataclass(frozen=True)
class Example:
    path: str  # relative to the repository root
    line: int  # line of the opening fence
    code: str
    skip: str | None  # reason, when tagged ``doc: skip``
    backends: tuple[str, ...] | None  # restricted backends, when tagged ``doc: backends=...``

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"


def doc_files() -> list[Path]:
    return sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]


def extract(path: Path) -> list[Example]:
    """The ``python`` blocks of one Markdown file, with their tags."""
    text = path.read_text(encoding="utf-8")
    examples = []
    for match in FENCE.finditer(text):
        info = match["info"].strip()
        language = info.split("{")[0].split()[0] if info else ""
        if language not in ("python", "py"):
            continue
        indent = len(match["indent"])
        code = "\n".join(line[indent:] for line in match["body"].splitlines())
        code = SNIPPET.sub(lambda snippet: (ROOT / snippet["path"]).read_text(encoding="utf-8"), code)
        line = text.count("\n", 0, match.start()) + 1
        skip = "tagged {.no-run}" if ".no-run" in info else None
        backends = None
        first = code.lstrip().splitlines()[0] if code.strip() else ""
        tag = TAG.match(first)
        if tag and tag["tag"] == "skip":
            skip = tag["rest"] or "tagged doc: skip"
        elif tag and tag["tag"].startswith("backends="):
            backends = tuple(tag["tag"].removeprefix("backends=").split(","))
        examples.append(Example(str(path.relative_to(ROOT)), line, code, skip, backends))
    return examples


EXAMPLES = [example for path in doc_files() for example in extract(path)]


def test_the_docs_have_examples():
    assert len(EXAMPLES) >= 20, [example.id for example in EXAMPLES]
    skipped = [example.id for example in EXAMPLES if example.skip]
    assert len(skipped) <= max(3, len(EXAMPLES) // 10), f"too many skipped doc examples: {skipped}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.id)
def test_doc_example_runs(example: Example, backend_name: str):
    if example.skip:
        pytest.skip(example.skip)
    if example.backends is not None and backend_name not in example.backends:
        pytest.skip(f"example is about {', '.join(example.backends)}")
    code = compile(example.code, example.id, "exec")
    # A real module in sys.modules: torch dynamo guards a compiled function's globals by importing their module.
    module = types.ModuleType(f"portax_doc_example_{abs(hash(example.id))}")
    sys.modules[module.__name__] = module
    options = {name: getattr(portax.config, name) for name in portax.config.names}
    with portax.use_backend(backend_name):
        try:
            exec(code, module.__dict__)
        except ModuleNotFoundError as error:
            if error.name in ("torch", "jax", "jaxlib"):
                pytest.skip(f"the example imports {error.name}, which is not installed")
            raise
        except BackendNotFoundError as error:
            pytest.skip(f"the example needs a backend that is not installed: {error}")
        finally:
            sys.modules.pop(module.__name__, None)
            # an example may switch process-wide options (x64 mode, the compile backend); later tests must not see it
            for name, value in options.items():
                if getattr(portax.config, name) != value:
                    portax.config.update(name, value)
            portax.set_backend(None)
