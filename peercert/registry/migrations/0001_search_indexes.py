"""Indexes that keep the public registry's searches fast on PostgreSQL.

Name search is a `contains` on the holder's folded name (Person.search_name, copied to
certification_certification.sort_name so that filter, order and limit run on one table),
which a B-tree cannot serve; a trigram GIN index can. SQLite (development) skips this.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # fastupdate off: a GIN pending list is scanned linearly by every search until vacuum
    # merges it; people are added rarely and looked up constantly, so writes pay instead.
    "CREATE INDEX IF NOT EXISTS registry_cert_sort_name_trgm ON certification_certification "
    "USING gin (sort_name gin_trgm_ops) WITH (fastupdate = off)",
]
DROP = ["DROP INDEX IF EXISTS registry_cert_sort_name_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_initial"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
