"""Timing: separated first call and warm-up, synchronisation, interleaved repeats, median and IQR, environment.

The timed loop is generated per arity (``f(a0, a1)`` inline, as :mod:`timeit` does) so the harness adds no
``*args`` unpacking or extra frame to what it measures; the same loop overhead is in every variant and cancels in
differences. A repeat times ``number`` calls and synchronises once, on the last result, before stopping the clock
(``block_until_ready`` on JAX, ``torch.cuda.synchronize`` on CUDA), so asynchronous engines are charged for their
work. Variants of one workload are run round-robin (interleaved repeats), so a burst of load on a shared machine
hits all of them alike instead of biasing whichever ran during it.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

_LOOPS: dict[int, Callable[..., float]] = {}


def _timed_loop(arity: int) -> Callable[..., float]:
    """``loop(iterations, timer, sync, f, *args) -> seconds`` with ``f(a0, ..., a{arity-1})`` inline."""
    loop = _LOOPS.get(arity)
    if loop is None:
        names = ", ".join(f"a{i}" for i in range(arity))
        source = (
            f"def loop(_iterations, _timer, _sync, _f{', ' if arity else ''}{names}):\n"
            "    _r = None\n"
            "    _t0 = _timer()\n"
            "    for _ in _iterations:\n"
            f"        _r = _f({names})\n"
            "    _sync(_r)\n"
            "    return _timer() - _t0\n"
        )
        namespace: dict[str, Any] = {}
        exec(compile(source, f"<benchmarks timed loop, arity {arity}>", "exec"), namespace)
        loop = _LOOPS[arity] = namespace["loop"]
    return loop


def no_sync(result: object) -> None:
    """Synchronous engines (torch on CPU): nothing to wait for."""


def jax_sync(result: object) -> None:
    """Wait for JAX's asynchronous dispatch to finish computing ``result`` (and everything before it)."""
    import jax

    jax.block_until_ready(result)


def torch_cuda_sync(result: object) -> None:
    import torch

    torch.cuda.synchronize()


def sync_for(engine: str, device: str) -> Callable[[object], None]:
    """The synchronisation the harness applies after a timed batch of calls on ``engine``."""
    if engine == "jax":
        return jax_sync
    if engine == "torch" and device == "cuda":
        return torch_cuda_sync
    return no_sync


@dataclass
class Timed:
    """One callable to time: ``fn(*args)``, synchronised with ``sync``."""

    fn: Callable[..., Any]
    args: tuple = ()
    sync: Callable[[object], None] = no_sync
    number: int = 0  # calls per repeat; 0: calibrate
    first_call_s: float = float("nan")  # the first call alone (compile time for jitted workloads)
    samples: list[float] = field(default_factory=list)  # seconds per call, one per repeat

    def run(self, number: int) -> float:
        return _timed_loop(len(self.args))(range(number), time.perf_counter, self.sync, self.fn, *self.args)


def first_call(timed: Timed) -> None:
    """Time the very first call on its own (compilation, caches), then run it once more as warm-up."""
    t0 = time.perf_counter()
    timed.sync(timed.fn(*timed.args))
    timed.first_call_s = time.perf_counter() - t0


def calibrate(timed: Timed, target_s: float, max_number: int = 10_000_000) -> int:
    """Smallest number of calls (1, 2, 5, 10, 20, ...) whose batch takes at least ``target_s`` (like timeit)."""
    number = 1
    while True:
        for factor in (1, 2, 5):
            n = number * factor
            if n >= max_number or timed.run(n) >= target_s:
                return min(n, max_number)
        number *= 10


def measure_interleaved(
    group: Sequence[Timed], *, repeats: int, target_s: float, warmup_s: float = 0.0, progress: Callable[[], None] | None = None
) -> None:
    """Fill ``samples`` of every member: ``repeats`` rounds, each timing every member once, in rotating order."""
    # One untimed call of every member before any calibration: a later member's first call can invalidate an
    # earlier one's compiled code (torch: portax's first call registers pytree nodes, which fails the guards of a
    # native torch.compile'd function), and a recompile inside calibrate() made it pick 1 call per batch, so that
    # member's samples were single cold calls (jit/ode_grad native 42 us -> 100-350 us, bimodal).
    for timed in group:
        timed.run(1)
    for timed in group:
        if not timed.number:
            timed.number = calibrate(timed, target_s)
        if warmup_s > 0:
            deadline = time.perf_counter() + warmup_s
            while time.perf_counter() < deadline:
                timed.run(timed.number)
    for round_index in range(repeats):
        shift = round_index % len(group)
        for timed in [*group[shift:], *group[:shift]]:
            timed.samples.append(timed.run(timed.number) / timed.number)
        if progress is not None:
            progress()


@dataclass(frozen=True)
class Stats:
    """Seconds per call over repeats."""

    median: float
    q1: float
    q3: float
    min: float
    max: float
    n: int

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        if len(samples) == 1:
            (s,) = samples
            return cls(s, s, s, s, s, 1)
        q1, _, q3 = statistics.quantiles(samples, n=4, method="inclusive")
        return cls(statistics.median(samples), q1, q3, min(samples), max(samples), len(samples))


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5, check=False
        )
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode:
        return None
    return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def environment(device: str) -> dict[str, Any]:
    """What a reader needs to interpret the numbers: versions, CPU/GPU, threads, load."""
    env: dict[str, Any] = {
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "device": device,
        "git_commit": _git_commit(),
        "versions": {
            name: _version(name)
            for name in ("portax", "portax-jax", "portax-torch", "torch", "jax", "jaxlib", "numpy", "array-api-compat", "keras")
        },
        "env_vars": {k: v for k, v in os.environ.items() if k.startswith(("PORTAX_", "OMP_", "MKL_", "XLA_", "JAX_", "KERAS_"))},
    }
    if "torch" in sys.modules:
        import torch

        env["torch_threads"] = torch.get_num_threads()
        env["torch_interop_threads"] = torch.get_num_interop_threads()
        if device == "cuda" and torch.cuda.is_available():
            env["gpu"] = torch.cuda.get_device_name()
    if "jax" in sys.modules:
        import jax

        env["jax_default_backend"] = jax.default_backend()  # workloads place their arrays per --device
        env["jax_devices"] = [str(d) for d in jax.devices()]
    return env
