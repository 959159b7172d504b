"""Forms for billing's eligibility."""
