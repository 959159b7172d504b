"""Header navigation entries this app adds."""

from peercert.core.nav import NavEntry  # noqa: F401

ENTRIES: list = []
