"""One public backend protocol (``portax.backend``; issue 12): every hook core calls is declared on it, every
declared hook is called, and backends import only public names from core.

The first two tests read core's source: a backend object is whatever core gets from the registry (``current_backend()``,
``backend_of(...)``, ...) or annotates as ``Backend``; the objects it hands out (``.transforms``, ``.lax``,
``.parallel``, ``.debug``) are followed to their protocol class. An attribute core reads on one of them, or a
``getattr(obj, "name")``, must be declared on that class.
"""

from __future__ import annotations

import ast
import functools
import inspect
from pathlib import Path

import portax
import portax.backend as protocol
import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "packages" / "core" / "src" / "portax"
BACKENDS = sorted((ROOT / "packages").glob("backend-*/src/*"))

KINDS = {
    "Backend": protocol.Backend,
    "Transforms": protocol.Transforms,
    "ControlFlow": protocol.ControlFlow,
    "Collectives": protocol.Collectives,
    "DebugHooks": protocol.DebugHooks,
    "RandomHooks": protocol.RandomHooks,
}
# Calls whose result is a backend (registry lookups and core's helpers around them).
BACKEND_CALLS = {
    "current_backend", "get_backend", "backend_of", "backend_of_arrays", "backend_of_type", "known_backend_of_type",
    "tracing_backend", "_backend_for", "backend_for", "_backend_of_plain_arrays", "_backend_by_name",
}  # fmt: skip
# Core's accessors returning ``(backend, hook object)``, by file.
PAIR_CALLS = {("distributed.py", "_parallel"): ("Backend", "Collectives")}
# Core's accessors returning a hook object after checking the capability.
HOOK_CALLS = {"_transforms": "Transforms", "_control_flow": "ControlFlow", "_parallel": "Collectives",
              "_debug_module": "DebugHooks"}  # fmt: skip
HOOK_ATTRIBUTES = {"transforms": "Transforms", "lax": "ControlFlow", "parallel": "Collectives", "debug": "DebugHooks"}
# Core's names for a backend: a parameter or variable so named is one unless annotated or assigned otherwise
# (``cls`` is a backend class in the registry, which reads the class attributes before instantiating).
BACKEND_NAMES = {"backend", "chosen", "owner"}
CLASS_NAMES = {"registry.py": {"cls"}}


def _declared(cls: type) -> set[str]:
    names = set()
    for klass in cls.__mro__:
        if klass is object:
            continue
        names |= set(vars(klass)) | set(getattr(klass, "__annotations__", {}))
    return {n for n in names if not (n.startswith("__") and n.endswith("__"))} | {"__class__"}


def _annotation_kind(annotation: ast.expr | None) -> str | None:
    if annotation is None:
        return None
    text = ast.unparse(annotation)
    for kind in KINDS:
        if text.split(" | ")[0].split(".")[-1].strip("'\"").removeprefix("type[").rstrip("]") == kind:
            return kind
    return None


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


