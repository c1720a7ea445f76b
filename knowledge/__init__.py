"""Guidance corpus, its index and search."""
