"""The backend protocol: what a portax backend plugin implements.

A backend is a subclass of :class:`Backend` announced through the ``portax.backends`` entry-point group. Its class
attributes (``name``, ``distribution``, ``priority``, ``array_modules``, ``engine_modules``) are read without
importing the engine (jax, torch, ...); the engine is imported when the class is instantiated, which portax does
only when an array of that engine appears or the backend is selected.
"""

from __future__ import annotations

import abc
import contextlib
import importlib.util
from collections.abc import Callable, Collection, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from portax._src.lax_control import ControlFlow

#: Capabilities a backend may declare. The conformance suite checks each declared capability works and each
#: missing one raises :class:`portax.errors.UnsupportedError`.
KNOWN_CAPABILITIES = frozenset(
    {
        "numpy",  # portax.numpy
        "linalg",  # portax.numpy.linalg
        "fft",  # portax.numpy.fft
        "float64",  # float64 / complex128 arrays
        "complex",  # complex64 arrays
        "uint64",  # uint16/uint32/uint64 arithmetic
        # transformations (issue 3); each needs ``Backend.transforms``
        "grad",  # reverse mode: grad, value_and_grad, vjp, jacrev
        "jvp",  # forward mode: jvp, jacfwd, linearize (hessian needs grad and jvp)
        "vmap",  # vmap with in_axes/out_axes pytrees, axis_size
        "jit",  # jit with static_argnums/static_argnames
        "custom_rules",  # custom_vjp, custom_jvp
        "checkpoint",  # checkpoint/remat (recompute in the backward pass)
        "checkpoint_policy",  # checkpoint(policy=...) other than full recomputation
        "eval_shape",  # eval_shape without computing
        "control_flow",  # portax.lax cond/switch/select/while_loop/fori_loop/scan/map/associative_scan (``Backend.lax``)
        # named axes and parallelism (issue 5); each needs ``Backend.parallel``
        "collectives",  # lax.psum/pmean/pmax/pmin/all_gather/axis_index/ppermute/psum_scatter in named vmaps
        "collectives_jit",  # collectives compiled by jit (without it, jit runs such functions uncompiled)
        "pmap",  # pmap across (real or PORTAX_VIRTUAL_DEVICES) devices
        "distributed",  # portax.distributed.initialize and collectives across processes
    }
)

#: The dtype names of the array API standard (plus the low-precision floats most engines have).
DTYPE_NAMES = (
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
)


