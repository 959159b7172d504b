from django.db import migrations

PG_TRIGGER = """
CREATE OR REPLACE FUNCTION core_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'core_auditevent is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_change();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_refuse_change();
"""


def add_trigger(apps, schema_editor):
    # PostgreSQL is the production database and the one the rule is proven on. SQLite keeps
    # the ORM-level refusal only: its test flush deletes rows and cannot be told apart.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)


def seed_rules(apps, schema_editor):
    import datetime

    from peercert.core.rules import seeded_rules

    ProgramRuleSet = apps.get_model("core", "ProgramRuleSet")
    ProgramRuleSet.objects.get_or_create(
        version="2021.1",
        defaults={
            "effective_from": datetime.date(2021, 7, 1),
            "rules": seeded_rules(),
            "notes": "Seeded from the program's published schedule (fees, hours, windows, deadlines).",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(seed_rules, migrations.RunPython.noop),
    ]
