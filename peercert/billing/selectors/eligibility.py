"""Reads for billing's eligibility."""