class _HookUses(ast.NodeVisitor):
    """Collect ``(kind, attribute, where)`` for every hook read in one module."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.scopes: list[dict[str, str]] = [dict.fromkeys(CLASS_NAMES.get(path.name, ()), "Backend")]
        self.uses: list[tuple[str, str, str]] = []
        self.dynamic: list[str] = []

    def kind(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            for scope in reversed(self.scopes):
                if node.id in scope:
                    return scope[node.id]
            return "Backend" if node.id in BACKEND_NAMES else None
        if isinstance(node, ast.Attribute) and self.kind(node.value) == "Backend":
            return "random_module" if node.attr == "random_module" else HOOK_ATTRIBUTES.get(node.attr)
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in BACKEND_CALLS:
                return "Backend"
            if name in HOOK_CALLS:
                return HOOK_CALLS[name]
            if name == "import_module" and node.args and self.kind(node.args[0]) == "random_module":
                return "RandomHooks"
        if isinstance(node, ast.BoolOp):
            kinds = {self.kind(value) for value in node.values} - {None}
            return kinds.pop() if len(kinds) == 1 else None
        return None

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scope = {}
        arguments = node.args
        for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            kind = _annotation_kind(arg.annotation)
            if kind is None and arg.arg in BACKEND_NAMES and ast.unparse(arg.annotation or ast.Name("Any")) != "Any":
                kind = "other"  # annotated as something else (a name string, ...)
            if kind is not None:
                scope[arg.arg] = kind
        self.scopes.append(scope)
        self.generic_visit(node)
        self.scopes.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        kind = self.kind(node.value)
        if isinstance(node.value, ast.Call) and (self.path.name, _call_name(node.value)) in PAIR_CALLS:
            for target, pair_kind in zip(node.targets[0].elts, PAIR_CALLS[self.path.name, _call_name(node.value)], strict=True):
                self.scopes[-1][target.id] = pair_kind
            return
        for target in node.targets:
            if isinstance(target, ast.Name):
                if kind is None and target.id in BACKEND_NAMES and isinstance(node.value, ast.Constant):
                    kind = "other"
                if kind is not None:
                    self.scopes[-1][target.id] = kind
                else:
                    self.scopes[-1].pop(target.id, None)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.generic_visit(node)
        kind = _annotation_kind(node.annotation) or (self.kind(node.value) if node.value is not None else None)
        if isinstance(node.target, ast.Name) and kind is not None:
            self.scopes[-1][node.target.id] = kind

    def visit_Attribute(self, node: ast.Attribute) -> None:
        kind = self.kind(node.value)
        if kind in KINDS:
            self.uses.append((kind, node.attr, f"{self.path.relative_to(ROOT)}:{node.lineno}"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if _call_name(node) in ("getattr", "hasattr") and isinstance(node.func, ast.Name) and len(node.args) >= 2:
            kind = self.kind(node.args[0])
            where = f"{self.path.relative_to(ROOT)}:{node.lineno}"
            if kind in KINDS:
                name = node.args[1]
                if isinstance(name, ast.Constant) and isinstance(name.value, str):
                    self.uses.append((kind, name.value, where))
                else:
                    self.dynamic.append(f"{where} getattr({kind}, {ast.unparse(name)})")
        self.generic_visit(node)


@functools.cache
def _core_hook_uses() -> tuple[list[tuple[str, str, str]], list[str]]:
    uses, dynamic = [], []
    for path in sorted(CORE.rglob("*.py")):
        visitor = _HookUses(path)
        visitor.visit(ast.parse(path.read_text(), str(path)))
        uses += visitor.uses
        dynamic += visitor.dynamic
    return uses, dynamic


# Where core picks a hook by a name it computes: each site and the declared names it can pick from.
DYNAMIC_SITES = {
    "transforms.py": ("Transforms", ("grad", "value_and_grad", "jacfwd", "jacrev", "hessian")),
    "collectives.py": ("Collectives", ("psum", "pmean", "pmax", "pmin", "all_gather", "ppermute", "psum_scatter")),
    "_native.py": ("Backend", ("scipy_module", "lax_module")),
}


def test_every_hook_core_calls_is_declared_on_the_protocol():
    uses, dynamic = _core_hook_uses()
    assert len(uses) > 80, f"the walker found only {len(uses)} hook reads: is it still following core's code?"
    undeclared = sorted({f"{where}: {kind}.{attr}" for kind, attr, where in uses if attr not in _declared(KINDS[kind])})
    assert not undeclared, "core reads hooks the protocol (portax.backend) does not declare:\n" + "\n".join(undeclared)
    # Hooks picked by a computed name: only at the known sites, each choosing among declared names.
    for site in dynamic:
        file = site.split(":")[0].rsplit("/", 1)[-1]
        assert file in DYNAMIC_SITES, f"core picks a hook by a computed name at {site}; declare the choices here"
    for kind, names in DYNAMIC_SITES.values():
        assert set(names) <= _declared(KINDS[kind]), (kind, set(names) - _declared(KINDS[kind]))
    from portax._src.scipy._native import HOOK_ATTRIBUTES as native_hooks

    assert set(native_hooks) == set(DYNAMIC_SITES["_native.py"][1])


def test_every_declared_hook_is_called_by_core():
    # A protocol member core never calls is dead weight for a backend author (Transforms.is_compiling was).
    uses, _ = _core_hook_uses()
    used = {(kind, attr) for kind, attr, _ in uses} | {(k, n) for k, names in DYNAMIC_SITES.values() for n in names}
    strings = {
        node.value
        for path in CORE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    never = []
    for kind, cls in KINDS.items():
        for name in _declared(cls) - {"__class__"}:
            if name.startswith("_") or name == "optional" or (kind, name) in used:
                continue
            if kind in ("ControlFlow", "Collectives") and name in strings:
                continue  # called through the front of the same name (a string naming the primitive)
            never.append(f"{kind}.{name}")
    assert not never, f"declared on the protocol but never called by core: {sorted(never)}"


def _private_imports(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            for module in modules:
                parts = module.split(".")
                if parts[0] == "portax" and any(part.startswith("_") for part in parts[1:]):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {module}")
    return found


@pytest.mark.parametrize("package", BACKENDS + [ROOT / "docs" / "examples" / "toy_backend" / "src"],
                         ids=lambda p: p.name)  # fmt: skip
def test_backends_import_only_public_names_from_core(package):
    assert not _private_imports(package), "\n".join(_private_imports(package))


def test_public_protocol_module_lists_what_it_reexports():
    assert set(protocol.__all__) == {n for n in vars(protocol) if not n.startswith("_")} - {"annotations"}
    assert portax.Backend is protocol.Backend


def test_loaded_backend_provides_the_declared_hook_objects(backend):
    # The hook objects a backend hands out carry every member their protocol declares.
    assert isinstance(backend, protocol.Backend)
    for attribute, kind in HOOK_ATTRIBUTES.items():
        hooks = getattr(backend, attribute)
        if hooks is None:
            continue
        if kind in ("Transforms", "ControlFlow"):
            assert isinstance(hooks, KINDS[kind]), (attribute, type(hooks))
        else:
            optional = getattr(KINDS[kind], "optional", frozenset()) | {"optional", "__class__"}
            missing = {n for n in _declared(KINDS[kind]) - optional if not n.startswith("_") and not hasattr(hooks, n)}
            assert not missing, f"{backend.name}.{attribute} lacks {sorted(missing)}"
    if backend.random_module is not None:
        import importlib

        samplers = importlib.import_module(backend.random_module).SAMPLERS
        public = {n for n, _ in inspect.getmembers(protocol.ThreefrySamplers) if not n.startswith("_")}
        assert not {n for n in public if not hasattr(samplers, n)}
