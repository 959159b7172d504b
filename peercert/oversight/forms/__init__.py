"""Forms of the oversight app, one module per part."""
