"""Control flow on JAX: ``jax.lax`` directly (core has checked the arguments with JAX's own rules)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
from portax.backend import ControlFlow


class JaxControlFlow(ControlFlow):
    """``jax.lax.cond``, ``scan``, ``while_loop``, ... with JAX's own semantics, transformations and errors."""

    def cond(self, pred: Any, true_fun: Callable[..., Any], false_fun: Callable[..., Any], operands: tuple) -> Any:
        return jax.lax.cond(pred, true_fun, false_fun, *operands)

    def switch(self, index: Any, branches: Sequence[Callable[..., Any]], operands: tuple) -> Any:
        return jax.lax.switch(index, branches, *operands)

    def select(self, pred: Any, on_true: Any, on_false: Any) -> Any:
        return jax.lax.select(pred, on_true, on_false)

    def while_loop(self, cond_fun: Callable[..., Any], body_fun: Callable[..., Any], init_val: Any) -> Any:
        return jax.lax.while_loop(cond_fun, body_fun, init_val)

    def fori_loop(self, lower: Any, upper: Any, body_fun: Callable[..., Any], init_val: Any, unroll: Any) -> Any:
        return jax.lax.fori_loop(lower, upper, body_fun, init_val, unroll=unroll)

    def scan(self, f: Callable[..., Any], init: Any, xs: Any, length: int, reverse: bool, unroll: Any) -> Any:
        return jax.lax.scan(f, init, xs, length=length, reverse=reverse, unroll=unroll)

    def associative_scan(self, fn: Callable[..., Any], elems: Any, reverse: bool, axis: int) -> Any:
        return jax.lax.associative_scan(fn, elems, reverse=reverse, axis=axis)

    def map(self, f: Callable[..., Any], xs: Any, batch_size: int | None) -> Any:
        return jax.lax.map(f, xs, batch_size=batch_size)


control_flow = JaxControlFlow()
