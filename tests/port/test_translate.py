"""``portax port``: the translation of JAX programs, and that translated code gives JAX's answers on every backend.

References: NumPy (what ``jax.Array`` methods compute, ``ddof=0``, element repeat, tuple-free ``max``) and real
JAX where the answer is JAX's own (``str(x.dtype)``).
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import to_numpy

pytest.importorskip("libcst")

from portax._src.port.cli import main  # noqa: E402
from portax._src.port.translate import translate_source  # noqa: E402


def _code(source: str) -> str:
    return translate_source(source).code


def test_imports_become_portax():
    code = _code(
        "import jax\nimport jax.numpy as jnp\nimport jax.numpy\nfrom jax import grad, jit, lax\n"
        "from jax.scipy.special import logsumexp\nimport jax.random as jr\n"
    )
    assert code == (
        "import portax as jax\nimport portax.numpy as jnp\nimport portax as jax\nfrom portax import grad, jit, lax\n"
        "from portax.scipy.special import logsumexp\nimport portax.random as jr\n"
    )


def test_imports_portax_lacks_are_kept_and_reported():
    result = translate_source("import jax\nfrom jax.experimental import sparse\nfrom jax import shard_map_xyz\n")
    assert "from jax.experimental import sparse" in result.code
    assert [(note.line, note.kind) for note in result.notes] == [(2, "untranslated"), (3, "untranslated")]
    assert "portax.experimental" in result.notes[0].message and "shard_map_xyz" in result.notes[1].message


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("y = x.std()", "y = jnp.std(x)"),
        ("y = x.var(0, ddof=1)", "y = jnp.var(x, 0, ddof=1)"),
        ("y = x.repeat(2, axis=0)", "y = jnp.repeat(x, 2, axis=0)"),
        ("y = x.max(axis=1)", "y = jnp.max(x, axis=1)"),
        ("y = f(x).min(0)", "y = jnp.min(f(x), 0)"),
        ("y = x.sort()", "y = jnp.sort(x)"),
        ("y = x.sum()", "y = jnp.sum(x)"),
        ("y = x.transpose()", "y = jnp.transpose(x)"),
        ("y = x.transpose(2, 0, 1)", "y = jnp.transpose(x, (2, 0, 1))"),
        ("y = x.cumsum()", "y = jnp.cumsum(x)"),
        ("n = x.size", "n = jnp.size(x)"),
        ("y = x.imag", "y = jnp.imag(x)"),
        ("y = x[::-1]", "y = jnp.flip(x, 0)"),
        ("y = x[:, ::-1]", "y = jnp.flip(x, 1)"),
        ("s = str(x.dtype)", "s = str(jnp.dtype(x.dtype))"),
        ("k = x.dtype.itemsize", "k = jnp.dtype(x.dtype).itemsize"),
        ("d = np.dtype(x.dtype)", "d = jnp.dtype(x.dtype)"),
        ("b = x.dtype == 'float32'", "b = jnp.dtype(x.dtype) == 'float32'"),
        ("b = np.float32 != x.dtype", "b = np.float32 != jnp.dtype(x.dtype)"),
        ("s = f'{x.dtype}'", "s = f'{jnp.dtype(x.dtype)}'"),
        ("a = np.random.randn(3).astype(jnp.float32)", "a = np.random.randn(3).astype(jnp.dtype(jnp.float32))"),
        ("a = np.zeros(3, dtype=jnp.int32)", "a = np.zeros(3, dtype=jnp.dtype(jnp.int32))"),
        ("a = (np.ones(3) < data).astype(jnp.int32)", "a = (np.ones(3) < data).astype(jnp.dtype(jnp.int32))"),
        ("y += 1", "y = y + 1"),
        ("y *= a + b", "y = y * (a + b)"),
        ("w = jnp.float32(1.0)", "w = jnp.asarray(1.0, jnp.float32)"),
        ("i = jnp.int32(x) + 1", "i = jnp.asarray(x, jnp.int32) + 1"),
    ],
)
def test_method_rewrites(source, expected):
    header = "import jax.numpy as jnp\nimport numpy as np\n"
    result = translate_source(header + "data = np.ones(3)\n" + source + "\n")
    header += "data = np.ones(3)\n"
    assert result.code == header.replace("jax", "portax") + expected + "\n"
    assert [note.line for note in result.notes] == [4] * len(result.notes) and result.notes


@pytest.mark.parametrize(
    "source",
    [
        "y = x.reshape(2, 3)",  # same meaning on torch
        "y = x.at[0].set(1.0).astype(jnp.float32)",  # names portax adds to torch tensors
        "y = x.at[:3].max(5) + x.at[0].min(1.0)",  # JAX's indexed updates, not torch's x.max
        "y = jnp.max(x, 0)",  # module functions
        "y = jax.numpy.sort(x)",
        "y = lax.sort(x)",
        "items.sort()",  # a statement: Python's list sort
        "y = np.arange(3).sum()",  # visibly NumPy
        "y = data.std()",  # only ever assigned NumPy values
        "y = [1, 2][::-1]",  # a Python list
        "y = x.T",
        "data += 1",  # NumPy's in-place += is the program's intent
        "self.n += 1",
    ],
)
def test_left_alone(source):
    header = "import jax\nimport jax.numpy as jnp\nfrom jax import lax\nimport numpy as np\ndata = np.ones(3)\n"
    ported = _code(header + source + "\n")
    assert ported.endswith(source + "\n")


def test_untranslatable_negative_step_is_reported():
    result = translate_source("import jax.numpy as jnp\ny = x[1::-2]\n")
    assert result.code.endswith("y = x[1::-2]\n")
    assert [(note.line, note.kind) for note in result.untranslated] == [(2, "untranslated")]
    assert "jnp.flip" in result.untranslated[0].message


def test_adds_the_numpy_import_when_a_rewrite_needs_it():
    code = _code('"""A program."""\nimport jax\n\n\ndef f(x):\n    return x.std()\n')
    assert code == '"""A program."""\nimport portax as jax\nimport portax.numpy as jnp\n\n\ndef f(x):\n    return jnp.std(x)\n'


PROGRAM = '''
import jax
import jax.numpy as jnp

x = jnp.asarray([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]])
i = jnp.asarray([3, 1, 2], dtype=jnp.int32)
out = {
    "std": x.std(),
    "var": x.var(axis=0),
    "repeat": i.repeat(2),
    "max": x.max(1),
    "sort": i.sort(),
    "sum_dtype": str(i.sum().dtype),
    "transpose": x.transpose(),
    "size": x.size,
    "flip": i[::-1],
    "dtype": str(x.dtype),
    "dtype_is_float32": x.dtype == "float32",
    "f_string": f"{x.dtype}",
    "grad": jax.grad(lambda v: v.std())(x[0]),
}
alias = x
alias += 1.0
out["unchanged"] = x
'''


def test_translated_program_gives_jax_answers(backend_name, xp):
    namespace: dict = {}
    exec(compile(_code(PROGRAM), "<ported>", "exec"), namespace)  # noqa: S102 - the program above
    out = namespace["out"]
    rows = np.array([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]])
    np.testing.assert_allclose(to_numpy(out["std"]), rows.std(), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(out["var"]), rows.var(axis=0), rtol=1e-6)
    np.testing.assert_array_equal(to_numpy(out["repeat"]), [3, 3, 1, 1, 2, 2])
    np.testing.assert_array_equal(to_numpy(out["max"]), [4.0, 9.0])
    np.testing.assert_array_equal(to_numpy(out["sort"]), [1, 2, 3])
    assert out["sum_dtype"] == "int32" and out["dtype"] == "float32" == out["f_string"]
    assert out["dtype_is_float32"] is True
    np.testing.assert_array_equal(to_numpy(out["unchanged"]), rows)  # += rebinds, as on a jax.Array
    np.testing.assert_array_equal(to_numpy(out["transpose"]), rows.T)
    assert int(out["size"]) == 6
    np.testing.assert_array_equal(to_numpy(out["flip"]), [2, 1, 3])
    centered = rows[0] - rows[0].mean()
    np.testing.assert_allclose(to_numpy(out["grad"]), centered / (3 * rows[0].std()), rtol=1e-5)


def test_cli_writes_a_tree_and_reports_file_and_line(tmp_path, capsys):
    source = tmp_path / "src"
    (source / "pkg").mkdir(parents=True)
    (source / "pkg" / "model.py").write_text("import jax.numpy as jnp\n\ny = x.std()\nz = x[2::-1]\n")
    output = tmp_path / "out"
    assert main(["port", str(source), "-o", str(output)]) == 0
    assert (output / "pkg" / "model.py").read_text() == "import portax.numpy as jnp\n\ny = jnp.std(x)\nz = x[2::-1]\n"
    report = capsys.readouterr().err
    assert f"{source / 'pkg' / 'model.py'}:3: rewrote: x.std(...)" in report
    assert f"{source / 'pkg' / 'model.py'}:4: untranslated:" in report
    assert main(["port", str(source), "-o", str(output), "--strict"]) == 1


def test_cli_prints_a_diff_and_rewrites_in_place(tmp_path, capsys):
    program = tmp_path / "p.py"
    program.write_text("import jax\n")
    assert main(["port", str(program)]) == 0
    assert "+import portax as jax" in capsys.readouterr().out
    assert program.read_text() == "import jax\n"
    assert main(["port", "-i", str(program)]) == 0
    assert program.read_text() == "import portax as jax\n"


def test_jax_operators_flag_turns_the_option_on(tmp_path, xp, backend_name):
    import portax

    source = "import numpy as np\nimport jax.numpy as jnp\n\nmask = jnp.asarray([True, False])\ny = 1 - mask\nz = np.ones(2) * jnp.ones(2)\n"
    assert "portax_jax_operators" not in _code(source)
    assert translate_source("import numpy as np\n", jax_operators=True).code == "import numpy as np\n"  # no jax
    code = translate_source(source, jax_operators=True).code
    assert code.splitlines()[1].startswith('import portax as _portax; _portax.config.update("portax_jax_operators", True)')
    namespace: dict = {}
    try:
        exec(compile(code, "<ported>", "exec"), namespace)  # noqa: S102 - the program above
    finally:
        portax.config.update("portax_jax_operators", False)
    np.testing.assert_array_equal(to_numpy(namespace["y"]), [0, 1])
    np.testing.assert_array_equal(to_numpy(namespace["z"]), [1.0, 1.0])
    program = tmp_path / "p.py"
    program.write_text(source)
    assert main(["port", "--jax-operators", "-i", str(program)]) == 0
    assert "portax_jax_operators" in program.read_text()
