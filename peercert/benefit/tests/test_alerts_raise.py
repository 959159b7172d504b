"""Employers told at once: a certification status change raises alerts, notifications and signed webhook
events for exactly the counties that employ the peer, once, set-based even for the daily sweeps."""

import datetime
import hashlib
import hmac
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from peercert.accounts.models import Person
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.benefit.audit import AuditAction
from peercert.benefit.models import (
    AlertStatus,
    DeliveryStatus,
    EmploymentStatus,
    Webhook,
    WebhookDelivery,
    WebhookStatus,
    WorkforceAlert,
)
from peercert.benefit.services import workforce_alerts_catch_up, workforce_alerts_raise
from peercert.benefit.tests.factories import LocalReceiver, WebhookFactory, county, open_employment
from peercert.certification.jobs import certifications_expire
from peercert.certification.models import CertificationStatusChange
from peercert.certification.services import certification_change_status
from peercert.certification.tests.factories import CertificationFactory
from peercert.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 17, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _suspend(certification, captured):
    with captured(execute=True):
        certification_change_status(
            actor=None,
            certification=certification,
            to_status="suspended",
            reason="Suspended pending investigation.",
            source="discipline",
        )


@override_settings(DEBUG=True)  # http to the local receiver on 127.0.0.1 is allowed only in DEBUG
def test_a_suspension_reaches_exactly_the_counties_that_employ_the_peer_once_and_signed(
    frozen, django_capture_on_commit_callbacks
):
    peer = PersonFactory()
    certification = CertificationFactory(person=peer)
    la, fresno, kern = county("Los Angeles"), county("Fresno"), county("Kern")
    open_employment(peer, "Los Angeles")
    open_employment(peer, "Los Angeles", status=EmploymentStatus.RECORDED, hired_on=None)  # two jobs, one alert
    open_employment(peer, "Fresno")
    open_employment(
        peer,
        "Kern",
        status=EmploymentStatus.ENDED,
        end_on=datetime.date(2025, 12, 31),
        end_reason="resigned",
    )
    la_staff = user_with_role(Role.COUNTY_STAFF)
    la_billing = user_with_role(Role.COUNTY_BILLING)
    fresno_staff = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    kern_staff = user_with_role(Role.COUNTY_STAFF, county_name="Kern")
    with LocalReceiver() as receiver:
        la_hook = WebhookFactory(county=la, url=receiver.url("/19"))
        fresno_hook = WebhookFactory(county=fresno, url=receiver.url("/10"))
        WebhookFactory(county=kern, url=receiver.url("/15"))
        WebhookFactory(county=la, url=receiver.url("/paused"), status=WebhookStatus.PAUSED)

        _suspend(certification, django_capture_on_commit_callbacks)

        alerts = WorkforceAlert.objects.filter(certification=certification)
        assert sorted(a.county.name for a in alerts) == ["Fresno", "Los Angeles"]
        assert {a.to_status for a in alerts} == {"suspended"} and {a.status for a in alerts} == {AlertStatus.OPEN}
        assert AuditEvent.objects.filter(action=AuditAction.ALERTS_RAISE.value).count() == 2
        told = set(Notification.objects.filter(subject__contains=certification.number).values_list("user", flat=True))
        assert told == {la_staff.pk, la_billing.pk, fresno_staff.pk}
        assert kern_staff.pk not in told

        # Both active webhooks of the two counties got one signed event each, at once.
        assert sorted(r["path"] for r in receiver.requests) == ["/10", "/19"]
        for request in receiver.requests:
            hook = la_hook if request["path"] == "/19" else fresno_hook
            expected = "sha256=" + hmac.new(hook.secret.encode(), request["body"], hashlib.sha256).hexdigest()
            assert request["headers"]["X-PeerCert-Signature"] == expected
            assert request["headers"]["X-PeerCert-Event"] == "certification.status_changed"
            assert request["headers"]["Content-Type"] == "application/json"
            event = json.loads(request["body"])
            assert request["headers"]["X-PeerCert-Delivery"] == event["event_id"]
            assert event["type"] == "certification.status_changed"
            assert event["certification"] == {
                "number": certification.number,
                "from_status": "active",
                "to_status": "suspended",
            }
            assert event["person"]["name"] == peer.full_name
            assert event["occurred_at"].endswith("Z")
            assert event["county"]["code"] == hook.county.code
            expected_jobs = 2 if hook == la_hook else 1
            assert len(event["employments"]) == expected_jobs
            assert {"id", "provider", "position_title", "status"} <= set(event["employments"][0])
        assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
        la_hook.refresh_from_db()
        assert la_hook.last_delivered_at == NOW and la_hook.failing_since is None

        # The same changes announced again add nothing and send nothing.
        with django_capture_on_commit_callbacks(execute=True):
            counts = workforce_alerts_raise(
                changes=CertificationStatusChange.objects.filter(certification=certification)
            )
        assert counts["alerts"] == 0
        assert WorkforceAlert.objects.count() == 2 and len(receiver.requests) == 2
        assert AuditEvent.objects.filter(action=AuditAction.ALERTS_RAISE.value).count() == 2


