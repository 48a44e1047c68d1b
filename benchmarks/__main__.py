"""``python -m benchmarks``: see ``python -m benchmarks --help`` and docs/benchmarks.md."""

import sys

from benchmarks.cli import main

sys.exit(main())
