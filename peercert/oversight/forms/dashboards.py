"""oversight: the dashboards part's forms."""
