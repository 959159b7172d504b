"""Forms for billing's claims."""
