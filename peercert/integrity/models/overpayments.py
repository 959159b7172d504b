"""integrity: the overpayments part's records."""

__all__: list[str] = []
