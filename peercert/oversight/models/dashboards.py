"""oversight: the dashboards part's records."""

__all__: list[str] = []
