"""Services for billing's claims."""
