"""Reference data that migrations load, callable again for tests that empty the tables."""

from importlib import import_module


def load_all(apps) -> None:
    import_module("peercert.core.migrations.0002_append_only_and_rules").seed_rules(apps, None)
    import_module("peercert.accounts.migrations.0002_counties_programs_dhcs").load(apps, None)
