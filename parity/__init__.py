"""Parity: fair, normalized contact-center benchmarks."""
