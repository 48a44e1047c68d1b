"""Make tests/corpus/programs/ from the code cells of JAX's own documentation (a fetched jax-ml/jax git directory).

Usage: python tools/make_corpus.py /work/.mirror/jax-ml+jax/repo

Each program is the code cells of one section of one page, unchanged, in order, separated by ``# %%`` (earlier
cells of the page are prepended when a cell needs a name they define). Cells are left out, and the page's line of
each kept cell is recorded in the header, when they cannot be compared across engines: notebook magics, timings,
cells that show JAX internals (jaxprs, tracer reprs, device names), cells that raise in real JAX (the pages show
errors on purpose), and programs that take over 8 s with real JAX.
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "corpus"))
import corpus_runner  # noqa: E402

PAGES = [
    "docs/notebooks/autodiff_cookbook.md",
    "docs/notebooks/Custom_derivative_rules_for_Python_code.md",
    "docs/notebooks/Common_Gotchas_in_JAX.md",
    "docs/notebooks/thinking_in_jax.md",
    "docs/notebooks/vmapped_log_probs.md",
    "docs/notebooks/convolutions.md",
    "docs/pytrees.md",
    "docs/custom_pytrees.md",
    "docs/control-flow.md",
    "docs/random-numbers.md",
    "docs/stateful-computations.md",
    "docs/jit-compilation.md",
    "docs/automatic-vectorization.md",
    "docs/automatic-differentiation.md",
    "docs/key-concepts.md",
    "docs/higher-order.md",
    "docs/jacobian-vector-products.md",
    "docs/complex-differentiation.md",
    "docs/gradient-checkpointing.md",
    "docs/notebooks/Neural_Network_and_Data_Loading.md",
    "docs/notebooks/autodiff_remat.md",
    "docs/advanced_autodiff.md",
    "docs/parallel.md",
    "docs/notebooks/shard_map.md",
    "docs/aot.md",
    "docs/debugging.md",
    "docs/new_docs/101/arrays.md",
    "docs/new_docs/101/pytrees.md",
    "docs/new_docs/101/random.md",
    "docs/new_docs/101/state.md",
    "docs/new_docs/101/transformations.md",
    "docs/new_docs/201/jit.md",
    "docs/new_docs/201/control-flow.md",
    "docs/new_docs/201/precision.md",
    "docs/new_docs/201/sharding.md",
    "docs/new_docs/201/shard-map.md",
    "docs/new_docs/301/cookbook.md",
    "docs/new_docs/301/custom-derivatives.md",
    "docs/new_docs/301/custom-jvp-vjp.md",
    "docs/new_docs/301/remat.md",
    "docs/new_docs/301/vjp-objects.md",
]
#: Pages about sharding: their cells that place arrays on devices are kept (portax has ``portax.sharding``; the suite
#: runs with 4 virtual devices); a program that prints device names is still left out (``INTERNAL_OUTPUT``).
SHARDING_PAGES = {"docs/parallel.md", "docs/notebooks/shard_map.md", "docs/new_docs/201/sharding.md",
                  "docs/new_docs/201/shard-map.md"}
SKIP_CELL = re.compile(
    r"^\s*[%!]|timeit|time\.time|perf_counter|make_jaxpr|jax\.devices|\.devices\(\)|jax\.debug|breakpoint|"
    r"jax\.experimental|shard_map|sharding|jax\.profiler|jax\.export|checkify|print_saved_residuals|"
    r"jax\.ad_checkpoint|block_until_ready\(\)\s*$|device_put|pallas|jax\.extend",
    re.MULTILINE,
)
SKIP_CELL_SHARDING = re.compile(
    SKIP_CELL.pattern.replace("|shard_map|sharding|", "|").replace("|device_put|", "|").replace(r"jax\.devices|\.devices\(\)|", ""),
    re.MULTILINE,
)
INTERNAL_OUTPUT = re.compile(
    r"Traced<|Tracer\(|\{ lambda|jaxpr|CpuDevice|TFRT|ShapedArray|Device|at 0x|mesh coordinates|\{V:"
)  # the last two: eager shard_map prints each device's block under its device, and varying-axes types
#: Programs not written, with the reason (they would not compare engines, or repeat another page's program).
EXCLUDED = {
    "new101_transformations_08": "prints a batch tracer's `.val` (JAX internals)",
    "new201_control_flow_00": "the same cells as control_flow_00", "new201_control_flow_00b": "as control_flow_00b",
    "new201_jit_10": "prints buffer addresses (unsafe_buffer_pointer)",
    "new301_cookbook_07": "the same cells as autodiff_cookbook_09",
    "new301_custom_jvp_vjp_00": "as custom_derivative_rules_for_python_code_00",
    "new301_custom_jvp_vjp_01": "as custom_derivative_rules_for_python_code_01",
    "new301_custom_jvp_vjp_05": "as custom_derivative_rules_for_python_code_07",
    **dict.fromkeys(
        ["shard_map_05", "shard_map_05b", "shard_map_09", "shard_map_10", "shard_map_11", "shard_map_12",
         "new201_shard_map_05", "new201_shard_map_05b", "new201_shard_map_06", "new201_shard_map_09",
         "new201_shard_map_10", "new201_shard_map_11", "new201_shard_map_12", "new201_shard_map_13"],
        "eager shard_map prints each device's block under JAX's device labels, or varying-axes types (f32[3]{V:i})",
    ),
}
MAX_SECONDS = 8.0  # with real JAX on a loaded 2-core machine; the suite marks the slower ones `slow`


def code_cells(text: str) -> list[tuple[int, str, str]]:
    """(line, section title, source) of each code cell of a MyST page."""
    cells, section, lines, i = [], "", text.split("\n"), 0
    while i < len(lines):
        line = lines[i]
        heading = re.match(r"^(#{1,4}) (.+)", line)
        fence = re.match(r"^(```+|~~~+)(\{code-cell\}|\s*python\s*$)", line)
        if heading:
            section = heading.group(2).strip()
        if fence:
            marker = re.match(r"^(`+|~+)", line).group(1)
            start = j = i + 1
            while j < len(lines) and not lines[j].startswith(marker):
                j += 1
            body = lines[start:j]
            offset = 0
            if body and body[0].startswith("---"):
                offset = next(k for k in range(1, len(body)) if body[k].startswith("---")) + 1
            while offset < len(body) and body[offset].startswith(":"):
                offset += 1
            source = "\n".join(body[offset:]).strip("\n")
            if source.strip():
                cells.append((start + offset + 1, section, source))
            i = j + 1
            continue
        i += 1
    return cells


_MAGIC_LINE = re.compile(r"^[ \t]*%(?!%).*\n?", re.MULTILINE)


def _strip_magic_lines(cell: tuple[int, str, str], stripped: set[int]) -> tuple[int, str, str]:
    """The cell without its IPython line magics (``%timeit f(x)``: not Python, and timings are not compared);
    its line goes into ``stripped``. Cell magics (``%%``) stay, so that the cell is left out."""
    line, section, source = cell
    if source.lstrip().startswith("%%") or not _MAGIC_LINE.search(source):
        return cell
    stripped.add(line)
    return line, section, _MAGIC_LINE.sub("", source).strip("\n")


def _defines(source: str, name: str) -> bool:
    return bool(
        re.search(rf"^\s*(def|class)\s+{name}\b|^\s*{name}\s*(,[^=]*)?=(?!=)|^\s*[\w, ]*\b{name}\b[\w, ]*=(?!=)|"
                  rf"import .*\b{name}\b|^\s*for\s+.*\b{name}\b.*\bin\b", source, re.MULTILINE)
    )


def _check(program: str) -> tuple[bool, str]:
    """Run with real JAX; (ok, the error or the output)."""
    import jax

    started = time.time()
    try:
        first = corpus_runner.run_source(program, "p.py")
    except BaseException as error:  # noqa: BLE001 - any failure of a docs cell, reported by name
        return False, f"{type(error).__name__}: {error}"
    finally:
        jax.config.update("jax_enable_x64", False)
    if time.time() - started > MAX_SECONDS:
        return False, f"slow ({time.time() - started:.1f} s)"
    if INTERNAL_OUTPUT.search(first):
        return False, "shows JAX internals"
    if not corpus_runner.numbers(first):
        return False, "prints no numbers"
    return True, first


def _program(cells: list[tuple[int, str, str]], page_cells: list[tuple[int, str, str]]) -> tuple[list, str]:
    """Grow/shrink ``cells`` until real JAX runs them: prepend definitions, drop cells that raise on purpose."""
    chosen = list(cells)
    first = cells[0][0]
    for _ in range(30):
        program = "".join(f"# %%\n{source}\n" for _, _, source in chosen)
        ok, detail = _check(program)
        if ok:
            return chosen, detail
        missing = re.search(r"NameError: name '(\w+)' is not defined", detail)
        if missing:
            earlier = [c for c in page_cells if c[0] < first and c not in chosen and _defines(c[2], missing.group(1))]
            if earlier:
                chosen = sorted([*chosen, earlier[-1]])
                continue
        # find the cell that raises by running growing prefixes, and drop it
        for end in range(1, len(chosen) + 1):
            prefix = "".join(f"# %%\n{source}\n" for _, _, source in chosen[:end])
            prefix_ok, prefix_detail = _check(prefix)
            if not prefix_ok and "NameError" not in prefix_detail and prefix_detail != "prints no numbers":
                chosen = chosen[: end - 1] + chosen[end:]
                break
        else:
            return [], detail
        if not chosen:
            return [], detail
    return [], "gave up"


def main(repo: str, pages: list[str] | None = None) -> None:
    git_dir = pathlib.Path(repo)
    commit = subprocess.run(["git", "--git-dir", str(git_dir), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    out_dir = pathlib.Path(__file__).resolve().parents[1] / "tests" / "corpus" / "programs"
    out_dir.mkdir(parents=True, exist_ok=True)
    for page in pages or PAGES:
        text = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"HEAD:{page}"], capture_output=True,
                              text=True, check=True).stdout
        skip = SKIP_CELL_SHARDING if page in SHARDING_PAGES else SKIP_CELL
        cells = code_cells(text)
        stripped: set[int] = set()
        if page.startswith("docs/new_docs/"):  # these guides put `%timeit` lines into the cells that define things
            cells = [_strip_magic_lines(cell, stripped) for cell in cells]
        page_cells = [c for c in cells if c[2].strip() and not skip.search(c[2])]
        sections: dict[str, list] = {}
        for cell in page_cells:
            sections.setdefault(cell[1], []).append(cell)
        # the new_docs tree repeats names of the older pages (pytrees, control-flow): its programs are named by level
        parts = pathlib.Path(page).parts
        prefix = f"new{parts[2]}_" if parts[1] == "new_docs" else ""
        stem = prefix + pathlib.Path(page).stem.lower().replace("-", "_")
        for number, (title, cells) in enumerate(sections.items()):
            for chunk_start in range(0, len(cells), 6):
                started = time.time()
                chosen, detail = _program(cells[chunk_start : chunk_start + 6], page_cells)
                name = f"{stem}_{number:02d}{'' if chunk_start == 0 else chr(ord('a') + chunk_start // 6)}.py"
                if name[:-3] in EXCLUDED:
                    print(f"skip {name} ({title}): {EXCLUDED[name[:-3]]}", file=sys.stderr)
                    continue
                if not chosen:
                    print(f"skip {name} ({title}): {detail}", file=sys.stderr)
                    continue
                lines = ", ".join(f"{line}{' (its % magic lines removed)' if line in stripped else ''}"
                                  for line, _, _ in chosen)
                header = (
                    f"# Source: jax-ml/jax {page} @ {commit}\n# Section: {title}\n# Code cells at lines {lines},"
                    " unchanged (made by tools/make_corpus.py).\n"
                )
                (out_dir / name).write_text(header + "".join(f"# %%\n{source}\n" for _, _, source in chosen))
                print(f"wrote {name} ({len(chosen)} cells, {time.time() - started:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
