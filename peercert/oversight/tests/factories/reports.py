"""Factories for oversight's reports part."""

__all__: list[str] = []
