"""Reads for the benefit's workforce."""