class Backend(abc.ABC):
    """An array engine that executes portax programs.

    Subclasses set the class attributes below and implement the abstract members. ``__init__`` may import the engine;
    nothing else in the class body may.
    """

    #: Short name used by ``use_backend``/``PORTAX_BACKEND`` (e.g. ``"torch"``).
    name: ClassVar[str]
    #: The pip distribution that provides the backend (named in "not installed" errors).
    distribution: ClassVar[str]
    #: Higher wins when no backend is selected explicitly.
    priority: ClassVar[int] = 0
    #: Top-level module names whose array types belong to this backend (``type(x).__module__`` prefix).
    array_modules: ClassVar[tuple[str, ...]] = ()
    #: Modules that must be importable for the backend to be usable.
    engine_modules: ClassVar[tuple[str, ...]] = ()
    #: True when the engine's own namespace accepts Python scalars, NumPy arrays and lists wherever it accepts arrays,
    #: so the dispatcher passes them through untouched instead of converting them first.
    accepts_array_likes: ClassVar[bool] = False
    #: Module (dotted name) with the backend's PRNG kernels for ``portax.random`` (imported on first use);
    #: None means the backend has no ``portax.random`` support (an UnsupportedError names it).
    random_module: ClassVar[str | None] = None
    #: Module (dotted name) of optional native kernels for ``portax.scipy`` and ``portax.nn`` (imported on first
    #: use). Core looks a kernel up by name and computes with its own formula, or raises
    #: :class:`portax.errors.UnsupportedError` naming the function, when the module or the name is missing.
    scipy_module: ClassVar[str | None] = None
    #: Module (dotted name) of optional native kernels for ``portax.lax`` primitives (imported on first use; a
    #: missing name means core's formula over the namespace is used).
    lax_module: ClassVar[str | None] = None

    @classmethod
    def is_available(cls) -> bool:
        """Whether the engine can be imported (checked without importing it)."""
        return all(importlib.util.find_spec(module) is not None for module in cls.engine_modules)

    # -- what the engine provides -------------------------------------------------------------------------------

    @property
    @abc.abstractmethod
    def array_types(self) -> tuple[type, ...]:
        """The engine's array types, including tracer types; ``isinstance(x, array_types)`` decides ownership."""

    @property
    @abc.abstractmethod
    def numpy(self) -> ModuleType:
        """The namespace implementing ``portax.numpy`` (same names and signatures as the core declarations)."""

    @property
    def numpy_linalg(self) -> ModuleType | None:
        """The namespace implementing ``portax.numpy.linalg``, or None when the capability is missing."""
        return None

    @property
    def numpy_fft(self) -> ModuleType | None:
        """The namespace implementing ``portax.numpy.fft``, or None when the capability is missing."""
        return None

    @property
    @abc.abstractmethod
    def dtypes(self) -> Mapping[str, Any]:
        """The engine's dtype objects by array API name (``"float32"`` -> ``torch.float32``)."""

    @property
    @abc.abstractmethod
    def capabilities(self) -> frozenset[str]:
        """The features this backend provides (names from :data:`KNOWN_CAPABILITIES` or later issues)."""

    @property
    def transforms(self) -> Transforms | None:
        """The transformation primitives (:class:`Transforms`), or None when the backend has none."""
        return None

    @property
    def parallel(self) -> Collectives | None:
        """The named-axis collectives, ``pmap`` and multi-process hooks (:class:`Collectives`), or None."""
        return None

    @property
    def lax(self) -> ControlFlow | None:
        """The control-flow primitives (a :class:`portax.backend.ControlFlow`), or None when missing."""
        return None

    @property
    def debug(self) -> DebugHooks | None:
        """The ``portax.debug`` hooks (:class:`DebugHooks`), or None (``portax.debug`` then raises UnsupportedError)."""
        return None

    #: Optional: ``translate_engine_error(module, name, error)`` gives JAX's exception for an engine error raised by
    #: ``portax.<module>.<name>`` (or None to let it through); the dispatcher wraps the namespace's functions with it
    #: only when a backend defines it (a method), so backends without it pay nothing.
    translate_engine_error: Callable[[str, str, BaseException], BaseException | None] | None = None

    def apply_config(self, name: str, value: Any) -> bool:
        """Follow a process-wide ``portax.config`` option (called on load and on each update of a backend option).

        Args:
            name: the option (``"jax_enable_x64"``, ``"jax_debug_nans"``, ...).
            value: its new value.

        Returns:
            True when the backend handled it itself (core then skips its own fallback, e.g. its NaN check).
        """
        return False

    @property
    def native_functions(self) -> Mapping[str, tuple[Callable[..., Any], Collection[Any] | None]]:
        """Engine functions the dispatcher may call directly: ``{"numpy.add": (torch.add, dtypes or None)}``.

        Only for functions marked ``[native]`` in ``tools/api_names.py``. The dispatcher calls ``fn(*arrays)`` when
        the arrays without a default are all of one of :attr:`array_types` and of one dtype, that dtype is in
        ``dtypes`` (any dtype when None), and every other argument is at its default; ``fn`` must then return what
        the namespace's implementation returns. Read when the backend loads and again when ``jax_enable_x64``
        changes (the mapping may depend on it). Default: none (the implementation is always called).
        """
        return {}

    # -- devices ------------------------------------------------------------------------------------------------

    @abc.abstractmethod
    def devices(self) -> Sequence[Any]:
        """The engine's devices usable by portax, default device first."""

    def local_devices(self) -> Sequence[Any]:
        """The devices attached to this process (all of :meth:`devices` unless several processes run)."""
        return self.devices()

    def device_count(self) -> int:
        """Number of devices from :meth:`devices`."""
        return len(self.devices())

    # -- helpers used by the dispatcher ----------------------------------------------------------------------------

    def owns(self, x: object) -> bool:
        """Whether ``x`` is an array of this backend."""
        return isinstance(x, self.array_types)

    def __repr__(self) -> str:
        return f"<portax backend {self.name!r}>"


