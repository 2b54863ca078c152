"""Benchmark harness (figures, not pass/fail): ``python -m parity.bench --sizes demo 10x``."""
