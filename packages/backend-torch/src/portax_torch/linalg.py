"""portax.numpy.linalg on PyTorch."""
