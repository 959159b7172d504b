"""Reads for the benefit's alerts."""
