"""``jax.lax.custom_root`` and ``jax.lax.custom_linear_solve``: solves whose derivatives come from the solution.

On JAX both are ``jax.lax``'s own (:func:`portax._src.lax_ops.primitive`). Elsewhere they are written once here.
JAX converts the closures of ``f``/``matvec`` into explicit inputs by tracing them to a jaxpr; portax has no jaxpr, so it
differentiates at the solution instead, which gives closed-over values their derivatives with the same formulas:

- the solver runs on values no transformation differentiates (the backend's ``primal_only`` context, and
  ``stop_gradient`` of the guess), so ``solve`` may use ``while_loop`` under ``grad`` as in JAX;
- ``custom_root``: two Newton steps ``x - tangent_solve(∂f(x), f(x))`` from the solution ``x*`` give a value
  ``x2`` whose derivatives with respect to whatever ``f`` closes over are the implicit function's (the first:
  ``-(∂_x f)^{-1} ∂_θ f``, JAX's ``_root_jvp``; the second and third too); the result is
  ``x* + (x2 - stop_gradient(x2))``, the solver's value exactly;
- ``custom_linear_solve``: with ``r = b - matvec(x*)``, the result is ``x* + s(r)`` where ``s`` is zero in value and
  its reverse rule is ``transpose_solve(vecmat, ·)`` (``solve(matvec, ·)`` when ``symmetric``), so the cotangent of
  ``b`` is ``A^{-T} g`` and ``matvec``'s closed-over values get ``-(A^{-T} g) ∂_θ A x*``, JAX's transpose rule.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import portax.numpy as pnp
from portax._src import registry, transforms, tree as tree_util
from portax._src.lax_ops import primitive
from portax._src.scipy._native import native


def _primal_only(values: Any) -> Any:
    """The backend's context in which operations record nothing for reverse mode (torch: ``no_grad``)."""
    backend = registry.backend_of_arrays(*tree_util.leaves(values)) or registry.current_backend()
    context = native(backend, "primal_only", "lax_module")
    return context() if context is not None else contextlib.nullcontext()


def _stopped(tree: Any) -> Any:
    return tree_util.map(transforms.stop_gradient, tree)


def _check_tree(func_name: str, expected_name: str, actual: Any, expected_def: Any, has_aux: bool) -> Any:
    """JAX's ``_check_tree`` (jax._src.lax.control_flow.common, 0.10): the result without the aux part."""
    result = actual
    if has_aux:
        if not (isinstance(actual, (tuple, list)) and len(actual) == 2):
            raise ValueError(
                f"{func_name}() produced a pytree with structure {tree_util.structure(actual)}, but a pytree tuple "
                "with auxiliary output was expected because has_aux was set to True."
            )
        result = actual[0]
    actual_def = tree_util.structure(result)
    if actual_def != expected_def:
        raise TypeError(
            f"{func_name}() output pytree structure must match {expected_name}, got {actual_def} and {expected_def}."
        )
    return result


@primitive
def custom_root(f: Callable[[Any], Any], initial_guess: Any, solve: Callable[[Callable[..., Any], Any], Any],
                tangent_solve: Callable[[Callable[..., Any], Any], Any], has_aux: bool = False) -> Any:
    """A root of ``f`` found by ``solve``, differentiated by the implicit function theorem (``jax.lax.custom_root``).

    Derivatives with respect to the values ``f`` closes over are ``-(∂_x f)^{-1} ∂_θ f`` at the root: ``solve``
    itself is never differentiated (it may use ``while_loop`` under ``grad``). Works under ``grad``, ``jvp``,
    ``vmap`` and ``jit``.

    Args:
        f: the function whose root is sought; takes and returns pytrees shaped like ``initial_guess``.
        initial_guess: the starting point.
        solve: ``solve(f, initial_guess) -> root`` (``(root, aux)`` when ``has_aux``).
        tangent_solve: ``tangent_solve(g, y) -> x`` with ``g(x) == y`` for the linear ``g`` (``f`` linearized at
            the root), e.g. ``lambda g, y: y / g(1.0)`` for scalars.
        has_aux: whether ``solve`` returns auxiliary data (returned as is, not differentiated).

    Returns:
        The root (and the aux data when ``has_aux``).

    Raises:
        TypeError: ``f``, ``solve`` or ``tangent_solve`` return a structure other than ``initial_guess``'s.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> def newton(f, x):
        ...     for _ in range(20):
        ...         x = x - f(x) / portax.grad(f)(x)
        ...     return x
        >>> def cube_root(a):
        ...     return portax.lax.custom_root(lambda x: x ** 3 - a, 1.0, newton, lambda g, y: y / g(1.0))
        >>> round(float(portax.grad(cube_root)(8.0)), 6)  # d/da a**(1/3) = 1/12 at a = 8
        0.083333
    """
    guess_def = tree_util.structure(initial_guess)
    with _primal_only(initial_guess):
        found = solve(f, _stopped(initial_guess))
    solution = _stopped(_check_tree("solve", "initial_guess", found, guess_def, has_aux))

    def newton_step(x: Any) -> Any:
        residual = f(x)
        _check_tree("f", "initial_guess", residual, guess_def, False)

        def linearized(tangent: Any) -> Any:
            return transforms.jvp(f, (x,), (tangent,))[1]

        correction = tangent_solve(linearized, residual)
        _check_tree("tangent_solve", "x", correction, guess_def, False)
        return tree_util.map(lambda value, step: value - step, x, correction)

    # One Newton step from the (constant) solution has the implicit function's first derivative, -(df/dx)^{-1}
    # df/dtheta; a second step from that point has its second and third derivatives too (Newton's map doubles the
    # order of agreement), so grad of grad is JAX's. The value stays the solver's, exactly.
    refined = newton_step(newton_step(solution))
    root = tree_util.map(lambda x, r: x + (r - transforms.stop_gradient(r)), solution, refined)
    return (root, _stopped(found[1])) if has_aux else root


