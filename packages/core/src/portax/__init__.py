"""portax: write JAX-style array code once, run it on JAX/XLA or PyTorch with native arrays.

``import portax as jax`` gives JAX's public names; submodules load lazily, and no engine (jax, torch) is imported
until an array or a backend is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from portax import errors as errors
from portax._src.backend import Backend as Backend
from portax._src.collectives import pmap as pmap
from portax._src.config import (
    config as config,
    disable_x64 as disable_x64,
    enable_x64 as enable_x64,
)
from portax._src.debug import device_get as device_get, make_jaxpr as make_jaxpr
from portax._src.distributed import (
    host_count as host_count,
    host_id as host_id,
    host_ids as host_ids,
    process_count as process_count,
    process_index as process_index,
    process_indices as process_indices,
)
from portax._src.registry import (
    backend_of as backend_of,
    backends as backends,
    current_backend as current_backend,
    get_backend as get_backend,
    register_backend as register_backend,
    set_backend as set_backend,
    use_backend as use_backend,
)
from portax._src.sharding import (
    Device as Device,
    NamedSharding as NamedSharding,
    P as P,
    Shard as Shard,
    make_array_from_callback as make_array_from_callback,
    make_array_from_process_local_data as make_array_from_process_local_data,
    make_array_from_single_device_arrays as make_array_from_single_device_arrays,
    make_mesh as make_mesh,
    reshard as reshard,
    set_mesh as set_mesh,
    shard_map as shard_map,
    smap as smap,
)
from portax._src.toplevel import (
    clear_caches as clear_caches,
    custom_gradient as custom_gradient,
    default_backend as default_backend,
    ensure_compile_time_eval as ensure_compile_time_eval,
    fwd_and_bwd as fwd_and_bwd,
    linear_transpose as linear_transpose,
    local_devices as local_devices,
    named_call as named_call,
    named_scope as named_scope,
    print_environment_info as print_environment_info,
    pure_callback as pure_callback,
    typeof as typeof,
)
from portax._src.transforms import (
    ShapeDtypeStruct as ShapeDtypeStruct,
    block_until_ready as block_until_ready,
    checkpoint as checkpoint,
    checkpoint_policies as checkpoint_policies,
    custom_jvp as custom_jvp,
    custom_vjp as custom_vjp,
    device_count as device_count,
    device_put as device_put,
    devices as devices,
    disable_jit as disable_jit,
    eval_shape as eval_shape,
    grad as grad,
    hessian as hessian,
    jacfwd as jacfwd,
    jacobian as jacobian,
    jacrev as jacrev,
    jit as jit,
    jvp as jvp,
    linearize as linearize,
    local_device_count as local_device_count,
    remat as remat,
    stop_gradient as stop_gradient,
    value_and_grad as value_and_grad,
    vjp as vjp,
    vmap as vmap,
)
from portax._src.typing import Array as Array

__version__ = "0.1.0"

_LAZY_SUBMODULES = (
    "backend",
    "debug",
    "distributed",
    "dtypes",
    "example_libraries",
    "experimental",
    "image",
    "lax",
    "nn",
    "numpy",
    "ops",
    "random",
    "scipy",
    "sharding",
    "test_util",
    "tree",
    "tree_util",
    "typing",
)


if TYPE_CHECKING:  # type checkers see the submodules; at run time they load on first use (PEP 562)
    from portax import (
        backend as backend,
        debug as debug,
        distributed as distributed,
        dtypes as dtypes,
        example_libraries as example_libraries,
        experimental as experimental,
        image as image,
        lax as lax,
        nn as nn,
        numpy as numpy,
        random as random,
        scipy as scipy,
        sharding as sharding,
        test_util as test_util,
        tree as tree,
        tree_util as tree_util,
        typing as typing,
    )
else:

    def __getattr__(name: str) -> Any:
        if name in _LAZY_SUBMODULES:
            return importlib.import_module(f"portax.{name}")
        raise AttributeError(f"module 'portax' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY_SUBMODULES])
