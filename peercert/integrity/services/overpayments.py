"""integrity: the overpayments part's services."""

__all__: list[str] = []
