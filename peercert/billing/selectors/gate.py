"""Reads for billing's gate."""
