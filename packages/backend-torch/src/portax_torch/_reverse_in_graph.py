"""Reverse mode inside a compiled graph: ``torch.autograd.grad`` traced by dynamo, differentiated by AOTAutograd.

Inside ``torch.compile``, ``torch.func.grad``/``vjp`` cannot differentiate torch's loop and cond operators (``scan``,
``while_loop``, ``cond``: no functorch rule) and ignore ``autograd.Function`` rules (pytorch#193279). Plain autograd
can: with dynamo's ``trace_autograd_ops``, a graph that calls ``torch.autograd.grad`` gets its backward built by
AOTAutograd, through the ``scan`` operator (a compiled reverse loop) and through custom rules (measured on torch
2.13: a 1000-step Euler ``scan`` differentiated this way, inductor 34 ms per call, eager autograd 108-133 ms).

A ``jit`` entry whose ``torch.func`` trace stops at a loop or a custom rule traces again with this mode on
(``_JitEntry`` in ``transforms.py``); then ``grad``, ``value_and_grad``, ``vjp`` and ``jacrev`` reached while dynamo
traces, outside any ``torch.func`` transform, are built here. The mode runs the compiled call with autograd off, so
a transform that finds autograd on is nested inside another one of this mode and keeps its graph
(``create_graph``) for the outer one; the outermost returns plain tensors.
"""

from __future__ import annotations

import threading
from typing import Any

import torch
from portax import tree

#: Python scalars, NumPy scalars: the leaves the transforms turn into tensors (JAX's dtype rules, core's ``asarray``).
_SCALARS = (bool, int, float, complex)

#: The largest Jacobian (output elements) ``jacrev`` builds row by row here, one backward pass per element.
JACREV_ROWS_LIMIT = 64


class _State(threading.local):
    on = False


# Named with "portax": jit's guard filter keeps guards on portax's globals, so a graph records the mode it used.
_portax_reverse_in_graph = _State()


def mode_on() -> bool:
    """Whether this thread's compiled calls run in this mode (a jit entry that reached a loop or custom rule)."""
    return _portax_reverse_in_graph.on


def active() -> bool:
    """Whether reverse-mode transforms called now should be built here (the mode is on, dynamo traces, and no
    ``torch.func`` transform is active)."""
    return (
        _portax_reverse_in_graph.on
        and torch.compiler.is_compiling()
        and not torch._C._are_functorch_transforms_active()
    )


class enabled:  # noqa: N801  (a context manager; a class, as it sits on the call path of compiled calls)
    """``with enabled():`` -- this thread's compiled calls use this module's reverse mode, with autograd off."""

    __slots__ = ("_grad_was_enabled", "_was_on")

    def __enter__(self) -> None:
        self._was_on = _portax_reverse_in_graph.on
        self._grad_was_enabled = torch.is_grad_enabled()
        _portax_reverse_in_graph.on = True
        torch._C._set_grad_enabled(False)

    def __exit__(self, *exc: object) -> None:
        torch._C._set_grad_enabled(self._grad_was_enabled)
        _portax_reverse_in_graph.on = self._was_on


def _conj(values: Any) -> Any:
    """Complex tensors conjugated: torch's gradient convention <-> JAX's."""
    return tree.map(
        lambda leaf: torch.conj_physical(leaf) if isinstance(leaf, torch.Tensor) and leaf.is_complex() else leaf,
        values,
    )


def _detached(values: Any, keep_graph: bool) -> Any:
    if keep_graph:
        return values
    return tree.map(lambda leaf: leaf.detach() if isinstance(leaf, torch.Tensor) else leaf, values)


def _clone_leaf(leaf: Any, asarray: Any) -> Any:
    if isinstance(leaf, torch.Tensor):
        return leaf.clone()  # a new node: in-place updates stay inside, and a nested transform differentiates only it
    if type(leaf) in _SCALARS or type(leaf).__module__ == "numpy":
        return asarray(leaf)
    return leaf


def _watched(arg: Any, asarray: Any) -> tuple[Any, list[Any]]:
    """``arg`` with its tensor leaves replaced by copies autograd watches, and those copies in order."""
    leaf = _clone_leaf(arg, asarray)
    if isinstance(leaf, torch.Tensor):  # the common case, without a tree (no tree structure made while tracing)
        leaf = leaf if leaf.requires_grad else leaf.detach().requires_grad_()
        return leaf, [leaf]
    leaves, treedef = tree.flatten(arg)
    watched = []
    for k, leaf in enumerate(leaves):
        leaf = _clone_leaf(leaf, asarray)
        if isinstance(leaf, torch.Tensor):
            if not leaf.requires_grad:
                leaf = leaf.detach().requires_grad_()
            watched.append(leaf)
        leaves[k] = leaf
    return tree.unflatten(treedef, leaves), watched


