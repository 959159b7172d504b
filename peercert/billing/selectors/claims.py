"""Reads for billing's claims."""
