"""Factories for oversight's dashboards part."""

__all__: list[str] = []
