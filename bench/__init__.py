"""Benchmarks of Kompas (``make bench``): turn latency, cold start, indexing and memory."""
