"""integrity: the reviews part's records."""

__all__: list[str] = []
