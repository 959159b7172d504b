"""Services for the benefit's alerts."""
