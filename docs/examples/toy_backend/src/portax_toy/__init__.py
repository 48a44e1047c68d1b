"""portax-toy: a toy portax backend on NumPy (the worked example of docs/writing-a-backend.md).

Importing this module is cheap; the class body names no engine object, so portax can read ``name``, ``priority``
and ``array_modules`` without importing anything heavy. NumPy is imported when the backend is instantiated.
"""

from portax_toy.backend import ToyBackend

__all__ = ["ToyBackend"]
