"""oversight: the plan part's forms."""
