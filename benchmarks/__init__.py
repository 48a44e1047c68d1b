"""portax's cross-backend benchmark suite: one harness, workloads defined once, run on every installed backend.

Run ``python -m benchmarks --help``; docs/benchmarks.md describes the workloads and the measured figures.
"""
