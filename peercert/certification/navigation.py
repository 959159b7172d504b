"""Header navigation entries this app adds, e.g.
NavEntry(_("Applications"), "certification:queue", is_program_staff, order=20)."""

from peercert.core.nav import NavEntry  # noqa: F401

ENTRIES: list = []
