"""Benchmarks that take minutes to hours; not part of the test suite."""
