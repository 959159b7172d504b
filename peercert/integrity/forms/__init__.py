"""Forms of the integrity app, one module per part."""
