"""Forms of the benefit app, one module per part."""
