"""Services for billing's gate."""
