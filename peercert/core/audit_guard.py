"""The database's own refusal to change audit history.

The ORM already refuses (AuditEventQuerySet, AuditEvent.save/delete); these triggers make raw SQL
refuse too:

- PostgreSQL: a row trigger refuses UPDATE and DELETE (migration 0002) and a statement trigger
  refuses TRUNCATE, which row triggers never see. The real barrier in production is the app's
  database role, which has no UPDATE, DELETE or TRUNCATE on the table (docs/operations.md).
- SQLite: BEFORE UPDATE and BEFORE DELETE triggers that RAISE(ABORT). SQLite has no roles: whoever
  can write the file can drop a trigger, so here they guard against mistakes and injected SQL only.
  A migration that makes SQLite rebuild core_auditevent (most column changes) drops its triggers
  with the old table and must install them again; test_audit.py notices if they are gone.

There is no switch the app's own connection can flip to let a change through. The one way past is
DDL (disable or drop the trigger), which on PostgreSQL only the table's owner, the migration role,
may run. The test suite needs that way: Django empties every table after a transactional or
live-server test (``flush``: TRUNCATE on PostgreSQL, DELETE on SQLite). ``flush_sql`` wraps the
flush's statements in "lift the guard ... put it back", in the same transaction as the flush, so a
failed flush rolls the guard back into place too; the root conftest.py applies it to the flush
command for the tests.
"""

TABLE = "core_auditevent"

PG_TRUNCATE_TRIGGER = "core_auditevent_no_truncate"
PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION core_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'core_auditevent is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {PG_TRUNCATE_TRIGGER} ON {TABLE};
CREATE TRIGGER {PG_TRUNCATE_TRIGGER}
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse_change();
"""
PG_REMOVE = f"DROP TRIGGER IF EXISTS {PG_TRUNCATE_TRIGGER} ON {TABLE};"

SQLITE_TRIGGERS = {
    f"{TABLE}_no_{op.lower()}": f"""
CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE}
BEGIN
    SELECT RAISE(ABORT, 'core_auditevent is append-only: {op} refused');
END"""
    for op in ("UPDATE", "DELETE")
}


def install(connection) -> list[str]:
    """The statements that put the guard this module adds in place (for a migration)."""
    if connection.vendor == "postgresql":
        return [PG_INSTALL]
    if connection.vendor == "sqlite":
        return list(SQLITE_TRIGGERS.values())
    return []


def remove(connection) -> list[str]:
    if connection.vendor == "postgresql":
        return [PG_REMOVE]
    if connection.vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    return []


def flush_sql(connection, sql_list: list[str]) -> list[str]:
    """A flush's statements with the guard lifted before them and put back after them."""
    if not sql_list or TABLE not in connection.introspection.table_names():
        return sql_list
    if connection.vendor == "postgresql":
        # TRUNCATE never fires the row trigger; only the statement trigger stands in the way.
        lift = [f"ALTER TABLE {TABLE} DISABLE TRIGGER {PG_TRUNCATE_TRIGGER};"]
        restore = [f"ALTER TABLE {TABLE} ENABLE TRIGGER {PG_TRUNCATE_TRIGGER};"]
    elif connection.vendor == "sqlite":
        lift, restore = remove(connection), install(connection)
    else:
        return sql_list
    return [*lift, *sql_list, *restore]
