"""Work queues shown on each role's home page.

Apps register a provider for a role from their AppConfig.ready(); the home page asks
every provider for the signed-in user's roles. core imports no app, so registration
flows upward without cycles.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class WorkItem:
    label: str
    url: str = ""
    detail: str = ""


@dataclass
class WorkList:
    title: str
    items: list[WorkItem] = field(default_factory=list)
    count: int | None = None
    more_url: str = ""
    empty_text: str = ""


_providers: dict[str, list[Callable]] = {}


def register(role: str, provider: Callable) -> None:
    """provider(user, assignment) -> WorkList | None."""
    if provider not in _providers.setdefault(role, []):
        _providers[role].append(provider)


def worklists_for(role: str, user, assignment) -> list[WorkList]:
    out = []
    for provider in _providers.get(role, []):
        result = provider(user, assignment)
        if result is not None:
            out.append(result)
    return out
