"""integrity: the reviews part's selectors."""

__all__: list[str] = []
