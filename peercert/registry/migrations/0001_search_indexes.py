"""Indexes that keep the public registry's searches fast on PostgreSQL.

Name search is a `contains` on the folded name (accounts_person.search_name), which a
B-tree cannot serve; a trigram GIN index can. SQLite (development) skips this.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS registry_person_search_name_trgm ON accounts_person USING gin (search_name gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS registry_person_search_name_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_counties_programs_dhcs"),
        ("certification", "0001_initial"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
