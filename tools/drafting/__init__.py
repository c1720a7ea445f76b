"""Drafting: documents an owner can send or file, rendered from a tool's verdict."""
