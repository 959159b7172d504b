"""Reads for the benefit's rates."""
