"""portax.numpy.fft on PyTorch."""
