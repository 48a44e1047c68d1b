"""Rewrite a JAX program into portable portax form, reporting every line it changed or could not translate.

What it does (the tradition of ``tf_upgrade_v2``: a syntax-tree rewrite plus a report, never a guess in silence):

- ``import jax`` / ``jax.numpy`` / ``from jax import ...`` become the same imports of ``portax``; a module or name
  portax lacks (``jax.sharding``, ``jax.experimental``, ...) is kept and reported.
- Array **methods** whose JAX meaning differs from the ``torch.Tensor`` method of the same name become calls of the
  ``portax.numpy`` function (``x.std()`` -> ``jnp.std(x)``: torch divides by n-1; ``x.repeat(2)`` ->
  ``jnp.repeat(x, 2)``: torch tiles; ``x.max(0)`` -> ``jnp.max(x, 0)``: torch returns a tuple; ...), ``x.size`` ->
  ``jnp.size(x)``, ``x[::-1]`` -> ``jnp.flip(x, 0)``, ``np.dtype(d)`` -> ``jnp.dtype(d)``, ``str(x.dtype)`` ->
  ``str(jnp.dtype(x.dtype))``. The translator cannot know types, so it rewrites only these names, skips receivers
  that are modules or visibly NumPy arrays/Python lists (``np.arange(3).sum()``, a name only ever assigned NumPy
  values), and reports each rewrite with its line. Methods whose meaning torch shares (``reshape``, ``sum`` of
  floats, ``T``, ...) and the ``jax.Array`` names portax adds to torch tensors (``x.at[]``, ``x.astype``) stay.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from collections.abc import Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

#: Methods whose ``jax.Array`` meaning differs from ``torch.Tensor``'s: ``x.m(*args, **kw)`` -> ``jnp.m(x, *args,
#: **kw)``, with the reason reported.
METHOD_REWRITES: dict[str, str] = {
    "std": "torch's x.std() divides by n-1 (Bessel); JAX's by n",
    "var": "torch's x.var() divides by n-1 (Bessel); JAX's by n",
    "repeat": "torch's x.repeat is np.tile; JAX's repeats each element",
    "max": "torch's x.max(axis) returns (values, indices)",
    "min": "torch's x.min(axis) returns (values, indices)",
    "sort": "torch's x.sort() returns (values, indices)",
    "sum": "torch's integer x.sum() widens to int64",
    "prod": "torch's integer x.prod() widens to int64",
    "cumsum": "torch's x.cumsum needs an axis and widens integers",
    "cumprod": "torch's x.cumprod needs an axis and widens integers",
    "transpose": "torch's x.transpose(a, b) swaps two axes and needs them; JAX's permutes (reverses by default)",
    "nonzero": "torch's x.nonzero() is one 2-D index array; JAX's a tuple",
    "round": "torch's x.round takes decimals by keyword only",
    "dot": "torch's x.dot is for 1-D tensors only",
}
#: Attributes (not calls) with a different meaning: ``x.size`` is a method on torch, ``x.imag`` raises for real
#: tensors.
ATTRIBUTE_REWRITES: dict[str, str] = {
    "size": "torch's x.size is a method; JAX's the element count",
    "imag": "torch's x.imag raises for real tensors; JAX's is zeros",
}
#: ``x.dtype.<attribute>`` of a NumPy dtype that torch dtypes lack.
DTYPE_ATTRIBUTES = frozenset({"name", "itemsize", "kind", "char", "type", "str", "num", "alignment"})
#: dtype names of ``jax.numpy``.
_DTYPE_NAMES = frozenset(
    {"bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "bfloat16",
     "float32", "float64", "complex64", "complex128"}
)
_AUGMENTED = {
    cst.AddAssign: cst.Add(), cst.SubtractAssign: cst.Subtract(), cst.MultiplyAssign: cst.Multiply(),
    cst.DivideAssign: cst.Divide(), cst.FloorDivideAssign: cst.FloorDivide(), cst.ModuloAssign: cst.Modulo(),
    cst.PowerAssign: cst.Power(), cst.MatrixMultiplyAssign: cst.MatrixMultiply(),
}
#: Methods translated only when their value is used (``lst.sort()`` as a statement is Python's in-place list sort).
_VALUE_ONLY = frozenset({"sort"})


@dataclasses.dataclass(frozen=True)
class Note:
    """One reported line: ``kind`` is ``"rewrote"`` or ``"untranslated"``."""

    line: int
    kind: str
    message: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.kind}: {self.message}"


@dataclasses.dataclass(frozen=True)
class PortResult:
    """The translated source and the notes, in line order."""

    code: str
    notes: tuple[Note, ...]

    @property
    def untranslated(self) -> tuple[Note, ...]:
        return tuple(note for note in self.notes if note.kind == "untranslated")


def _dotted(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None


def _code(node: cst.CSTNode) -> str:
    text = cst.Module(body=[]).code_for_node(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _root_name(node: cst.BaseExpression) -> str | None:
    """The name an expression chain starts from: ``np`` in ``np.random.randn(3).T[0]``."""
    while True:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, cst.Attribute):
            node = node.value
        elif isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Subscript):
            node = node.value
        else:
            return None


def _portax_has_module(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _portax_has_name(module: str, name: str) -> bool:
    try:
        imported = importlib.import_module(module)
    except ImportError:
        return False
    return hasattr(imported, name) or _portax_has_module(f"{module}.{name}")


class _Scan(cst.CSTVisitor):
    """First pass: module aliases, the NumPy alias, names that hold NumPy arrays or Python sequences only."""

    def __init__(self) -> None:
        self.modules: set[str] = set()
        self.numpy_aliases: set[str] = set()
        self.portax_numpy_alias: str | None = None
        self.jax_numpy_alias: str | None = None
        self.assigned: dict[str, list[cst.BaseExpression]] = {}
        self.names_used: set[str] = set()

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = _dotted(alias.name) or ""
            bound = alias.asname.name.value if alias.asname else module.split(".")[0]  # type: ignore[union-attr]
            self.modules.add(bound)
            if module == "numpy" or module == "scipy" or module.startswith("scipy."):
                self.numpy_aliases.add(bound)  # SciPy functions return NumPy arrays too
            if module == "jax.numpy" and alias.asname:
                self.jax_numpy_alias = bound
            if module == "portax.numpy" and alias.asname:
                self.portax_numpy_alias = bound

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = _dotted(node.module) if node.module else None
        if module is None or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = _dotted(alias.name) or ""
            bound = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
            if module in ("jax", "portax") and name == "numpy":
                self.jax_numpy_alias = bound
            if name in _SUBMODULES or _portax_has_module(f"{module}.{name}"):
                self.modules.add(bound)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.assigned.setdefault(target.target.value, []).append(node.value)

    def visit_Name(self, node: cst.Name) -> None:
        self.names_used.add(node.value)


#: Submodule names of jax/portax (``from jax import lax``) whose functions must not be taken for array methods.
_SUBMODULES = frozenset({"numpy", "lax", "random", "scipy", "tree", "tree_util", "nn", "dtypes", "errors", "debug"})


class _Translator(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, scan: _Scan, numpy_alias: str) -> None:
        super().__init__()
        self.scan = scan
        self.jnp = numpy_alias
        self.notes: list[Note] = []
        self._statement_calls: set[int] = set()
        self._numpy_names = {
            name
            for name, values in scan.assigned.items()
            if all(self._visibly_not_an_engine_array(value, set()) for value in values)
        }

    # -- helpers ------------------------------------------------------------------------------------------------
    def _line(self, node: cst.CSTNode) -> int:
        return self.get_metadata(PositionProvider, node).start.line

    def _note(self, node: cst.CSTNode, kind: str, message: str) -> None:
        self.notes.append(Note(self._line(node), kind, message))

    def _visibly_not_an_engine_array(self, node: cst.BaseExpression, seen: set[str]) -> bool:
        # NumPy values (np.<anything>), Python literals and comprehensions: a rewrite would change their type.
        if isinstance(node, (cst.List, cst.ListComp, cst.Tuple, cst.SimpleString, cst.FormattedString,
                             cst.ConcatenatedString, cst.Dict, cst.DictComp, cst.Set, cst.SetComp)):
            return True
        root = _root_name(node)
        if root in self.scan.numpy_aliases:
            return True
        if isinstance(node, (cst.Comparison, cst.BinaryOperation)):  # (np.random.rand(3) < p) is NumPy
            operands = [node.left, *(c.comparator for c in node.comparisons)] if isinstance(
                node, cst.Comparison) else [node.left, node.right]
            arrays = [o for o in operands if not isinstance(o, (cst.Integer, cst.Float))]
            return bool(arrays) and all(self._visibly_not_an_engine_array(o, seen) for o in arrays)
        if isinstance(node, cst.Name) and node.value in self.scan.assigned and node.value not in seen:
            seen.add(node.value)
            return all(self._visibly_not_an_engine_array(v, seen) for v in self.scan.assigned[node.value])
        return False

    def _skip_receiver(self, receiver: cst.BaseExpression) -> bool:
        if isinstance(receiver, (cst.Integer, cst.Float, cst.Imaginary)):
            return True
        if isinstance(receiver, cst.Subscript) and isinstance(receiver.value, cst.Attribute) and receiver.value.attr.value == "at":
            return True  # x.at[i].max(v), x.at[i].min(v): JAX's indexed updates, which portax gives torch tensors too
        dotted = _dotted(receiver)
        if dotted is not None and dotted.split(".")[0] in self.scan.modules:
            return True  # jnp.max(...), jax.numpy.sort(...), math.prod(...): module functions
        if isinstance(receiver, cst.Name) and receiver.value in self._numpy_names:
            return True
        return self._visibly_not_an_engine_array(receiver, set())

    def _jnp(self, name: str) -> cst.Attribute:
        return cst.Attribute(value=cst.Name(self.jnp), attr=cst.Name(name))

    # -- imports ------------------------------------------------------------------------------------------------
    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = []
        for alias in updated.names:
            module = _dotted(alias.name) or ""
            if module == "jax" or module.startswith("jax."):
                target = "portax" + module[3:]
                if _portax_has_module(target):
                    if alias.asname is None and module != "jax":
                        # ``import jax.numpy`` binds ``jax``: bind it to portax, whose submodules are attributes
                        alias = alias.with_changes(name=cst.Name("portax"), asname=cst.AsName(name=cst.Name("jax")))
                    else:
                        new_name = cst.parse_expression(target)
                        alias = alias.with_changes(name=new_name)
                        if alias.asname is None:
                            alias = alias.with_changes(asname=cst.AsName(name=cst.Name("jax")))
                else:
                    self._note(original, "untranslated", f"import {module}: portax has no {target}")
            names.append(alias)
        return updated.with_changes(names=names)

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        module = _dotted(updated.module) if updated.module else None
        if module is None or not (module == "jax" or module.startswith("jax.")):
            return updated
        target = "portax" + module[3:]
        if not _portax_has_module(target):
            self._note(original, "untranslated", f"from {module} import ...: portax has no {target}")
            return updated
        if not isinstance(updated.names, cst.ImportStar):
            missing = [
                _dotted(alias.name) for alias in updated.names if not _portax_has_name(target, _dotted(alias.name) or "")
            ]
            if missing:
                self._note(original, "untranslated", f"from {module} import {', '.join(map(str, missing))}: not in {target}")
                return updated
        return updated.with_changes(module=cst.parse_expression(target))

    # -- expressions --------------------------------------------------------------------------------------------
    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            self._statement_calls.add(id(node.value))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        # np.dtype(d) -> jnp.dtype(d); str(x.dtype) -> str(jnp.dtype(x.dtype))
        if isinstance(func, cst.Attribute) and func.attr.value == "dtype" and _dotted(func.value) in self.scan.numpy_aliases:
            self._note(original, "rewrote", f"{_dotted(func.value)}.dtype(...) -> {self.jnp}.dtype(...) (accepts torch dtypes)")
            return updated.with_changes(func=self._jnp("dtype"))
        if (
            isinstance(func, cst.Name)
            and func.value == "str"
            and len(updated.args) == 1
            and isinstance(updated.args[0].value, cst.Attribute)
            and updated.args[0].value.attr.value == "dtype"
        ):
            self._note(original, "rewrote", f"str(x.dtype) -> str({self.jnp}.dtype(x.dtype)) (torch prints 'torch.float32')")
            wrapped = cst.Call(func=self._jnp("dtype"), args=[cst.Arg(updated.args[0].value)])
            return updated.with_changes(args=[cst.Arg(wrapped)])
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in _DTYPE_NAMES
            and _dotted(func.value) in {self.scan.jax_numpy_alias, "jax.numpy"}
            and len(updated.args) == 1
            and not updated.args[0].keyword
            and not updated.args[0].star
        ):
            # jnp.float32(1.0) is a 0-d array in JAX; on torch jnp.float32 is torch.float32, which is not callable
            self._note(original, "rewrote", f"{_code(func)}(x) -> {self.jnp}.asarray(x, {_code(func)}) (torch dtypes are not callable)")
            value = updated.args[0].value
            return cst.Call(func=self._jnp("asarray"), args=[cst.Arg(value), cst.Arg(func)])
        if isinstance(func, cst.Attribute) and func.attr.value == "astype":
            numpy_call = self._visibly_not_an_engine_array(func.value, set())
        else:
            numpy_call = _root_name(func) in self.scan.numpy_aliases
        if numpy_call and any(self._is_portax_dtype(arg.value) for arg in updated.args):
            # np.zeros(3, dtype=jnp.float32), np_array.astype(jnp.int32): jnp.float32 is torch.float32 on torch,
            # which NumPy cannot read; jnp.dtype(jnp.float32) is the NumPy dtype on every backend.
            self._note(original, "rewrote", f"a {self.jnp} dtype passed to NumPy -> {self.jnp}.dtype(...)")
            args = [
                arg.with_changes(value=self._wrap_dtype(arg.value)) if self._is_portax_dtype(arg.value) else arg
                for arg in updated.args
            ]
            return updated.with_changes(args=args)
        if not isinstance(func, cst.Attribute):
            return updated
        name = func.attr.value
        if name not in METHOD_REWRITES or self._skip_receiver(func.value):
            return updated
        if name in _VALUE_ONLY and id(original) in self._statement_calls:
            return updated  # ``items.sort()`` as a statement: Python's list sort (a JAX array's would be a no-op)
        args = list(updated.args)
        if name == "transpose" and len(args) > 1 and not any(a.keyword or a.star for a in args):
            # x.transpose(1, 0, 2) -> jnp.transpose(x, (1, 0, 2))
            axes = cst.Tuple([cst.Element(a.value) for a in args])
            args = [cst.Arg(axes)]
        receiver = func.value
        shown = _code(receiver)
        self._note(original, "rewrote", f"{shown}.{name}(...) -> {self.jnp}.{name}({shown}, ...): {METHOD_REWRITES[name]}")
        return cst.Call(func=self._jnp(name), args=[cst.Arg(receiver), *[a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args]])

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        name = updated.attr.value
        if name in DTYPE_ATTRIBUTES and isinstance(updated.value, cst.Attribute) and updated.value.attr.value == "dtype":
            if self._skip_receiver(updated.value.value):
                return updated
            self._note(original, "rewrote", f"x.dtype.{name} -> {self.jnp}.dtype(x.dtype).{name}")
            return updated.with_changes(value=cst.Call(func=self._jnp("dtype"), args=[cst.Arg(updated.value)]))
        return updated

    def leave_AugAssign(self, original: cst.AugAssign, updated: cst.AugAssign) -> cst.BaseSmallStatement:
        # ``y += 1`` rebinds a jax.Array but mutates a torch tensor and every alias of it: ``y = y + 1``. Only for
        # names that may hold an array (not visibly NumPy, a list, or a number, whose += the program may rely on).
        target = updated.target
        if not isinstance(target, cst.Name) or self._skip_receiver(target) or self._holds_numbers(target.value):
            return updated
        operator = _AUGMENTED.get(type(updated.operator))
        if operator is None:
            return updated
        symbol = _code(updated.operator).strip()
        self._note(original, "rewrote", f"{target.value} {symbol} ... -> {target.value} = {target.value} "
                   f"{symbol[:-1]} ... (torch's in-place operators change every alias)")
        value = cst.BinaryOperation(left=target, operator=operator, right=updated.value)
        if isinstance(updated.value, (cst.BinaryOperation, cst.BooleanOperation, cst.IfExp, cst.Lambda)):
            value = value.with_changes(right=updated.value.with_changes(
                lpar=[cst.LeftParen()], rpar=[cst.RightParen()]))
        return cst.Assign(targets=[cst.AssignTarget(target)], value=value)

    def _holds_numbers(self, name: str) -> bool:
        values = self.scan.assigned.get(name, [])
        return bool(values) and all(
            isinstance(v, (cst.Integer, cst.Float)) or (isinstance(v, cst.Call) and _dotted(v.func) in ("len", "int", "float"))
            for v in values
        )

    def _is_portax_dtype(self, node: cst.BaseExpression) -> bool:
        dotted = _dotted(node)
        if dotted is None or "." not in dotted:
            return False
        head, name = dotted.rsplit(".", 1)
        return head in (self.jnp, "jax.numpy", "portax.numpy") and name in _DTYPE_NAMES

    def _is_dtype_attribute(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Attribute) and node.attr.value == "dtype" and not self._skip_receiver(node.value)

    def _wrap_dtype(self, node: cst.BaseExpression) -> cst.Call:
        return cst.Call(func=self._jnp("dtype"), args=[cst.Arg(node)])

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
        # x.dtype == "float32" / np.float32: a torch dtype equals neither (silently False) -> jnp.dtype(x.dtype) == ...
        if len(updated.comparisons) != 1 or not isinstance(
            updated.comparisons[0].operator, (cst.Equal, cst.NotEqual)
        ):
            return updated
        left, right = updated.left, updated.comparisons[0].comparator

        def numpy_spelling(node: cst.BaseExpression) -> bool:
            return isinstance(node, cst.SimpleString) or _root_name(node) in self.scan.numpy_aliases

        if self._is_dtype_attribute(left) and numpy_spelling(right):
            self._note(original, "rewrote", f"x.dtype == ... -> {self.jnp}.dtype(x.dtype) == ... (torch dtypes equal no NumPy spelling)")
            return updated.with_changes(left=self._wrap_dtype(left))
        if self._is_dtype_attribute(right) and numpy_spelling(left):
            self._note(original, "rewrote", f"... == x.dtype -> ... == {self.jnp}.dtype(x.dtype) (torch dtypes equal no NumPy spelling)")
            comparison = updated.comparisons[0].with_changes(comparator=self._wrap_dtype(right))
            return updated.with_changes(comparisons=[comparison])
        return updated

    def leave_FormattedStringExpression(
        self, original: cst.FormattedStringExpression, updated: cst.FormattedStringExpression
    ) -> cst.FormattedStringExpression:
        if self._is_dtype_attribute(updated.expression):
            self._note(original, "rewrote", f"f'{{x.dtype}}' -> f'{{{self.jnp}.dtype(x.dtype)}}' (torch prints 'torch.float32')")
            return updated.with_changes(expression=self._wrap_dtype(updated.expression))
        return updated

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        negative_axes = []
        other_slices_full = True
        for axis, element in enumerate(updated.slice):
            index = element.slice
            if isinstance(index, cst.Index):
                other_slices_full = False
                continue
            assert isinstance(index, cst.Slice)
            step = index.step
            negative = isinstance(step, cst.UnaryOperation) and isinstance(step.operator, cst.Minus)
            if negative:
                if index.lower is None and index.upper is None and getattr(step.expression, "value", None) == "1":
                    negative_axes.append(axis)
                else:
                    other_slices_full = False
            elif index.lower is not None or index.upper is not None or index.step is not None:
                other_slices_full = False
        has_negative_step = any(
            isinstance(e.slice, cst.Slice)
            and isinstance(e.slice.step, cst.UnaryOperation)
            and isinstance(e.slice.step.operator, cst.Minus)
            for e in updated.slice
        )
        if not has_negative_step or self._skip_receiver(updated.value):
            return updated
        if negative_axes and other_slices_full:
            axis = negative_axes[0] if len(negative_axes) == 1 else None
            axis_arg = cst.Integer(str(axis)) if axis is not None else cst.Tuple([cst.Element(cst.Integer(str(a))) for a in negative_axes])
            shown = _code(updated.value)
            self._note(original, "rewrote", f"{_code(original)} -> {self.jnp}.flip({shown}, ...): torch rejects negative steps")
            return cst.Call(func=self._jnp("flip"), args=[cst.Arg(updated.value), cst.Arg(axis_arg)])
        self._note(original, "untranslated", f"negative-step slice: torch tensors reject it; write {self.jnp}.flip(x, axis)[...]")
        return updated


class _AttributeRewriter(cst.CSTTransformer):
    """Second pass for ``x.size`` / ``x.imag`` used as values (not called)."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, translator: _Translator) -> None:
        super().__init__()
        self.t = translator
        self._called: set[int] = set()
        self.notes: list[Note] = []

    def visit_Call(self, node: cst.Call) -> None:
        self._called.add(id(node.func))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        name = updated.attr.value
        if name not in ATTRIBUTE_REWRITES or id(original) in self._called or self.t._skip_receiver(updated.value):
            return updated
        line = self.get_metadata(PositionProvider, original).start.line
        shown = _code(updated.value)
        message = f"{shown}.{name} -> {self.t.jnp}.{name}({shown}): {ATTRIBUTE_REWRITES[name]}"
        self.notes.append(Note(line, "rewrote", message))
        return cst.Call(func=self.t._jnp(name), args=[cst.Arg(updated.value)])


