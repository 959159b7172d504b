"""Forms for the benefit's workforce."""