def test_each_county_user_is_told_in_their_own_language(frozen, django_capture_on_commit_callbacks, mailoutbox):
    peer = PersonFactory()
    certification = CertificationFactory(person=peer)
    open_employment(peer)
    english = user_with_role(Role.COUNTY_STAFF, with_person=True)
    spanish = user_with_role(Role.COUNTY_BILLING, with_person=True)
    Person.objects.filter(user=spanish).update(preferred_language="es")
    _suspend(certification, django_capture_on_commit_callbacks)
    en = Notification.objects.get(user=english)
    es = Notification.objects.get(user=spanish)
    assert "is now suspended" in en.subject and certification.number in en.subject
    assert "suspendid" in es.subject.lower() and "Alerta" in es.subject
    assert "March 10, 2026" in en.body
    assert "10 de marzo de 2026" in es.body
    alert = WorkforceAlert.objects.get()
    assert en.url == f"/benefit/alerts/{alert.pk}/"
    # E-mailed after commit, one message each.
    assert sorted(m.to[0] for m in mailoutbox if certification.number in m.subject) == sorted(
        [english.email, spanish.email]
    )


def test_a_user_with_both_county_roles_is_told_once(frozen, django_capture_on_commit_callbacks):
    from peercert.accounts.models import RoleAssignment

    peer = PersonFactory()
    certification = CertificationFactory(person=peer)
    open_employment(peer)
    staff = user_with_role(Role.COUNTY_STAFF)
    RoleAssignment.objects.create(user=staff, role=Role.COUNTY_BILLING, county=county("Los Angeles"))
    _suspend(certification, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=staff).count() == 1


def test_a_peer_nobody_employs_raises_nothing(frozen, django_capture_on_commit_callbacks):
    certification = CertificationFactory()
    user_with_role(Role.COUNTY_STAFF)
    _suspend(certification, django_capture_on_commit_callbacks)
    assert not WorkforceAlert.objects.exists()


def _expiring(n: int, expires_on: datetime.date, *, with_hooks: bool = True):
    """n active certifications expiring on that day, each peer employed in Los Angeles or Fresno."""
    counties = ["Los Angeles", "Fresno"]
    for i in range(n):
        certification = CertificationFactory(expires_on=expires_on, issued_on=expires_on - datetime.timedelta(days=730))
        open_employment(certification.person, counties[i % 2])


def _sweep(today, captured) -> tuple[int, int]:
    """Run the expiry sweep; (alert-raising statements, alerts raised)."""
    before = WorkforceAlert.objects.count()
    with captured(execute=False) as callbacks:
        certifications_expire(today=today)
    # What the receiver does, and only that, is counted; what it queues on commit runs (monkeypatched) after.
    with captured(execute=True), CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    return len(queries), WorkforceAlert.objects.count() - before


