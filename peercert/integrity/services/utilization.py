"""integrity: the utilization part's services."""

__all__: list[str] = []
