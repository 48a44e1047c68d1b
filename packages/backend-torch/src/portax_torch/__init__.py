"""portax backend on PyTorch. Importing this package does not import torch; instantiating the backend does."""

from portax_torch.backend import TorchBackend as TorchBackend

__all__ = ["TorchBackend"]
