from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    """A header navigation entry, shown to users for whom visible(user) is true."""

    label: str
    url_name: str
    visible: object  # callable(user) -> bool
    order: int = 50
