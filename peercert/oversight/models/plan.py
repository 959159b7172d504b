"""oversight: the plan part's records."""

__all__: list[str] = []