def test_the_expiry_sweep_raises_alerts_set_based(django_capture_on_commit_callbacks, monkeypatch):
    # Deliveries are queued, not sent, here: the task is counted, not run.
    from peercert.benefit import tasks

    queued = []

    class Counted:
        def __init__(self, count):
            self.enqueue = count

    monkeypatch.setattr(tasks, "deliver_webhooks", Counted(lambda *a, **k: queued.append(1)))
    monkeypatch.setattr(tasks, "email_notifications", Counted(lambda ids: queued.append(len(ids))))
    user_with_role(Role.COUNTY_STAFF)
    user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    WebhookFactory(county=county("Los Angeles"))
    WebhookFactory(county=county("Fresno"))
    with time_machine.travel(datetime.datetime(2026, 6, 2, 15, tzinfo=datetime.UTC), tick=False):
        _expiring(3, datetime.date(2026, 6, 1))
        small_statements, small = _sweep(datetime.date(2026, 6, 2), django_capture_on_commit_callbacks)
    with time_machine.travel(datetime.datetime(2026, 6, 3, 15, tzinfo=datetime.UTC), tick=False):
        _expiring(30, datetime.date(2026, 6, 2))
        large_statements, large = _sweep(datetime.date(2026, 6, 3), django_capture_on_commit_callbacks)
    assert (small, large) == (3, 30)
    # The same count at both sizes; the bound allows the other apps that subscribe to status changes
    # (integrity looks for overpayments, oversight clears its public dashboard's cache).
    assert large_statements == small_statements <= 14
    assert WebhookDelivery.objects.count() == 33
    assert AuditEvent.objects.filter(action=AuditAction.ALERTS_RAISE.value).count() == 33
    assert Notification.objects.filter(subject__startswith="Workforce alert").count() == 33
    # One delivery task and one e-mail task per sweep, whatever the number of alerts.
    assert queued == [3, 1, 30, 1]


def test_the_daily_catch_up_raises_what_a_failed_receiver_missed_and_nothing_twice(
    frozen, django_capture_on_commit_callbacks, monkeypatch
):
    from peercert.benefit import receivers

    peer = PersonFactory()
    certification = CertificationFactory(person=peer)
    open_employment(peer)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("peercert.benefit.services.workforce_alerts_raise", broken)
    _suspend(certification, django_capture_on_commit_callbacks)  # the change stands; the receiver logged
    assert not WorkforceAlert.objects.exists()
    monkeypatch.undo()
    assert receivers  # connected at start-up
    with django_capture_on_commit_callbacks(execute=True):
        counts = workforce_alerts_catch_up(NOW.date())
    assert counts["alerts"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert workforce_alerts_catch_up(NOW.date())["alerts"] == 0
    assert WorkforceAlert.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.ALERTS_RAISE.value).count() == 1


def test_the_catch_up_is_a_registered_daily_job():
    from peercert.core.jobs import daily_jobs

    assert "workforce_alerts_catch_up" in {job.name for job in daily_jobs()}


def test_a_reinstatement_is_an_alert_too(frozen, django_capture_on_commit_callbacks):
    peer = PersonFactory()
    certification = CertificationFactory(person=peer, status="suspended")
    open_employment(peer)
    with django_capture_on_commit_callbacks(execute=True):
        certification_change_status(
            actor=None, certification=certification, to_status="active", reason="Suspension ended.", source="discipline"
        )
    alert = WorkforceAlert.objects.get()
    assert (alert.from_status, alert.to_status) == ("suspended", "active")


@override_settings(DEBUG=True)
def test_a_program_manager_suspends_and_the_county_sees_it_in_the_same_request(
    frozen, client, django_capture_on_commit_callbacks
):
    """The journey: county staff register a webhook on the page; program staff suspend the peer; the county's
    home page lists the alert and the receiver has the signed event."""
    from django.urls import reverse

    peer = PersonFactory(legal_last_name="Quintero")
    certification = CertificationFactory(person=peer)
    open_employment(peer)
    staff = user_with_role(Role.COUNTY_STAFF)
    manager = user_with_role(Role.PROGRAM_MANAGER)
    with LocalReceiver() as receiver:
        client.force_login(staff)
        client.post(reverse("benefit:webhook_create"), {"url": receiver.url("/19"), "description": "SmartCare"})
        hook = Webhook.objects.get(county=county("Los Angeles"))
        with django_capture_on_commit_callbacks(execute=True):
            certification_change_status(
                actor=manager,
                certification=certification,
                to_status="suspended",
                reason="Suspended by the program.",
                source="discipline",
            )
        home = client.get(reverse("web:home")).content.decode()
        assert "Quintero" in home and certification.number in home
        [request] = receiver.requests
    expected = "sha256=" + hmac.new(hook.secret.encode(), request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-PeerCert-Signature"] == expected