@primitive
def custom_linear_solve(matvec: Callable[[Any], Any], b: Any, solve: Callable[[Callable[..., Any], Any], Any],
                        transpose_solve: Callable[[Callable[..., Any], Any], Any] | None = None,
                        symmetric: bool = False, has_aux: bool = False) -> Any:
    """``solve(matvec, b)`` with derivatives of the linear system, not of the solver (``jax.lax.custom_linear_solve``).

    The cotangent of ``b`` is ``transpose_solve(vecmat, g)`` (``vecmat`` is ``matvec``'s transpose, found by
    differentiation; ``solve`` itself when ``symmetric``), and values ``matvec`` closes over get the matching
    derivative. ``solve`` is never differentiated (it may use ``while_loop`` under ``grad``).

    Args:
        matvec: the linear map ``x -> A x`` (pytrees shaped like ``b``).
        b: the right-hand side.
        solve: ``solve(matvec, b) -> x`` with ``matvec(x) == b`` (``(x, aux)`` when ``has_aux``).
        transpose_solve: ``transpose_solve(vecmat, b) -> x`` for the transposed system; needed for reverse mode
            unless ``symmetric``.
        symmetric: ``A`` is symmetric (``transpose_solve`` defaults to ``solve``).
        has_aux: whether the solvers return auxiliary data.

    Returns:
        The solution (and the aux data when ``has_aux``).

    Raises:
        TypeError: reverse mode without ``transpose_solve`` (JAX's error); ``matvec`` or ``solve`` returning another
            structure than ``b``'s.
        ValueError: ``matvec`` or ``solve`` returning other shapes than ``b``'s.

    Example:
        >>> import portax, portax.numpy as jnp
        >>> a = jnp.array([[2.0, 1.0], [1.0, 3.0]])
        >>> def solve(matvec, b):
        ...     return jnp.linalg.solve(a, b)
        >>> x = portax.lax.custom_linear_solve(lambda v: a @ v, jnp.array([3.0, 5.0]), solve, symmetric=True)
        >>> [round(v, 4) for v in x.tolist()]
        [0.8, 1.4]
    """
    if transpose_solve is None and symmetric:
        transpose_solve = solve
    b_def = tree_util.structure(b)
    b_shapes = [tuple(getattr(leaf, "shape", ())) for leaf in tree_util.leaves(b)]

    def checked(name: str, value: Any, aux: bool) -> Any:
        result = _check_tree(name, "b", value, b_def, aux)
        shapes = [tuple(getattr(leaf, "shape", ())) for leaf in tree_util.leaves(result)]
        if shapes != b_shapes:
            raise ValueError(f"{name}() output shapes must match b, got {shapes} and {b_shapes}")
        return result

    with _primal_only(b):
        found = solve(matvec, _stopped(b))
    solution = _stopped(checked("solve", found, has_aux))
    residual = tree_util.map(lambda rhs, ax: rhs - ax, b, checked("matvec", matvec(solution), False))

    def vecmat(cotangent: Any) -> Any:
        if symmetric:
            return matvec(cotangent)
        return transforms.vjp(matvec, solution)[1](cotangent)[0]

    def backward(residuals: Any, cotangent: Any) -> tuple:
        if transpose_solve is None:
            raise TypeError("transpose_solve required for backwards mode automatic differentiation of "
                            "custom_linear_solve")
        # The transposed system, solved the same way (JAX's transpose rule binds linear_solve again): the solver
        # runs undifferentiated here too, and higher derivatives go through this solve's own rule.
        out = custom_linear_solve(vecmat, cotangent, transpose_solve, solve, symmetric=symmetric, has_aux=has_aux)
        return (out[0] if has_aux else out,)

    def zeros(r: Any) -> Any:
        return tree_util.map(pnp.zeros_like, r)

    correction = transforms.custom_vjp(zeros)
    correction.defvjp(lambda r: (zeros(r), None), backward)
    x = tree_util.map(lambda s, d: s + d, solution, correction(residual))
    return (x, _stopped(found[1])) if has_aux else x
