"""oversight: the reports part's selectors."""

__all__: list[str] = []
