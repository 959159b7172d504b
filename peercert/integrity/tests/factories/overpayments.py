"""Factories for integrity's overpayments part."""

__all__: list[str] = []
