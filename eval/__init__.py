"""Evaluation: retrieval benchmarks."""