class Transforms(abc.ABC):
    """The transformation primitives a backend executes natively (``backend.transforms``).

    Core (``portax.grad``, ``portax.jit``, ...) validates arguments, converts Python scalars and NumPy arrays, checks the
    declared capability, makes the executing backend current, and caches what these methods return per backend; a
    backend implements the JAX semantics of each primitive on its engine. ``fun`` arguments are already wrapped by
    core (argument checks, backend selection). ``argnums`` is an ``int`` or a ``tuple`` of ints as JAX accepts.
    """

    # -- differentiation -------------------------------------------------------------------------------------------

    @abc.abstractmethod
    def value_and_grad(self, fun: Any, argnums: Any, has_aux: bool) -> Any:
        """``jax.value_and_grad``: returns ``f(*args) -> (value, grads)`` or ``((value, aux), grads)``."""

    @abc.abstractmethod
    def grad(self, fun: Any, argnums: Any, has_aux: bool) -> Any:
        """``jax.grad``: returns ``f(*args) -> grads`` or ``(grads, aux)``."""

    @abc.abstractmethod
    def jacfwd(self, fun: Any, argnums: Any, has_aux: bool) -> Any:
        """``jax.jacfwd``."""

    @abc.abstractmethod
    def jacrev(self, fun: Any, argnums: Any, has_aux: bool) -> Any:
        """``jax.jacrev``."""

    @abc.abstractmethod
    def hessian(self, fun: Any, argnums: Any, has_aux: bool) -> Any:
        """``jax.hessian`` (forward over reverse)."""

    @abc.abstractmethod
    def jvp(self, fun: Any, primals: tuple, tangents: tuple, has_aux: bool) -> Any:
        """``jax.jvp``: ``(primals_out, tangents_out)`` (plus ``aux``)."""

    @abc.abstractmethod
    def vjp(self, fun: Any, primals: tuple, has_aux: bool) -> Any:
        """``jax.vjp``: ``(primals_out, pullback)`` (plus ``aux``); the pullback follows JAX's complex convention."""

    @abc.abstractmethod
    def linearize(self, fun: Any, primals: tuple) -> Any:
        """``jax.linearize``: ``(primals_out, f_jvp)``."""

    @abc.abstractmethod
    def stop_gradient(self, x: Any) -> Any:
        """``jax.lax.stop_gradient`` of one array."""

    # -- vectorization and compilation -------------------------------------------------------------------------------

    @abc.abstractmethod
    def vmap(self, fun: Any, in_axes: Any, out_axes: Any, axis_name: Any, axis_size: int | None) -> Any:
        """``jax.vmap``; core has already checked that mapped sizes agree."""

    @abc.abstractmethod
    def jit(
        self,
        fun: Any,
        static_argnums: tuple[int, ...],
        static_argnames: tuple[str, ...],
        donate_argnums: tuple[int, ...],
        options: Mapping[str, Any],
    ) -> Any:
        """``jax.jit``; ``options`` are this backend's entry of ``jit(compile_options=...)``.

        Must raise :class:`portax.errors.ConcretizationError` for a data-dependent Python branch.
        """

    def disable_jit(self) -> Any:
        """A context manager disabling the engine's own jit, entered by ``portax.disable_jit()``."""
        import contextlib

        return contextlib.nullcontext()

    # -- custom rules and memory -------------------------------------------------------------------------------------

    @abc.abstractmethod
    def custom_vjp(self, fun: Any, fwd: Any, bwd: Any, nondiff_argnums: tuple[int, ...]) -> Any:
        """A callable computing ``fun`` whose reverse mode is ``fwd``/``bwd`` (``jax.custom_vjp``)."""

    @abc.abstractmethod
    def custom_jvp(self, fun: Any, jvp: Any, nondiff_argnums: tuple[int, ...]) -> Any:
        """A callable computing ``fun`` whose derivatives come from ``jvp(primals, tangents)`` (``jax.custom_jvp``)."""

    @abc.abstractmethod
    def checkpoint(self, fun: Any, policy: Any, static_argnums: tuple[int, ...], prevent_cse: bool) -> Any:
        """``jax.checkpoint``; ``policy`` is None or a name from ``portax.checkpoint_policies``."""

    # -- shapes, devices, pytrees ----------------------------------------------------------------------------------

    @abc.abstractmethod
    def eval_shape(self, fun: Any, args: tuple, kwargs: dict) -> Any:
        """``jax.eval_shape``: a pytree of ``ShapeDtypeStruct`` without computing."""

    @abc.abstractmethod
    def device_put(self, x: Any, device: Any) -> Any:
        """``jax.device_put`` of one leaf."""

    @abc.abstractmethod
    def block_until_ready(self, x: Any) -> Any:
        """Wait until leaf ``x`` is computed; return it."""

    # Optional hooks (defaults serve a backend without them): profiler scopes, host callbacks, caches.

    def named_scope(self, name: str) -> Any:
        """A context manager naming the operations run inside it in the engine's profiles (default: nothing)."""
        return contextlib.nullcontext()

    def ensure_compile_time_eval(self) -> Any:
        """A context manager evaluating operations on concrete values eagerly while tracing (default: nothing)."""
        return contextlib.nullcontext()

    def pure_callback(self, callback: Any, result_shape_dtypes: Any, args: tuple, kwargs: dict,
                      vmap_method: str | None) -> Any:
        """The engine's own host callback, or ``NotImplemented`` for portax's host path (NumPy in, arrays out)."""
        return NotImplemented

    def clear_caches(self) -> None:  # noqa: B027  (an optional hook, not abstract)
        """Drop the engine's compilation caches (default: nothing)."""

    @abc.abstractmethod
    def register_pytree_node(self, nodetype: type, flatten: Any, unflatten: Any) -> None:
        """Register ``nodetype`` with the engine's pytree machinery (JAX's flatten/unflatten signatures)."""


