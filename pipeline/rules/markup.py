"""Placeholder being written in parallel; registers nothing yet."""
