"""oversight: the plan part's selectors."""

__all__: list[str] = []
