"""Forms for the benefit's alerts."""
