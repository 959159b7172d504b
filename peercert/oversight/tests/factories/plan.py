"""Factories for oversight's plan part."""

__all__: list[str] = []