def _numpy_alias(scan: _Scan) -> tuple[str, bool]:
    """The name the rewritten calls use for ``portax.numpy``, and whether an import must be added."""
    for alias in (scan.jax_numpy_alias, scan.portax_numpy_alias):
        if alias:
            return alias, False
    for candidate in ("jnp", "pnp", "_portax_numpy"):
        if candidate not in scan.names_used:
            return candidate, True
    return "_portax_numpy", True


#: What ``jax_operators=True`` adds after the first import (config option ``portax_jax_operators``).
JAX_OPERATORS_LINE = (
    'import portax as _portax; _portax.config.update("portax_jax_operators", True)  # added by portax port\n'
)


def _add_import(module: cst.Module, alias: str, line: str | None = None) -> cst.Module:
    # Right after the first import (a notebook's later cells can use the name; a module docstring stays first).
    statement = cst.parse_statement(line if line is not None else f"import portax.numpy as {alias}\n")
    body = list(module.body)
    position = 0
    for index, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body):
            position = index + 1
            break
        if index == 0 and isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Expr):
            position = 1  # after a module docstring
    body.insert(position, statement)
    return module.with_changes(body=body)


def translate_source(source: str, *, jax_operators: bool = False) -> PortResult:
    """Translate one JAX program's source into portable portax form.

    Args:
        source: Python source text.
        jax_operators: also add, after the first import, a line turning on the config option
            ``portax_jax_operators`` (JAX's meaning for the operators torch refuses: ``np_array * x``,
            ``1 - mask``), when the program imports jax.

    Returns:
        The translated source and one :class:`Note` per rewritten or untranslatable line.

    Raises:
        libcst.ParserSyntaxError: ``source`` is not valid Python.

    Example:
        >>> translate_source("import jax.numpy as jnp\\ny = x.std()\\n").code
        'import portax.numpy as jnp\\ny = jnp.std(x)\\n'
    """
    module = cst.parse_module(source)
    scan = _Scan()
    MetadataWrapper(module, unsafe_skip_copy=True).visit(scan)
    alias, needs_import = _numpy_alias(scan)
    translator = _Translator(scan, alias)
    wrapper = MetadataWrapper(module)
    translated = wrapper.visit(translator)
    attributes = _AttributeRewriter(translator)
    translated = MetadataWrapper(translated).visit(attributes)
    notes = translator.notes + attributes.notes
    rewrote = any(note.kind == "rewrote" for note in notes)
    if rewrote and needs_import:
        translated = _add_import(translated, alias)
    if jax_operators and any(_imports_jax(stmt) for stmt in module.body):
        translated = _add_import(translated, alias, JAX_OPERATORS_LINE)
        notes.append(Note(1, "rewrote", "turned on portax_jax_operators (NumPy arrays and booleans in operators)"))
    return PortResult(translated.code, tuple(sorted(notes, key=lambda note: note.line)))


def _imports_jax(statement: cst.CSTNode) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.Import) and any((_dotted(a.name) or "").split(".")[0] == "jax" for a in small.names):
            return True
        if isinstance(small, cst.ImportFrom) and small.module is not None:
            if (_dotted(small.module) or "").split(".")[0] == "jax":
                return True
    return False


def translate_paths(paths: Sequence[str], *, jax_operators: bool = False) -> dict[str, PortResult]:
    """Translate every ``.py`` file named or under a directory named in ``paths``; keys are file paths."""
    import pathlib

    results: dict[str, PortResult] = {}
    for path in map(pathlib.Path, paths):
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            results[str(file)] = translate_source(file.read_text(), jax_operators=jax_operators)
    return results
