"""Regenerate ``reference_values.json`` from real ``jax.random`` (run once per pinned jax version).

    python tests/random/make_reference_values.py

The table is used by ``test_reference.py`` where jax is not installed.
"""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from cases import CASES, SEEDS, call  # noqa: E402


def main() -> None:
    import jax
    import jax.numpy as jnp

    assert jax.config.jax_threefry_partitionable, "the table assumes jax's default partitionable Threefry"
    table = {"jax_version": jax.__version__, "threefry_partitionable": True, "values": {}}
    for seed in SEEDS:
        key = jax.random.PRNGKey(seed)
        table["values"][f"key_{seed}"] = np.asarray(key).tolist()
        for case_id, function, kwargs, _ in CASES:
            out = np.asarray(call(jax.random, lambda v: jnp.asarray(v, jnp.float32), key, function, kwargs))
            value = out.astype(np.float32) if out.dtype.name in ("bfloat16", "float16") else out
            table["values"][f"{case_id}/{seed}"] = {"dtype": out.dtype.name, "shape": list(out.shape),
                                                    "data": value.ravel().tolist()}  # fmt: skip
    path = pathlib.Path(__file__).with_name("reference_values.json")
    path.write_text(json.dumps(table, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(table['values'])} entries, jax {jax.__version__})")


if __name__ == "__main__":
    main()
