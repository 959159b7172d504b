"""Monthly partitions of the billing tables at statewide volume (PostgreSQL declarative partitioning).

billing_serviceline is partitioned by RANGE (service_date) and billing_eligibilitymonth by RANGE (month),
one partition a month (`<table>_pYYYY_MM`) and a default partition (`<table>_default`) so that no
insert ever fails for want of one. Migration 0004_partitioned_lines_and_months turned the tables into
partitioned ones and made the months of the rows they had, and a few ahead; the daily job
`billing.partitions` (billing/jobs.py) keeps MONTHS_AHEAD months made ahead of today. A month whose rows
already went to the default partition (a service date years back, say) gets its own partition too, the
rows moved out of the default in the same transaction. SQLite (development) keeps plain tables: every
function here does nothing there.

Service lines' partitions are made with fillfactor 50: the gate's one UPDATE of a batch (status and
charge, neither indexed) then finds room for the new row version on the same page, a heap-only update
that writes no index.
"""

import datetime

from django.db import connection

from peercert.core.dates import add_months

__all__ = [
    "MONTHS_AHEAD",
    "TABLES",
    "partitioned",
    "partition_name",
    "month_partitions",
    "ensure_month",
    "ensure_ahead",
]

# How many months ahead of this one the daily job keeps made (operations, not program rules).
MONTHS_AHEAD = 3
# table: (partition key, fillfactor of its partitions)
TABLES = {"billing_serviceline": ("service_date", 50), "billing_eligibilitymonth": ("month", 90)}


def partitioned(table: str) -> bool:
    """True where the table is a partitioned table (PostgreSQL after migration 0004)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return bool(row and row[0])


def partition_name(table: str, month: datetime.date) -> str:
    return f"{table}_p{month:%Y_%m}"


def month_partitions(table: str) -> list[str]:
    """The table's monthly partitions, by name, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) AND c.relname <> %s ORDER BY c.relname",
            [table, f"{table}_default"],
        )
        return [row[0] for row in cursor.fetchall()]


def ensure_month(table: str, month: datetime.date) -> bool:
    """Make the month's partition if it is missing (True when made). Idempotent; one month's rows that
    went to the default partition move to the new one. The caller holds the transaction."""
    month = month.replace(day=1)
    name = partition_name(table, month)
    key, fillfactor = TABLES[table]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if cursor.fetchone()[0]:
            return False
        default = f"{table}_default"
        start, end = month, add_months(month, 1)
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {default} WHERE {key} >= %s AND {key} < %s)", [start, end])  # noqa: S608 - our names
        if cursor.fetchone()[0]:
            # A default partition holding the month's rows refuses the new partition: take it off, make the
            # month, move its rows, and put the default back, all in the caller's transaction.
            cursor.execute(f"ALTER TABLE {table} DETACH PARTITION {default}")
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {table} FOR VALUES FROM (%s) TO (%s) WITH (fillfactor = {fillfactor})",
                [start, end],
            )
            cursor.execute(
                f"WITH moved AS (DELETE FROM {default} WHERE {key} >= %s AND {key} < %s RETURNING *) "  # noqa: S608
                f"INSERT INTO {table} SELECT * FROM moved",
                [start, end],
            )
            cursor.execute(f"ALTER TABLE {table} ATTACH PARTITION {default} DEFAULT")
        else:
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {table} FOR VALUES FROM (%s) TO (%s) WITH (fillfactor = {fillfactor})",
                [start, end],
            )
    return True


def ensure_ahead(today: datetime.date, months_ahead: int = MONTHS_AHEAD) -> dict:
    """This month's partition and months_ahead more, for every partitioned billing table: counts made."""
    made = {}
    for table in TABLES:
        made[table] = 0
        if not partitioned(table):
            continue
        first = today.replace(day=1)
        for step in range(months_ahead + 1):
            made[table] += ensure_month(table, add_months(first, step))
    return made