def _grads_for(outputs: list[Any], inputs: list[Any], cotangents: list[Any] | None, keep_graph: bool) -> list[Any]:
    """d(outputs)/d(inputs) against ``cotangents`` (zeros where an input is unused), JAX's complex convention."""
    pairs = [(o, c) for o, c in zip(outputs, cotangents or [None] * len(outputs), strict=True) if o.requires_grad]
    if not pairs or not inputs:
        return [torch.zeros_like(x) for x in inputs]
    grads = torch.autograd.grad(
        [o for o, _ in pairs],
        inputs,
        None if cotangents is None else [c for _, c in pairs],
        retain_graph=True,
        create_graph=keep_graph,
        allow_unused=True,
    )
    return [torch.zeros_like(x) if g is None else g for g, x in zip(grads, inputs, strict=True)]


def _prepare(args: tuple, kwargs: dict, argnums: tuple[int, ...], asarray: Any) -> tuple[list, dict, list]:
    """Copies of the arguments; those at ``argnums`` watched by autograd. Returns ``(args, kwargs, [(treedef,
    watched leaves) per argnum])``."""
    args = [tree.map(lambda leaf: _clone_leaf(leaf, asarray), a) if i not in argnums else a for i, a in enumerate(args)]
    kwargs = tree.map(lambda leaf: _clone_leaf(leaf, asarray), kwargs) if kwargs else {}
    watched = []
    for i in argnums:
        args[i], leaves = _watched(args[i], asarray)
        # None: a tensor argument, whose gradient is its one leaf's (core's unflatten reads str(treedef) for a tree
        # structure it has not seen, which dynamo cannot trace)
        watched.append((None if isinstance(args[i], torch.Tensor) else tree.structure(args[i]), leaves))
    return args, kwargs, watched


def _unflatten_grads(watched: list, grads: list[Any], argnums: Any) -> Any:
    per_arg, start = [], 0
    for treedef, leaves in watched:
        part = grads[start : start + len(leaves)]
        per_arg.append(part[0] if treedef is None else tree.unflatten(treedef, part))
        start += len(leaves)
    return per_arg[0] if isinstance(argnums, int) else tuple(per_arg)


def value_and_grad(fun: Any, argnums: Any, has_aux: bool, asarray: Any) -> Any:
    """``(value, grads, aux)`` of scalar ``fun``, differentiated by autograd in the graph being traced."""
    positions = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def run(*args: Any, **kwargs: Any) -> tuple[Any, Any, Any]:
        keep_graph = torch.is_grad_enabled()  # on: a transform of this mode differentiates this one again
        if keep_graph:
            _refuse_higher_order()
        with torch.enable_grad():
            args, kwargs, watched = _prepare(args, kwargs, positions, asarray)
            out = fun(*args, **kwargs)
            value, aux = out if has_aux else (out, None)
            value = asarray(value) if not isinstance(value, torch.Tensor) else value
            inputs = [leaf for _, leaves in watched for leaf in leaves]
            grads = _conj(_grads_for([value], inputs, None, keep_graph))
        return (
            _detached(value, keep_graph),
            _detached(_unflatten_grads(watched, grads, argnums), keep_graph),
            _detached(aux, keep_graph),
        )

    return run


def vjp(fun: Any, primals: tuple, has_aux: bool, asarray: Any) -> tuple:
    """``(out, pullback, aux)`` of ``fun`` at ``primals``, the pullback running autograd in the traced graph."""
    keep_graph = torch.is_grad_enabled()
    if keep_graph:
        _refuse_higher_order()
    with torch.enable_grad():
        args, _, watched = _prepare(primals, {}, tuple(range(len(primals))), asarray)
        result = fun(*args)
    out, aux = result if has_aux else (result, None)
    out_leaves, out_def = tree.flatten(out)
    inputs = [leaf for _, leaves in watched for leaf in leaves]

    def pullback(cotangent: Any) -> tuple:
        cotangent_leaves = out_def.flatten_up_to(cotangent)
        cotangent_leaves = [
            c if isinstance(c, torch.Tensor) else torch.as_tensor(c, dtype=o.dtype)
            for c, o in zip(cotangent_leaves, out_leaves, strict=True)
        ]
        with torch.enable_grad():
            grads = _grads_for(out_leaves, inputs, _conj(cotangent_leaves), keep_graph)
        return _detached(_unflatten_grads(watched, _conj(grads), tuple(range(len(primals)))), keep_graph)

    return _detached(out, keep_graph), pullback, _detached(aux, keep_graph)


