"""Service lines and eligibility months partitioned by month on PostgreSQL (issue 20, point 6).

Each table is made again as a partitioned table (RANGE on service_date / month) with the same columns,
identity, defaults, checks, foreign keys and index names; its primary key becomes (id, <key>) at the
database level (Django keeps id as the pk; ids stay unique, drawn from one identity sequence). The
rows move over in one INSERT ... SELECT; partitions are made for every month the rows have, this month
and MONTHS_AHEAD more, and a default partition takes anything else. 0003 already dropped the database
constraints of the foreign keys pointing AT these tables (a partitioned table's id is not unique alone).
SQLite (development) keeps plain tables. Reversed, the tables become plain tables again.

Frozen here on purpose (a migration must not change when app code does): the partition naming and
fillfactors are those of billing/partitions.py, which the daily job uses from then on.
"""

import datetime

from django.db import migrations
from django.utils import timezone

TABLES = {"billing_serviceline": ("service_date", 50), "billing_eligibilitymonth": ("month", 90)}
MONTHS_AHEAD = 3


def _months(first: datetime.date, last: datetime.date):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _rebuild(cursor, table: str, *, partition_by: str | None, fillfactor: int) -> None:
    """Make `table` again (partitioned by partition_by, or plain when None) with its rows, constraints and indexes."""
    old = f"{table}_before"
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s", [table]
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "ORDER BY conname",
        [table],
    )
    constraints = cursor.fetchall()
    unique = [name for name, kind, _d in constraints if kind == "u"]
    if unique:
        raise RuntimeError(f"{table} has unique constraints {unique}: a partitioned table needs the key in them")
    backing = {name for name, kind, _d in constraints if kind in ("p", "u")}
    cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
    for name, kind, _d in constraints:
        if kind in ("p", "f"):
            cursor.execute(f'ALTER TABLE {old} DROP CONSTRAINT "{name}"')
    for name, _d in indexes:
        if name not in backing:
            cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute(f"ALTER SEQUENCE IF EXISTS {table}_id_seq RENAME TO {old}_id_seq")
    how = f" PARTITION BY RANGE ({partition_by})" if partition_by else ""
    cursor.execute(
        f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS){how}"
    )
    key = partition_by
    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id{', ' + key if key else ''})")
    if key:
        cursor.execute(f"SELECT min({key}), max({key}) FROM {old}")
        low, high = cursor.fetchone()
        today = timezone.localdate()
        ahead = today.replace(day=1)
        for _ in range(MONTHS_AHEAD):
            ahead = datetime.date(ahead.year + ahead.month // 12, ahead.month % 12 + 1, 1)
        for month in _months(min(low or today, today), max(high or ahead, ahead)):
            end = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
            cursor.execute(
                f"CREATE TABLE {table}_p{month:%Y_%m} PARTITION OF {table} FOR VALUES FROM (%s) TO (%s) "
                f"WITH (fillfactor = {fillfactor})",
                [month, end],
            )
        cursor.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT WITH (fillfactor = {fillfactor})")
    for name, kind, definition in constraints:
        if kind == "f":
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        if name not in backing:
            cursor.execute(definition.replace(f" ON {old} ", f" ON {table} ").replace(f" ON public.{old} ", f" ON public.{table} "))
    cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")  # noqa: S608 - our own names
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}")
    cursor.execute(f"DROP TABLE {old}")
    cursor.execute(f"ANALYZE {table}")


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, (key, fillfactor) in TABLES.items():
            _rebuild(cursor, table, partition_by=key, fillfactor=fillfactor)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            _rebuild(cursor, table, partition_by=None, fillfactor=100)


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_lean_indexes")]

    operations = [migrations.RunPython(partition, unpartition)]
