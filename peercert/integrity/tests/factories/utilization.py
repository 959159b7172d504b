"""Factories for integrity's utilization part."""

__all__: list[str] = []
