"""oversight: the plan part's services."""

__all__: list[str] = []
