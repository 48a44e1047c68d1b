"""``portax.numpy`` on PyTorch, with JAX's semantics on ``torch.Tensor``.

The implementation is split by area; this module only gathers the names the dispatcher looks up.
"""

from portax_torch._numpy_base import *  # noqa: F403
from portax_torch._numpy_extra import *  # noqa: F403
from portax_torch._numpy_more import *  # noqa: F403
