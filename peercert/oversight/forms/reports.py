"""oversight: the reports part's forms."""
