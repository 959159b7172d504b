"""integrity: the utilization part's forms."""
