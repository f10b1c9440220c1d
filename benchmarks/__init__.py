"""Benchmarks: `make bench` or `python -m benchmarks.run` (see BENCHMARKS.md)."""
