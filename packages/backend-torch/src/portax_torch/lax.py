"""Control flow on PyTorch with JAX's semantics under ``grad``, ``vmap``, ``jvp`` and ``jit``.

torch's own operators (``torch.cond``, ``while_loop``, ``scan``) work eagerly and under ``torch.compile`` but fail
under ``torch.func`` transforms (pinned in ``tests/lax``), so each primitive picks a path (``docs/control-flow.md``):

- eager, concrete predicate or index: a Python ``if``, after checking that every branch has the same output types
  (abstractly with fake tensors, cached per call site and input types) -- JAX traces every branch and raises
  ``TypeError``; ``torch.cond`` would accept different shapes silently.
- a predicate batched by ``vmap``: every branch runs and the results are selected (JAX's batching rule for cond);
  ``while_loop`` runs until every lane is done and freezes finished lanes (JAX's rule).
- eager loops: Python loops, differentiable and vectorizable by ``torch.func`` because they are plain tensor ops.
- under ``jit`` (torch.compile tracing): ``torch.cond``, and real loops (``while_loop``/``scan`` operators) unless
  the trip count is static and small (unrolled: at most 4 steps, 16 under grad or vmap). torch's operators have no
  ``torch.func`` rules, so one reached under a ``torch.func`` transform inside the compiled function stops the
  trace; the jit entry then traces again with reverse mode built by autograd in the graph
  (``_reverse_in_graph``: AOTAutograd differentiates the ``scan`` operator into a compiled reverse loop; a forward
  loop takes that mode too, whose graphs inductor compiles with its C++ wrapper, ~6x cheaper per step), and only
  what still meets a ``torch.func`` transform (vmap or jvp around a long loop) runs uncompiled, with a
  ``CompileFallbackWarning`` naming the construct.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from portax import ShapeDtypeStruct, tree
from portax.backend import ControlFlow, check_same_types
from torch._functorch import pyfunctorch
from torch._higher_order_ops import scan as torch_scan, while_loop as torch_while_loop

from portax_torch import _reverse_in_graph as reverse_in_graph

_functorch = torch._C._functorch

#: Under torch.compile, loops with at most this many steps are unrolled (inductor: ~2 s per unrolled step).
UNROLL_LIMIT = 4

#: ... and at most this many when differentiated or vmapped: the unrolled loop is what native torch.compile of
#: torch.func.grad runs, and per call it beats torch's scan operator (ODE jit(grad), 10 steps, inductor: unrolled
#: 233 us; the scan operator costs ~100 us per step and direction), for a first compile that grows slowly with the
#: step count for small bodies (10 steps 22 s, 16 steps 23 s on a loaded machine).
TRANSFORMED_UNROLL_LIMIT = 16

WHILE_REVERSE_MODE = (
    "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. "
    "Try using lax.scan, or using fori_loop with static start/stop."
)
_BRANCH_HINT = "Revise the branches so that they return the same structure, shapes and dtypes."
_CARRY_HINT = "Revise the function so that all output types match the corresponding input types."


def _refusal(construct: str) -> Callable[[], None]:
    def refuse() -> None:
        """Nothing; calling it while dynamo traces stops the trace (the jit entry traces again with reverse mode
        built in the graph, or runs uncompiled); the reason names the construct."""

    return torch._dynamo.disable(
        refuse, reason=f"portax lax.{construct} over tensors of a torch.func transform (grad, vmap, jvp) inside jit"
    )


_REFUSALS = {construct: _refusal(construct) for construct in ("cond", "switch", "while_loop", "scan")}


def _refuse_in_graph(construct: str) -> None:
    """Stop dynamo's trace here: torch's ``construct`` operator has no ``torch.func`` rule."""
    _REFUSALS[construct]()


def _retrace_for_loops() -> None:
    """Nothing; calling it while dynamo traces stops the trace (the jit entry traces again in the mode whose graphs
    inductor compiles with its C++ wrapper, ``_JitEntry._loops_with_cpp_wrapper``)."""


_retrace_for_loops = torch._dynamo.disable(
    _retrace_for_loops, reason="portax lax.scan/while_loop inside jit: traced again for inductor's C++ wrapper"
)


def _real_loop_here(construct: str) -> None:
    """Before torch's ``construct`` loop operator enters a graph: stop the trace under a ``torch.func`` transform
    (no rule there), and in a jit entry's first mode, so that the entry traces again in the mode of
    ``_reverse_in_graph`` (reverse mode by autograd in the graph, and inductor's C++ wrapper: a 1000-step forward
    Euler loop ran 28 ms per call with the Python wrapper, 4.7 ms with the C++ one; first compile 119 s vs 63 s,
    torch 2.13 CPU, load ~9)."""
    if _under_functorch():
        _refuse_in_graph(construct)
    if not reverse_in_graph.mode_on():
        _retrace_for_loops()


def _compiling() -> bool:
    return torch.compiler.is_compiling()


def _batched_anywhere(value: Any) -> bool:
    """Whether tensor ``value`` is batched by some active ``torch.func.vmap`` level (under grad wrappers too)."""
    while isinstance(value, torch.Tensor):
        if _functorch.is_batchedtensor(value):
            return True
        if not _functorch.is_functorch_wrapped_tensor(value):
            return False
        value = _functorch.get_unwrapped(value)
    return False


def _under_functorch() -> bool:
    """Whether a ``torch.func`` transform is active (readable while dynamo traces, unlike the wrapper checks)."""
    return torch._C._are_functorch_transforms_active()


def _closure_tensors(*funs: Any) -> list[Any]:
    """The tensors the functions close over (eagerly; dynamo cannot read ``__closure__``)."""
    found: list[Any] = []
    if _compiling():
        return found
    for fun in funs:
        for cell in getattr(fun, "__closure__", None) or ():
            try:
                contents = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if isinstance(contents, torch.Tensor):
                found.append(contents)
    return found


def _any_lane(pred: Any) -> bool:
    """Whether any lane of a batched predicate is true (JAX's batched while_loop reduces the predicate this way)."""
    while _functorch.is_functorch_wrapped_tensor(pred) or _functorch.is_batchedtensor(pred):
        pred = _functorch.get_unwrapped(pred)
    return bool(pred.any())


def _reverse_mode_through(leaves: Sequence[Any]) -> bool:
    """Whether a ``torch.func`` reverse-mode level (grad/vjp) differentiates any of ``leaves``.

    A value of a grad level that does not require grad there (``stop_gradient``, or computed under ``no_grad`` as
    ``lax.custom_root`` runs its solver) is not differentiated: JAX's while_loop takes it under ``grad`` too.
    """
    interpreters = pyfunctorch.retrieve_all_functorch_interpreters()
    grad_levels = {i.level() for i in interpreters if i.key() == torch._C._functorch.TransformType.Grad}
    if not grad_levels:
        return False
    for leaf in leaves:
        value = leaf
        while isinstance(value, torch.Tensor) and (
            _functorch.is_functorch_wrapped_tensor(value) or _functorch.is_batchedtensor(value)
        ):
            if (_functorch.is_gradtrackingtensor(value) and _functorch.maybe_get_level(value) in grad_levels
                    and value.requires_grad):
                return True
            value = _functorch.get_unwrapped(value)
    return False


def _as_tensor(leaf: Any, like: Any = None) -> Any:
    """A Python scalar output as a tensor: the dtype of the matching output of another branch (JAX's weak types),
    else JAX's default dtype for it."""
    if isinstance(leaf, torch.Tensor):
        return leaf
    if like is not None and isinstance(getattr(like, "dtype", None), torch.dtype):
        return torch.tensor(leaf, dtype=like.dtype)
    from portax_torch.numpy import asarray

    return asarray(leaf)


def _tensors(values: Any, like: Any = None) -> Any:
    if like is None:
        return tree.map(_as_tensor, values)
    return tree.map(_as_tensor, values, like)


def _type_key(values: Any) -> Any:
    leaves, treedef = tree.flatten(values)
    return treedef, tuple(
        (tuple(leaf.shape), leaf.dtype) if isinstance(leaf, torch.Tensor) else type(leaf) for leaf in leaves
    )


def _function_key(fun: Any, depth: int = 0) -> Any:
    """What decides a function's output types: its code and what it closes over (tensors by type, functions by their
    own key, scalars by value, anything else by identity)."""
    code = getattr(fun, "__code__", None)
    if code is None or depth > 3:
        return id(fun)
    cells = []
    for cell in fun.__closure__ or ():
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell
            cells.append(None)
            continue
        if isinstance(value, torch.Tensor):
            cells.append((tuple(value.shape), value.dtype))
        elif callable(value) and hasattr(value, "__code__"):
            cells.append(_function_key(value, depth + 1))
        elif isinstance(value, (bool, int, float, complex, str, type(None))):
            cells.append((type(value), value))
        else:
            cells.append(id(value))
    return code, tuple(cells)


_abstract_cache: dict[Any, Any] = {}


def _abstract_outputs(fun: Callable[..., Any], operands: tuple) -> Any:
    """The outputs of ``fun(*operands)`` as ``ShapeDtypeStruct`` leaves, computed on fake tensors (cached per code
    object and input types), or ``None`` when fake evaluation is impossible here (the types are then checked on the
    branch that runs only)."""
    key = (_function_key(fun), _type_key(operands))
    try:
        return _abstract_cache[key]
    except (KeyError, TypeError):
        pass
    from torch._subclasses.fake_tensor import FakeTensorMode

    try:
        with FakeTensorMode(allow_non_fake_inputs=True):
            fakes = tree.map(
                lambda leaf: (
                    torch.empty(tuple(leaf.shape), dtype=leaf.dtype) if isinstance(leaf, torch.Tensor) else leaf
                ),
                operands,
            )
            out = fun(*fakes)
        abstract = tree.map(
            lambda leaf: ShapeDtypeStruct(tuple(leaf.shape), leaf.dtype) if isinstance(leaf, torch.Tensor) else leaf,
            out,
        )
    except Exception:  # noqa: BLE001 (closures over functorch-wrapped tensors cannot mix with fake tensors)
        abstract = None
    try:
        _abstract_cache[key] = abstract
    except TypeError:
        pass
    return abstract


def _abstract(values: Any) -> Any:
    """Tensors as ``ShapeDtypeStruct``: a dtype template a torch operator's body may read without capturing the
    tensors (dynamo would lift them as extra inputs, duplicating closed-over ones)."""
    return tree.map(
        lambda leaf: ShapeDtypeStruct(tuple(leaf.shape), leaf.dtype) if isinstance(leaf, torch.Tensor) else leaf, values
    )


def _unaliased(leaves: Sequence[Any]) -> tuple:
    """Copies of ``leaves``: torch's loop and cond operators refuse outputs that alias their inputs (a body that
    returns its carry unchanged, ``lambda c, x: (c, c)``); the compiler removes copies it does not need."""
    return tuple(leaf.clone() for leaf in leaves)


def _fresh(values: Any) -> Any:
    """Copies of the tensors in pytree ``values``, handed to a user body or branch: JAX arrays are immutable, so a
    body that updates its carry or operand in place (``c += x``) must change neither the caller's tensors nor a
    value the loop has already returned (measured without: ``scan`` of ``c += x; return c, c`` gave [6, 6, 6], JAX
    [1, 3, 6]). A copy costs one kernel per leaf and step; the compiler removes the copies it does not need."""
    return tree.map(lambda leaf: leaf.clone() if isinstance(leaf, torch.Tensor) else leaf, values)


def _batched_at_every_level(values: Any) -> Any:
    """``values`` with each plain tensor leaf batched (copied along) at every active ``vmap`` level, or None when a
    non-vmap transform is active or nothing would change."""
    interpreters = pyfunctorch.retrieve_all_functorch_interpreters()
    if not interpreters or any(i.key() != _functorch.TransformType.Vmap for i in interpreters):
        return None
    changed = []

    def batched(leaf: Any) -> Any:
        if not isinstance(leaf, torch.Tensor) or _functorch.is_functorch_wrapped_tensor(leaf):
            return leaf
        for interpreter in interpreters:  # outermost first
            leaf = _functorch._add_batch_dim(leaf.expand(interpreter.batch_size(), *leaf.shape).clone(), 0,
                                              interpreter.level())
        changed.append(True)
        return leaf

    out = tree.map(batched, values)
    return out if changed else None


def _call_body(body: Callable[..., Any], carry: Any, *rest: Any) -> Any:
    """``body(copy of carry, *rest)``; under ``vmap``, a body that updates an unbatched carry in place with batched
    values (``c += v``: torch refuses, JAX's carry simply becomes batched) runs again on a batched carry."""
    try:
        return body(_fresh(carry), *rest)
    except RuntimeError:
        batched = _batched_at_every_level(carry)
        if batched is None:
            raise
        return body(batched, *rest)


def _unflatten_like(like: Any, treedef: Any, leaves: list[Any]) -> Any:
    """``tree.unflatten(treedef, leaves)``, without a tree when ``like`` is a single tensor: core's unflatten reads
    ``str(treedef)`` of a structure it has not seen, which dynamo cannot trace (a reverse-mode graph makes new ones)."""
    if isinstance(like, torch.Tensor):
        return leaves[0]
    return tree.unflatten(treedef, leaves)


def _where(pred: Any, on_true: Any, on_false: Any) -> Any:
    return tree.map(lambda a, b: torch.where(pred, a, b), on_true, on_false)


class TorchControlFlow(ControlFlow):
    """``portax.lax`` control flow on torch; see the module docstring for the path each case takes."""

    # -- cond and switch -----------------------------------------------------------------------------------------

    def cond(self, pred: Any, true_fun: Callable[..., Any], false_fun: Callable[..., Any], operands: tuple) -> Any:
        if isinstance(pred, torch.Tensor):
            if _compiling():
                if _functorch.is_batchedtensor(pred):
                    return self._select_branches(pred, (false_fun, true_fun), operands)
                if _under_functorch():  # torch.cond fails under torch.func transforms: run this jit uncompiled
                    _refuse_in_graph("cond")
                return self._cond_compiled(pred, true_fun, false_fun, operands)
            if _batched_anywhere(pred):
                return self._select_branches(pred, (false_fun, true_fun), operands)
        return self._run_branch(1 if bool(pred) else 0, (false_fun, true_fun), operands)

    def switch(self, index: Any, branches: Sequence[Callable[..., Any]], operands: tuple) -> Any:
        last = len(branches) - 1
        if isinstance(index, torch.Tensor):
            if _compiling():
                index = torch.clamp(index, 0, last)
                if _functorch.is_batchedtensor(index):
                    return self._select_branches(index, branches, operands)
                if _under_functorch():
                    _refuse_in_graph("switch")
                return self._switch_compiled(index, tuple(branches), operands)
            if _batched_anywhere(index):
                return self._select_branches(torch.clamp(index, 0, last), branches, operands)
        return self._run_branch(min(max(int(index), 0), last), branches, operands)

    def _run_branch(self, taken: int, branches: Sequence[Callable[..., Any]], operands: tuple) -> Any:
        """Run ``branches[taken]`` after checking every branch's output types abstractly (JAX traces them all)."""
        out = branches[taken](*_fresh(operands))
        reference = None
        for k, branch in enumerate(branches):
            if k == taken:
                continue
            abstract = _abstract_outputs(branch, operands)
            if abstract is None:
                continue
            self._check_branches(taken, out, k, abstract, len(branches))
            reference = abstract
        return _tensors(out) if reference is None else _tensors(out, reference)

    @staticmethod
    def _check_branches(first: int, first_out: Any, second: int, second_out: Any, count: int) -> None:
        names = ("false_fun", "true_fun") if count == 2 else (f"branch {first}", f"branch {second}")
        name_first = names[first] if count == 2 else names[0]
        name_second = names[second] if count == 2 else names[1]
        what = "cond branches" if count == 2 else "switch branches"
        check_same_types(what, name_first, first_out, name_second, second_out, _BRANCH_HINT)

    def _select_branches(self, index: Any, branches: Sequence[Callable[..., Any]], operands: tuple) -> Any:
        """Every branch computed, the result picked per lane (JAX's batching rule: ``select_n``)."""
        outs = [branch(*_fresh(operands)) for branch in branches]
        for k in range(1, len(outs)):
            self._check_branches(0, outs[0], k, outs[k], len(outs))
        outs = [_tensors(out, outs[0]) if k else _tensors(out) for k, out in enumerate(outs)]
        outs[0] = _tensors(outs[0], outs[-1])
        if index.dtype == torch.bool:
            return _where(index, outs[1], outs[0])
        result = outs[-1]
        for k in range(len(outs) - 2, -1, -1):
            result = _where(index == k, outs[k], result)
        return result

    def _cond_compiled(
        self, pred: Any, true_fun: Callable[..., Any], false_fun: Callable[..., Any], operands: tuple
    ) -> Any:
        # Types are checked on directly traced branch calls (dead code for the compiler): a torch.cond branch may
        # not record its output structure (a side effect dynamo refuses inside higher-order operators).
        true_out, false_out = true_fun(*_fresh(operands)), false_fun(*_fresh(operands))
        check_same_types("cond branches", "true_fun", true_out, "false_fun", false_out, _BRANCH_HINT)
        treedef = tree.structure(true_out)
        true_like, false_like = _abstract(_tensors(true_out, false_out)), _abstract(_tensors(false_out, true_out))

        def flat(fun: Callable[..., Any], like: Any) -> Callable[[], tuple]:
            return lambda: _unaliased(tree.leaves(_tensors(fun(*_fresh(operands)), like)))

        if pred.dtype != torch.bool:
            pred = pred != 0
        leaves = torch.cond(pred, flat(true_fun, false_like), flat(false_fun, true_like), ())
        return tree.unflatten(treedef, list(leaves))

    def _switch_compiled(self, index: Any, branches: tuple, operands: tuple) -> Any:
        if len(branches) == 1:
            return _tensors(branches[0](*operands))
        rest = branches[1:]
        return self._cond_compiled(
            index == 0, branches[0], lambda *ops: self._switch_compiled(index - 1, rest, ops), operands
        )

    def select(self, pred: Any, on_true: Any, on_false: Any) -> Any:
        return torch.where(pred, on_true, on_false)

    # -- loops -------------------------------------------------------------------------------------------------------

    def while_loop(self, cond_fun: Callable[..., Any], body_fun: Callable[..., Any], init_val: Any) -> Any:
        init_val = _tensors(init_val)
        if _compiling():
            _real_loop_here("while_loop")  # torch's while_loop fails under torch.func transforms
            value = self._while_compiled(cond_fun, body_fun, init_val)
            # Reverse mode built by autograd in the graph (jit of grad): JAX's error, also for a differentiated value
            # the loop closes over.
            if any(isinstance(leaf, torch.Tensor) and leaf.requires_grad for leaf in tree.leaves((init_val, value))):
                raise ValueError(WHILE_REVERSE_MODE)
            return value
        if _reverse_mode_through(tree.leaves(init_val)):
            raise ValueError(WHILE_REVERSE_MODE)
        value = init_val
        checked = False
        while True:
            pred = self._predicate(cond_fun(value))
            batched = _batched_anywhere(pred)
            if not (_any_lane(pred) if batched else bool(pred)):
                break
            new = _call_body(body_fun, value)
            if not checked:
                check_same_types(
                    "while_loop body function carry input and carry output",
                    "input",
                    value,
                    "body_fun",
                    new,
                    _CARRY_HINT,
                )
                checked = True
            # Under vmap a batched predicate runs until every lane is done; finished lanes keep their value (JAX).
            value = _where(pred, _tensors(new, value), value) if batched else _tensors(new, value)
        if _reverse_mode_through(tree.leaves(value)):  # a differentiated value entered through a closure
            raise ValueError(WHILE_REVERSE_MODE)
        return value

    @staticmethod
    def _predicate(pred: Any) -> Any:
        shape = tuple(getattr(pred, "shape", ()))
        if shape != ():
            raise TypeError(f"cond_fun must return a boolean scalar, but got output type(s) of shape {shape}.")
        return pred

    def _while_compiled(self, cond_fun: Callable[..., Any], body_fun: Callable[..., Any], init_val: Any) -> Any:
        leaves, treedef = tree.flatten(init_val)
        first = body_fun(_fresh(init_val))  # traced for its types only (dead code for the compiler)
        check_same_types(
            "while_loop body function carry input and carry output", "input", init_val, "body_fun", first, _CARRY_HINT
        )

        def cond_flat(*flat: Any) -> Any:
            return cond_fun(tree.unflatten(treedef, list(flat)))

        like = _abstract(init_val)

        def body_flat(*flat: Any) -> tuple:
            return _unaliased(tree.leaves(_tensors(body_fun(tree.unflatten(treedef, _fresh(list(flat)))), like)))

        # Carried inputs may not alias the loop's other (closed-over) inputs: a carry that starts as a closed-over
        # tensor (``while_loop(..., (a, 0))`` with ``a`` used in the body) would.
        carried = _unaliased(leaves)
        return tree.unflatten(treedef, list(torch_while_loop(cond_flat, body_flat, carried)))

    def fori_loop(self, lower: Any, upper: Any, body_fun: Callable[..., Any], init_val: Any, unroll: Any) -> Any:
        bounds = (lower, upper)
        dynamic = _compiling() and any(isinstance(b, torch.Tensor) for b in bounds)
        dynamic = dynamic or any(isinstance(b, torch.Tensor) and _batched_anywhere(b) for b in bounds)
        if dynamic:  # traced bounds: a while_loop, as in JAX (not reverse-differentiable)
            dtype = next(b.dtype for b in bounds if isinstance(b, torch.Tensor))
            start = torch.as_tensor(lower, dtype=dtype)
            stop = torch.as_tensor(upper, dtype=dtype)
            _, value = self.while_loop(
                lambda carry: carry[0] < stop, lambda carry: (carry[0] + 1, body_fun(*carry)), (start, init_val)
            )
            return value
        start, stop = int(lower), int(upper)
        dtype = next((b.dtype for b in bounds if isinstance(b, torch.Tensor)), torch.int32)

        def step(carry: Any, i: Any) -> tuple[Any, None]:
            return body_fun(i, carry), None

        count = max(stop - start, 0)
        indices = torch.arange(start, start + count, dtype=dtype)
        value, _ = self.scan(step, init_val, indices, count, False, unroll, what="fori_loop body function")
        return value

    def scan(
        self,
        f: Callable[..., Any],
        init: Any,
        xs: Any,
        length: int,
        reverse: bool,
        unroll: Any,
        what: str = "scan body function",
    ) -> tuple[Any, Any]:
        init = _tensors(init)
        unrolled = length <= UNROLL_LIMIT or unroll is True or (isinstance(unroll, int) and unroll >= length > 0)
        if not unrolled and length <= TRANSFORMED_UNROLL_LIMIT and _compiling():
            unrolled = _under_functorch() or any(
                isinstance(leaf, torch.Tensor) and leaf.requires_grad for leaf in tree.leaves((init, xs))
            )
        if _compiling() and not unrolled:
            _real_loop_here("scan")  # torch's scan fails under torch.func transforms (and unrolling is slow)
            return self._scan_compiled(f, init, xs, length, reverse, what)
        carry = init
        ys = []
        steps = range(length - 1, -1, -1) if reverse else range(length)
        if xs is not None and length:
            xs = _fresh(xs)  # a body may update its slice of xs in place
        for n, i in enumerate(steps):
            x = None if xs is None else tree.map(lambda leaf, i=i: leaf[i], xs)
            out = _call_body(f, carry, x)
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError(f"scan body output must be a pair (carry, y), got {type(out).__name__}")
            new, y = out
            if n == 0:
                check_same_types(f"{what} carry input and carry output", "input", carry, "output", new, _CARRY_HINT)
            carry = _tensors(new, carry)
            ys.append(_tensors(y))
        if reverse:
            ys.reverse()
        if ys:
            stacked = tree.map(lambda *leaves: torch.stack(leaves), *ys)
        else:  # zero steps: empty outputs of the body's output types
            x0 = None if xs is None else tree.map(lambda leaf: torch.empty(tuple(leaf.shape[1:]), dtype=leaf.dtype), xs)
            abstract = _abstract_outputs(f, (init, x0))
            if abstract is None:
                raise ValueError("scan of length 0 whose output types cannot be determined here; give length >= 1")
            stacked = tree.map(
                lambda s: torch.empty(
                    (0, *tuple(getattr(s, "shape", ()))),
                    dtype=_tensors(s).dtype if not hasattr(s, "dtype") else s.dtype,
                ),
                abstract[1],
            )
        return carry, stacked

    def _scan_compiled(
        self, f: Callable[..., Any], init: Any, xs: Any, length: int, reverse: bool, what: str
    ) -> tuple[Any, Any]:
        carry_leaves, carry_def = tree.flatten(init)
        if xs is None:
            xs_given = False
            xs = torch.zeros((length, 0))
        else:
            xs_given = True
        x0 = tree.map(lambda leaf: leaf[0], xs) if xs_given else None
        first_carry, first_y = f(_fresh(init), _fresh(x0))  # traced for its types only (dead code for the compiler)
        check_same_types(f"{what} carry input and carry output", "input", init, "output", first_carry, _CARRY_HINT)
        y_def = tree.structure(first_y)
        y_like = _abstract(_tensors(first_y))
        carry_like = _abstract(init)

        # inductor (torch 2.13) fails on a scan without per-step outputs ("getitem is not an OpOverload", e.g. every
        # fori_loop), and so does autograd through one ("all fw_gm output nodes must be torch.fx.Node with 'val' in
        # meta"): such a body gets one dummy scalar output, dropped afterwards. torch's scan needs a carry too: a body
        # without one (lax.map) carries a dummy scalar.
        no_ys = not tree.leaves(y_like)
        no_carry = not carry_leaves
        dummy_device = next((leaf.device for leaf in tree.leaves((init, xs)) if isinstance(leaf, torch.Tensor)), None)

        def combine(carry: Any, x: Any) -> tuple:
            carry = [] if no_carry else list(carry)
            new, y = f(_unflatten_like(init, carry_def, _fresh(carry)), _fresh(x) if xs_given else None)
            if no_carry:
                new_leaves = [torch.zeros((), device=dummy_device)]
            else:
                new_leaves = list(_unaliased(tree.leaves(_tensors(new, carry_like))))
            ys = [torch.zeros((), device=dummy_device)] if no_ys else list(_unaliased(tree.leaves(_tensors(y, y_like))))
            return new_leaves, ys

        init_leaves = [torch.zeros((), device=dummy_device)] if no_carry else list(_unaliased(carry_leaves))
        carry, ys = torch_scan(combine, init_leaves, xs, reverse=reverse)
        carry = [] if no_carry else list(carry)
        return _unflatten_like(init, carry_def, carry), (
            None if first_y is None else _unflatten_like(first_y, y_def, [] if no_ys else list(ys))
        )


control_flow = TorchControlFlow()
