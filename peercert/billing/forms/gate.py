"""Forms for billing's gate."""
