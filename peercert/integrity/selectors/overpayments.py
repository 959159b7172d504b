"""integrity: the overpayments part's selectors."""

__all__: list[str] = []
