"""The workload registry: each workload defined once, with its portax and native variants.

A workload is a function ``build(ctx, **params) -> Iterable[Variant]`` registered with :func:`workload`, once per
point of a parameter grid. Each :class:`Variant` names its engine (``"jax"``, ``"torch"``) and a ``make`` thunk
that returns ``(fn, args)``; the harness times ``fn(*args)``. ``make`` runs only if the variant's engine is
selected and installed; an ``ImportError``/``UnsupportedError``/``NotImplementedError`` from it (or from the first
call) skips that variant with the reason, so a half-finished backend or a missing optional library never aborts a
run. Adding a workload is one decorated function in ``benchmarks/workloads/``::

    @workload("jit", grid={"n": [10, 1000]}, quick_grid={"n": [10]})
    def jit_call(ctx, n):
        for engine in ctx.engines:
            yield Variant("native", engine, lambda: ..., reference=True)
            yield Variant("portax", engine, lambda: ...)
"""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

ENGINES = ("jax", "torch")


@dataclass(frozen=True)
class Variant:
    """One implementation of a workload on one engine."""

    label: str  # "portax", "native", "array_api_compat", "keras", ...
    engine: str  # "jax" or "torch"
    make: Callable[[], tuple[Callable[..., Any], tuple]]
    reference: bool = False  # the native code the others are compared against (one per engine)


@dataclass(frozen=True)
class Workload:
    name: str  # "dispatch/sin/(8,)": family / workload-specific parts
    family: str
    description: str
    params: dict[str, Any]
    build: Callable[..., Iterable[Variant]]
    quick: bool  # part of the --quick run
    bars: dict[str, float] = field(default_factory=dict)  # engine -> max extra seconds per call for "portax"
    ratio_bar: float | None = None  # max portax time / native time on the same engine (jitted workloads: 1.02)

    def variants(self, ctx: Context) -> Iterable[Variant]:
        return self.build(ctx, **self.params)


REGISTRY: dict[str, Workload] = {}


def _format_param(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ",".join(str(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return str(value)


def workload(
    family: str,
    *,
    grid: dict[str, list[Any]] | None = None,
    quick_grid: dict[str, list[Any]] | None = None,
    bars: Callable[..., dict[str, float] | None] | None = None,
    ratio_bar: float | None = None,
) -> Callable[[Callable[..., Iterable[Variant]]], Callable[..., Iterable[Variant]]]:
    """Register ``build`` once per point of ``grid``; points of ``quick_grid`` (default: all) run with ``--quick``.

    ``bars(**params)`` may return ``{engine: seconds}``: the most extra time per call portax may add over native
    there (reported as ok/OVER, never asserted). ``ratio_bar`` is the same as a ratio: portax's time over native's
    on the same engine (1.02 for jitted workloads: issue 3's bar), judged on the paired extra time.
    """
    grid = grid or {}

    def register(build: Callable[..., Iterable[Variant]]) -> Callable[..., Iterable[Variant]]:
        keys = list(grid)
        for values in itertools.product(*(grid[k] for k in keys)):
            params = dict(zip(keys, values, strict=False))
            quick = quick_grid is None or all(params[k] in quick_grid.get(k, [params[k]]) for k in keys)
            name = "/".join([family, *(_format_param(v) for v in values)])
            if name in REGISTRY:
                raise ValueError(f"workload {name!r} registered twice")
            REGISTRY[name] = Workload(
                name=name,
                family=family,
                description=(build.__doc__ or "").strip().splitlines()[0] if build.__doc__ else "",
                params=params,
                build=build,
                quick=quick,
                bars=(bars(**params) or {}) if bars else {},
                ratio_bar=ratio_bar,
            )
        return build

    return register


@dataclass
class Context:
    """What a workload's ``build`` may ask: selected engines, device, run size."""

    engines: tuple[str, ...]
    device: str = "cpu"
    quick: bool = False
    # torch.compile backend for every jitted torch variant, native and portax alike (so ratios compare like with
    # like): "inductor" is what the bars are measured against; --quick uses "aot_eager" (0.1 s compiles, not 1-11 s).
    torch_compile_backend: str = "inductor"

    def native_array(self, engine: str, value: Any) -> Any:
        """``value`` (a NumPy array) as a native array of ``engine`` on the selected device."""
        if engine == "torch":
            import torch

            return torch.asarray(value, device=self.device)
        if engine == "jax":
            import jax

            platform = "gpu" if self.device == "cuda" else "cpu"
            return jax.device_put(value, jax.devices(platform)[0])
        raise ValueError(f"unknown engine {engine!r}")


def installed_engines() -> tuple[str, ...]:
    """Engines importable here for which a portax backend is installed."""
    found = []
    for engine in ENGINES:
        if importlib.util.find_spec(engine) is not None and importlib.util.find_spec(f"portax_{engine}") is not None:
            found.append(engine)
    return tuple(found)


def load_workloads() -> dict[str, Workload]:
    """Import every workload module (they register themselves) and return the registry."""
    import benchmarks.workloads  # noqa: F401  (imports its modules)

    return REGISTRY
