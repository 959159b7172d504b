"""integrity: the utilization part's records."""

__all__: list[str] = []
