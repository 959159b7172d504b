"""oversight: the reports part's records."""

__all__: list[str] = []
