import datetime
import uuid

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from peercert.core.audit import audit_record
from peercert.core.models import AppendOnlyError, AuditEvent
from peercert.core.selectors import audit_event_list


@pytest.fixture
def event(db):
    return audit_record(
        actor=None,
        action="test.thing",
        object_type="core.test",
        object_id=7,
        before={"a": 1},
        after={"a": 2},
        reason="because",
    )


def test_audit_record_keeps_who_what_when_why(event):
    assert event.actor_label == "system"
    assert (event.action, event.object_type, event.object_id) == ("test.thing", "core.test", "7")
    assert event.before == {"a": 1} and event.after == {"a": 2} and event.reason == "because"
    assert event.at is not None


def test_orm_cannot_update_or_delete(event):
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["reason"])
    assert AuditEvent.objects.get(pk=event.pk).reason == "because"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s OR 1 = 1",
    ],
)
def test_raw_sql_cannot_update_or_delete(event, sql):
    """On both databases: a trigger refuses, whatever the ORM is bypassed with."""
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "because"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_raw_truncate_is_refused_on_postgresql():
    # Transactional: inside a test's open transaction PostgreSQL refuses TRUNCATE for pending
    # foreign-key checks, which would hide whether the trigger refuses it.
    event = audit_record(actor=None, action="test.thing", object_type="core.test", object_id=7)
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_insert_still_works(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_label, action, object_type, object_id, object_repr, reason, "
            "request_id) VALUES (%s, 'system', 'test.raw', 'core.test', '8', '', '', %s)",
            [event.at, uuid.uuid4().hex],
        )
    assert AuditEvent.objects.filter(action="test.raw").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_test_flush_still_empties_audit_events_and_leaves_the_guard_in_place():
    """Transactional tests end with Django's flush; it must get past the guard, and only for itself."""
    from django.core.management import call_command

    audit_record(actor=None, action="test.flush", object_type="core.test", object_id=9)
    call_command("flush", verbosity=0, interactive=False)
    assert not AuditEvent.objects.exists()
    event = audit_record(actor=None, action="test.flush", object_type="core.test", object_id=10)
    statements = ["DELETE FROM core_auditevent"]
    if connection.vendor == "postgresql":
        statements.append("TRUNCATE core_auditevent")
    for sql in statements:
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_viewer_filters_by_actor_object_and_date(db, role_users, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC))
    auditor = role_users["auditor"]
    audit_record(actor=auditor, action="person.update", object_type="accounts.person", object_id=1)
    time_machine.move_to(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC))
    audit_record(actor=None, action="certification.expire", object_type="certification.certification", object_id=2)
    assert [e.action for e in audit_event_list(actor_email="auditor@")] == ["person.update"]
    assert [e.object_id for e in audit_event_list(object_type="certification.certification")] == ["2"]
    assert [e.action for e in audit_event_list(date_from=datetime.date(2026, 3, 15))] == ["certification.expire"]
    assert [e.action for e in audit_event_list(date_to=datetime.date(2026, 3, 15))] == ["person.update"]


def test_viewer_page_shows_events_and_explains_bad_dates(role_users, as_user, event):
    client = as_user(role_users["auditor"])
    page = client.get("/audit/", {"object_type": "core.test"})
    assert page.status_code == 200 and b"test.thing" in page.content
    bad = client.get("/audit/", {"date_from": "31/12/2026"})
    assert "is not a date" in bad.content.decode()
