"""Services for the benefit's workforce."""
