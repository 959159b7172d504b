"""oversight: the reports part's services."""

__all__: list[str] = []
