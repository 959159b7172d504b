"""Services for the benefit's rates."""