class Collectives(Protocol):
    """What ``Backend.parallel`` provides (a module with these functions): named-axis collectives, ``pmap`` and
    multi-process hooks. Core has checked the axis names and picks the primitive by JAX's name."""

    def psum(self, x: Any, axis_name: Any) -> Any:
        """``jax.lax.psum`` of one array leaf."""

    def pmean(self, x: Any, axis_name: Any) -> Any:
        """``jax.lax.pmean`` of one array leaf."""

    def pmax(self, x: Any, axis_name: Any) -> Any:
        """``jax.lax.pmax`` of one array leaf."""

    def pmin(self, x: Any, axis_name: Any) -> Any:
        """``jax.lax.pmin`` of one array leaf."""

    def all_gather(self, x: Any, axis_name: Any, axis: int, tiled: bool) -> Any:
        """``jax.lax.all_gather`` of one array leaf."""

    def ppermute(self, x: Any, axis_name: Any, perm: Any) -> Any:
        """``jax.lax.ppermute`` of one array leaf (instances that receive nothing get zeros)."""

    def psum_scatter(self, x: Any, axis_name: Any, scatter_dimension: int, tiled: bool) -> Any:
        """``jax.lax.psum_scatter`` of one array leaf."""

    def axis_index(self, axis_name: Any) -> Any:
        """``jax.lax.axis_index``: this instance's index along the named axis."""

    def axis_size(self, axis_name: Any) -> int:
        """``jax.lax.axis_size`` of one axis name: the number of instances along it (core multiplies over a tuple)."""

    def named_vmap(self, fun: Any, in_axes: tuple, axis_name: Any, size: int, outermost: bool) -> Any:
        """Optional: ``fun`` (flat arrays in, a tuple of arrays out) mapped over the mesh axis ``axis_name`` at out
        axis 0, a leaner form of ``Transforms.vmap`` that ``shard_map`` builds once per plan; a backend without it
        leaves it out and ``shard_map`` uses ``Transforms.vmap``."""

    def sum_over_processes(self, x: Any) -> Any:
        """Every process's ``x`` summed (an all-reduce over all processes): a global array assembled from the
        shards each process holds (``jax.make_array_from_process_local_data`` on a backend without global arrays)."""

    def pmap(self, fun: Any, axis_name: Any, in_axes: Any, out_axes: Any,
             static_broadcasted_argnums: tuple[int, ...], devices: Sequence[Any] | None) -> Any:
        """``jax.pmap``; core has checked the mapped size against the devices."""

    def initialize(self, coordinator_address: str | None, num_processes: int | None, process_id: int | None,
                   local_device_ids: Sequence[int] | None) -> None:
        """``jax.distributed.initialize``."""

    def shutdown(self) -> None:
        """``jax.distributed.shutdown``."""

    def process_index(self) -> int:
        """``jax.process_index``."""

    def process_count(self) -> int:
        """``jax.process_count``."""

    #: Members a backend may leave out: ``process_groups``/``ProcessSpan``/``named_vmap``/``sum_over_processes`` serve
    #: ``shard_map`` and global arrays where portax runs them itself (torch); JAX's own needs none of them.
    optional: ClassVar[frozenset[str]] = frozenset({"process_groups", "ProcessSpan", "named_vmap", "sum_over_processes"})

    def process_groups(self, axis_names: tuple[str, ...], process_grid: tuple[int, ...]) -> dict[str, str]:
        """Axis name -> the engine's process-group name for a mesh laid over processes (optional)."""

    #: The class describing a named axis split over processes, ``ProcessSpan(group, local, total, offset)``
    #: (optional).
    ProcessSpan: Any


class DebugHooks(Protocol):
    """What ``Backend.debug`` provides (a module with these functions) for ``portax.debug`` and ``make_jaxpr``."""

    def callback(self, function: Any, spec: Any, arrays: Sequence[Any], ordered: bool) -> None:
        """Run ``portax.backend.invoke(function, spec, arrays)`` on concrete values: eagerly, inside the engine's jit,
        once per lane under vmap and with primal values under grad."""

    def to_numpy(self, x: Any) -> Any:
        """A concrete array of this backend as a NumPy array."""

    def has_nan(self, x: Any) -> bool:
        """Whether array ``x`` holds a NaN (for ``jax_debug_nans`` when :meth:`Backend.apply_config` leaves it to
        core)."""

    def make_jaxpr(self, fun: Any, static_argnums: tuple[int, ...]) -> Any:
        """``jax.make_jaxpr``: a callable returning the engine's traced program (printable)."""


class RandomHooks(Protocol):
    """What the module named by ``Backend.random_module`` provides for ``portax.random``."""

    #: The samplers: a :class:`portax.backend.ThreefrySamplers` over the backend's random ops (bit-identical to
    #: ``jax.random`` by construction), or an object with the same methods.
    SAMPLERS: Any