def jacrev(fun: Any, argnums: Any, has_aux: bool, asarray: Any) -> Any:
    """The Jacobian of ``fun`` (JAX's nesting: output tree of input trees), one backward pass per output element
    (at most ``JACREV_ROWS_LIMIT``; a larger one stops the trace and that jit entry runs uncompiled)."""
    positions = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def run(*args: Any, **kwargs: Any) -> Any:
        keep_graph = torch.is_grad_enabled()
        if keep_graph:
            _refuse_higher_order()
        with torch.enable_grad():
            args, kwargs, watched = _prepare(args, kwargs, positions, asarray)
            result = fun(*args, **kwargs)
            out, aux = result if has_aux else (result, None)
            out_leaves, out_def = tree.flatten(out)
            inputs = [leaf for _, leaves in watched for leaf in leaves]
            if sum(o.numel() for o in out_leaves) > JACREV_ROWS_LIMIT:
                _refuse_large_jacobian()
            per_output = []
            for o in out_leaves:
                flat = o.reshape(-1)
                rows = []
                for k in range(flat.shape[0]):
                    rows.append(_conj(_grads_for([flat[k]], inputs, None, keep_graph)))
                # rows[k][j]: d out[k] / d input j  ->  per input j: out.shape + input.shape
                jac = [
                    torch.stack([row[j] for row in rows]).reshape(*o.shape, *x.shape)
                    if rows
                    else torch.zeros((*o.shape, *x.shape), dtype=x.dtype)
                    for j, x in enumerate(inputs)
                ]
                per_output.append(_unflatten_grads(watched, jac, argnums))
        jacobian = per_output[0] if isinstance(out, torch.Tensor) else tree.unflatten(out_def, per_output)
        return (_detached(jacobian, keep_graph), _detached(aux, keep_graph)) if has_aux else _detached(
            jacobian, keep_graph
        )

    return run


def _refuse_large_jacobian() -> None:
    """Nothing; calling it while dynamo traces stops the trace, so that the jit entry runs uncompiled."""


_refuse_large_jacobian = torch._dynamo.disable(
    _refuse_large_jacobian,
    reason=f"portax jacrev of more than {JACREV_ROWS_LIMIT} outputs through a loop or custom rule inside jit",
)


#: The forward-mode transforms built here and being traced ("jvp": reverse mode twice; "jacobian": jacfwd as
#: jacrev): a custom_vjp rule reached inside one raises JAX's error (its bwd is no forward rule). A list, mutated while
#: dynamo traces (a side effect it replays).
_portax_forward_mode: list[str] = []


def in_forward_mode() -> bool:
    """Whether a forward-mode transform of this mode is being traced now."""
    return bool(_portax_forward_mode)


def in_jvp() -> bool:
    """Whether a ``jvp`` of this mode (reverse mode twice) is being traced now."""
    return "jvp" in _portax_forward_mode


def differentiated(values: Any) -> bool:
    """Whether a tensor leaf of ``values`` is watched by autograd (depends on the transform's inputs)."""
    return any(isinstance(leaf, torch.Tensor) and leaf.requires_grad for leaf in tree.leaves(values))


def _refuse_higher_order() -> None:
    """Nothing; calling it while dynamo traces stops the trace, so that the jit entry runs uncompiled."""


# torch 2.13 differentiates the backward of its loop operators and of autograd.Function rules only to first order in
# a compiled graph: a second reverse pass through a `scan` gave a wrong Hessian without an error (jit(jacrev(grad(f)))
# of a 20-step scan: [[1.03, 1.76], ...], JAX [[3.37, 2.86], ...]), through a custom_jvp rule a zero tangent.
_refuse_higher_order = torch._dynamo.disable(
    _refuse_higher_order,
    reason=(
        "portax second-order reverse mode (hessian, jacfwd(jacrev), grad of grad, jvp of grad) through a loop or "
        "custom rule inside jit: torch 2.13 differentiates their compiled backward to first order only"
    ),
)


def _linear_tangent(leaf: Any) -> Any:
    """A zero tangent for ``leaf`` that still depends on it (``x - x.detach()``) when autograd watches it."""
    if not isinstance(leaf, torch.Tensor):
        return torch.zeros(())
    if leaf.requires_grad and (leaf.is_floating_point() or leaf.is_complex()):
        return leaf - leaf.detach()
    return torch.zeros_like(leaf)


