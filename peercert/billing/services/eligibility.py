"""Services for billing's eligibility."""
