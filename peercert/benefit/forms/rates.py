"""Forms for the benefit's rates."""
