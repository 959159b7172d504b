"""oversight: the dashboards part's selectors."""

__all__: list[str] = []
