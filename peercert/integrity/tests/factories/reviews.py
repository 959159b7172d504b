"""Factories for integrity's reviews part."""

__all__: list[str] = []
