"""Indexes for `updated_since` (the registry API for syncing), on SQLite and PostgreSQL alike.

A public record changes when its certification row is saved, when a specialization is added, or
when the holder's person row is saved (a name change). registry.selectors.changed_since reads the
three `updated_at` columns as one UNION of range scans; these indexes keep each scan off the table.
They are the registry's reads, so they live with the registry, as 0001's trigram index does.
"""

from django.db import migrations

INDEXES = [
    ("registry_cert_updated_at", "certification_certification"),
    ("registry_certspec_updated_at", "certification_certificationspecialization"),
    ("registry_person_updated_at", "accounts_person"),
]


def create(apps, schema_editor):
    for name, table in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} (updated_at)")


def drop(apps, schema_editor):
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_search_indexes"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
