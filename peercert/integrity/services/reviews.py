"""integrity: the reviews part's services."""

__all__: list[str] = []
