"""Deterministic rule tools: facts in, cited verdicts out. Pure Python and data files."""