def custom_jvp_linearized(rule: Any, diff_args: tuple) -> Any:
    """A ``custom_jvp`` function's output inside a ``jvp`` of this mode (reverse mode twice), from its rule.

    ``rule(primals, tangents)`` runs at the detached primals and the tangent ``x - x.detach()``: zero, but
    autograd sees ``x`` through the rule's tangent map, which is linear, so the output is the rule's primal output
    and its derivative is the rule's Jacobian; ``jvp``'s two reverse passes then give the rule's ``J t``. (The
    ``autograd.Function`` the other modes use is differentiated to first order only when compiled: torch 2.13 gave a
    zero tangent, and dynamo cannot trace one with a ``jvp`` rule.) A non-finite tangent at a zero tangent (an
    infinite derivative) is dropped: it would turn the output into NaN. The rule's primals are detached, so a rule
    that calls its own function (JAX's idiom) reaches it with nothing to differentiate: the primal function there.
    """
    primals = tree.map(lambda leaf: leaf.detach() if isinstance(leaf, torch.Tensor) else leaf, diff_args)
    tangents = tree.map(_linear_tangent, diff_args)
    out, tangent_out = rule(tuple(primals), tuple(tangents))
    if isinstance(out, torch.Tensor):  # without a tree (core's unflatten of a new structure is not traceable)
        return _with_tangent(out, tangent_out)
    out_leaves, out_def = tree.flatten(out)
    tangent_leaves = out_def.flatten_up_to(tangent_out)
    return tree.unflatten(out_def, [_with_tangent(o, t) for o, t in zip(out_leaves, tangent_leaves, strict=True)])


def _with_tangent(out: Any, tangent: Any) -> Any:
    """``out`` plus ``tangent`` (zero, carrying a derivative) where both are differentiable tensors."""
    if not (isinstance(out, torch.Tensor) and isinstance(tangent, torch.Tensor) and tangent.requires_grad):
        return out
    if not (out.is_floating_point() or out.is_complex()):
        return out
    tangent = tangent.to(out.dtype)
    return out + torch.where(torch.isfinite(tangent), tangent, torch.zeros_like(tangent))


def as_forward_mode(run: Any) -> Any:
    """``run`` (a Jacobian built here by reverse mode) standing for a forward-mode transform (jacfwd, hessian): the
    same numbers for real functions, and a custom_vjp rule inside raises JAX's error."""

    def forward(*args: Any, **kwargs: Any) -> Any:
        _portax_forward_mode.append("jacobian")
        try:
            return run(*args, **kwargs)
        finally:
            _portax_forward_mode.pop()

    return forward


def _refuse_complex_forward_mode() -> None:
    """Nothing; calling it while dynamo traces stops the trace, so that the jit entry runs uncompiled."""


_refuse_complex_forward_mode = torch._dynamo.disable(
    _refuse_complex_forward_mode,
    reason="portax jvp of complex values through a loop or custom rule inside jit",
)


def jvp(fun: Any, primals: tuple, tangents: tuple, has_aux: bool, asarray: Any) -> tuple:
    """``(out, tangent_out, aux)`` of ``fun``: the forward-mode product by reverse mode twice in the traced graph.

    ``u -> J^T u`` is linear in ``u``, so the gradient of ``<J^T u, t>`` with respect to ``u`` is ``J t`` (torch's
    forward mode, ``torch.func.jvp``, has no rule for the loop operators and ignores custom rules when compiled).
    """
    keep_graph = torch.is_grad_enabled()
    if keep_graph:
        _refuse_higher_order()
    with torch.enable_grad():
        _portax_forward_mode.append("jvp")
        try:
            args, _, watched = _prepare(primals, {}, tuple(range(len(primals))), asarray)
            result = fun(*args)
        finally:
            _portax_forward_mode.pop()
        out, aux = result if has_aux else (result, None)
        out_leaves, out_def = tree.flatten(out)
        out_leaves = [o if isinstance(o, torch.Tensor) else asarray(o) for o in out_leaves]
        inputs = [leaf for _, leaves in watched for leaf in leaves]
        tangent_leaves = [
            t if isinstance(t, torch.Tensor) else asarray(t)
            for t in tree.flatten(tuple(tangents))[0]
        ]
        if any(x.is_complex() for x in (*inputs, *out_leaves)):
            _refuse_complex_forward_mode()
        differentiable = [o for o in out_leaves if o.requires_grad]
        if differentiable and inputs:
            cotangents = [torch.zeros_like(o.detach()).requires_grad_() for o in differentiable]
            pulled = torch.autograd.grad(
                differentiable, inputs, cotangents, retain_graph=True, create_graph=True, allow_unused=True
            )
            pairing = [(g * t.to(g.dtype)).sum() for g, t in zip(pulled, tangent_leaves, strict=True) if g is not None]
        else:
            pairing = []
        tangent_out = [torch.zeros_like(o) for o in out_leaves]
        if pairing and any(p.requires_grad for p in pairing):
            pushed = torch.autograd.grad(
                sum(pairing), cotangents, retain_graph=keep_graph, create_graph=keep_graph, allow_unused=True
            )
            differentiated = iter(pushed)
            for k, o in enumerate(out_leaves):
                if o.requires_grad:
                    g = next(differentiated)
                    if g is not None:
                        tangent_out[k] = g
    tangents_tree = tree.unflatten(out_def, tangent_out)
    return _detached(out, keep_graph), _detached(tangents_tree, keep_graph), _detached(aux, keep_graph)
