"""Forms of the billing app, one module per part."""
