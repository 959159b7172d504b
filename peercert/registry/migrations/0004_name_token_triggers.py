"""Keep registry_nametoken and registry_nameword in step with certification_certification (PostgreSQL).

Statement-level AFTER triggers with transition tables, so a bulk insert or update (an import, the
benchmark's INSERT ... SELECT, a sweep) maintains the tokens in one set-based statement per table,
not one per row. A certification whose sort_name and number did not change in an UPDATE keeps its
tokens untouched. The existing rows are tokenized once here. SQLite (development) skips all of it:
there the search reads the certification table (peercert/registry/search.py).
"""

from django.db import migrations

# Words of a sort_name: it is folded and single-spaced (core.text.fold), so a split on spaces suffices.
WORDS = "regexp_split_to_table(c.sort_name, ' ')"

TOKENS = f"""
        INSERT INTO registry_nametoken (certification_id, token, sort_name, number)
        SELECT DISTINCT c.id, w, c.sort_name, c.number
        FROM new_rows c CROSS JOIN LATERAL {WORDS} AS w
        WHERE w <> '' {{changed}}
        ON CONFLICT (certification_id, token) DO UPDATE SET sort_name = EXCLUDED.sort_name, number = EXCLUDED.number;
        INSERT INTO registry_nameword (token)
        SELECT DISTINCT w FROM new_rows c CROSS JOIN LATERAL {WORDS} AS w WHERE w <> '' {{changed}}
        ON CONFLICT (token) DO NOTHING;
"""
UNCHANGED = "SELECT 1 FROM {a} x WHERE x.id = {b}.id AND x.sort_name = {b}.sort_name AND x.number = {b}.number"
# Status counts: what left each status and what came to it, applied in status order (no deadlock).
COUNTS = """
        INSERT INTO registry_statuscount (status, certifications)
        SELECT status, sum(delta) FROM ({moved}) moved GROUP BY status HAVING sum(delta) <> 0 ORDER BY status
        ON CONFLICT (status) DO UPDATE SET certifications = registry_statuscount.certifications + EXCLUDED.certifications;
"""


def _function(name: str, body: str) -> str:
    return f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\n  RETURN NULL;\nEND $$"


CREATE = [
    _function(
        "registry_tokens_inserted",
        TOKENS.format(changed="") + COUNTS.format(moved="SELECT status, 1 AS delta FROM new_rows"),
    ),
    _function(
        "registry_tokens_updated",
        "        DELETE FROM registry_nametoken t USING old_rows o WHERE t.certification_id = o.id AND NOT EXISTS ("
        + UNCHANGED.format(a="new_rows", b="o")
        + ");\n"
        + TOKENS.format(changed="AND NOT EXISTS (" + UNCHANGED.format(a="old_rows", b="c") + ")")
        + COUNTS.format(
            moved="SELECT status, 1 AS delta FROM new_rows UNION ALL SELECT status, -1 FROM old_rows"
        ),
    ),
    _function(
        "registry_tokens_deleted",
        "        DELETE FROM registry_nametoken t USING old_rows o WHERE t.certification_id = o.id;\n"
        + COUNTS.format(moved="SELECT status, -1 AS delta FROM old_rows"),
    ),
    "CREATE TRIGGER registry_tokens_insert AFTER INSERT ON certification_certification "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_tokens_inserted()",
    "CREATE TRIGGER registry_tokens_update AFTER UPDATE ON certification_certification "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_tokens_updated()",
    "CREATE TRIGGER registry_tokens_delete AFTER DELETE ON certification_certification "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_tokens_deleted()",
    f"""
    INSERT INTO registry_nametoken (certification_id, token, sort_name, number)
    SELECT DISTINCT c.id, w, c.sort_name, c.number
    FROM certification_certification c CROSS JOIN LATERAL {WORDS} AS w WHERE w <> ''
    ON CONFLICT DO NOTHING
    """,
    f"""
    INSERT INTO registry_nameword (token)
    SELECT DISTINCT w FROM certification_certification c CROSS JOIN LATERAL {WORDS} AS w WHERE w <> ''
    ON CONFLICT DO NOTHING
    """,
    "INSERT INTO registry_statuscount (status, certifications) SELECT status, count(*) "
    "FROM certification_certification GROUP BY status ON CONFLICT DO NOTHING",
    # What a person typed is found among the words by a trigram index (pg_trgm: registry migration 0001).
    "CREATE INDEX IF NOT EXISTS registry_nameword_trgm ON registry_nameword USING gin (token gin_trgm_ops)",
]
DROP = [
    "DROP TRIGGER IF EXISTS registry_tokens_insert ON certification_certification",
    "DROP TRIGGER IF EXISTS registry_tokens_update ON certification_certification",
    "DROP TRIGGER IF EXISTS registry_tokens_delete ON certification_certification",
    "DROP FUNCTION IF EXISTS registry_tokens_inserted()",
    "DROP FUNCTION IF EXISTS registry_tokens_updated()",
    "DROP FUNCTION IF EXISTS registry_tokens_deleted()",
    "DELETE FROM registry_nametoken",
    "DELETE FROM registry_nameword",
    "DELETE FROM registry_statuscount",
    "DROP INDEX IF EXISTS registry_nameword_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_name_tokens")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
