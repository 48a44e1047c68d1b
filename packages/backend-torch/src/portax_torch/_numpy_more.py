"""Indexing (.at[]), sorting, searching, sets, statistics, polynomials and convolution of portax.numpy on torch."""

from __future__ import annotations

__all__: list[str] = []
