from django.db import migrations

from peercert.core import audit_guard


def add_guard(apps, schema_editor):
    for sql in audit_guard.install(schema_editor.connection):
        schema_editor.execute(sql)


def drop_guard(apps, schema_editor):
    for sql in audit_guard.remove(schema_editor.connection):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    """TRUNCATE is refused on PostgreSQL; UPDATE and DELETE are refused on SQLite too (issue 11 finding 9)."""

    dependencies = [("core", "0004_jobrun")]

    operations = [migrations.RunPython(add_guard, drop_guard)]
