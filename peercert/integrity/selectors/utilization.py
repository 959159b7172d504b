"""integrity: the utilization part's selectors."""

__all__: list[str] = []
