"""oversight: the dashboards part's services."""

__all__: list[str] = []
