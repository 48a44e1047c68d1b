"""The ``portax`` command line: ``portax port FILE|DIR [...]``."""

from __future__ import annotations

import argparse
import difflib
import pathlib
import sys
from collections.abc import Sequence


def _port(args: argparse.Namespace) -> int:
    try:
        from portax._src.port.translate import translate_paths
    except ImportError as error:  # libcst is an optional dependency of portax
        print(f"portax port needs libcst ({error}): pip install 'portax[port]'", file=sys.stderr)
        return 2
    results = translate_paths(args.paths, jax_operators=args.jax_operators)
    output = pathlib.Path(args.output) if args.output else None
    untranslated = 0
    for path, result in results.items():
        for note in result.notes:
            print(note.format(path), file=sys.stderr)
        untranslated += len(result.untranslated)
        source = pathlib.Path(path)
        if args.in_place:
            source.write_text(result.code)
        elif output is not None:
            base = next((pathlib.Path(p) for p in args.paths if pathlib.Path(p).is_dir() and source.is_relative_to(p)), None)
            target = output / source.relative_to(base) if base is not None else output
            if target.is_dir():
                target = target / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(result.code)
        else:
            original = source.read_text()
            sys.stdout.writelines(
                difflib.unified_diff(original.splitlines(True), result.code.splitlines(True), path, f"{path} (ported)")
            )
    changed = sum(1 for result in results.values() for note in result.notes if note.kind == "rewrote")
    print(f"portax port: {len(results)} file(s), {changed} rewrite(s), {untranslated} line(s) not translated", file=sys.stderr)
    return 1 if untranslated and args.strict else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``portax`` console script."""
    parser = argparse.ArgumentParser(prog="portax", description="portax command line tools")
    commands = parser.add_subparsers(dest="command", required=True)
    port = commands.add_parser(
        "port",
        help="translate JAX programs into portable portax form",
        description="Rewrite imports of jax into portax and JAX array methods whose torch meaning differs into "
        "portax.numpy calls; report every rewritten or untranslatable line as PATH:LINE. Without -o or -i, print "
        "a unified diff.",
    )
    port.add_argument("paths", nargs="+", help="Python files or directories (searched for *.py)")
    where = port.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", help="write the translation here (a file, or a directory tree)")
    where.add_argument("-i", "--in-place", action="store_true", help="rewrite the files in place")
    port.add_argument("--strict", action="store_true", help="exit with status 1 if any line was not translated")
    port.add_argument(
        "--jax-operators",
        action="store_true",
        help="turn on the config option portax_jax_operators in each program that imports jax (JAX's meaning for "
        "operators torch refuses: a NumPy array operand, 1 - mask)",
    )
    args = parser.parse_args(argv)
    return _port(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
