"""Evaluation suite for maintainers (``kompas eval``)."""
